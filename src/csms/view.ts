import type { MeterValue } from '../ocpp/types.js';
import { addReadings, type TransactionRecord } from './transactions.js';

/** A StatusNotification as the CSMS takes it. */
export interface StatusChange {
  readonly connectorId: number;
  readonly status: string;
  readonly errorCode: string;
  /** The charger's timestamp (ms), when it sent one. */
  readonly chargerTime?: number;
}

/** What one answered charger CALL changed in the CSMS's view. */
export type ViewChange =
  | { readonly kind: 'status'; readonly change: StatusChange }
  | { readonly kind: 'transaction'; readonly phase: 'started' | 'stopped' | 'meter'; readonly transaction: TransactionRecord };

/**
 * The one reducer from a charger's CALLs (and the CSMS's answers) to the CSMS's view of its
 * connectors and transactions. The live CSMS (csms/session.ts) applies each CALL as it answers
 * it; conformance/csms-view.ts replays recorded frames through it. Payloads may be unvalidated
 * (recorded traffic), so every field is read defensively. `transactions` is updated in place.
 */
export function applyChargerCall(
  transactions: Map<number, TransactionRecord>,
  chargePointId: string,
  action: string,
  payload: Readonly<Record<string, unknown>>,
  result: Readonly<Record<string, unknown>> | undefined,
): ViewChange | undefined {
  switch (action) {
    case 'StatusNotification': {
      const ts = str(payload.timestamp);
      const change: StatusChange = {
        connectorId: num(payload.connectorId) ?? 0,
        status: str(payload.status) ?? '',
        errorCode: str(payload.errorCode) ?? 'NoError',
        ...(ts ? { chargerTime: Date.parse(ts) } : {}),
      };
      return { kind: 'status', change };
    }
    case 'StartTransaction': {
      const id = num(result?.transactionId);
      if (id === undefined) return undefined;
      const transaction: TransactionRecord = {
        id,
        chargePointId,
        connectorId: num(payload.connectorId) ?? 0,
        idTag: str(payload.idTag) ?? '',
        meterStart: num(payload.meterStart) ?? 0,
        startTimestamp: Date.parse(str(payload.timestamp) ?? ''),
        readings: [],
      };
      transactions.set(id, transaction);
      return { kind: 'transaction', phase: 'started', transaction };
    }
    case 'StopTransaction': {
      const transaction = transactions.get(num(payload.transactionId) ?? Number.NaN);
      if (!transaction) return undefined;
      transaction.meterStop = num(payload.meterStop);
      transaction.stopTimestamp = Date.parse(str(payload.timestamp) ?? '');
      transaction.stopReason = str(payload.reason) ?? 'Local';
      if (Array.isArray(payload.transactionData)) addReadings(transaction, payload.transactionData as MeterValue[]);
      return { kind: 'transaction', phase: 'stopped', transaction };
    }
    case 'MeterValues': {
      const transaction = transactions.get(num(payload.transactionId) ?? Number.NaN);
      if (!transaction || !Array.isArray(payload.meterValue)) return undefined;
      addReadings(transaction, payload.meterValue as MeterValue[]);
      return { kind: 'transaction', phase: 'meter', transaction };
    }
    default:
      return undefined;
  }
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
