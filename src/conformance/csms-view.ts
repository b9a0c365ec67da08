import type { TransactionRecord } from '../csms/transactions.js';
import { addReadings } from '../csms/transactions.js';
import type { MeterValue } from '../ocpp/types.js';
import { exchanges, num, str } from './exchanges.js';
import type { CertificationRecord, RecordedFrame, RecordedStatus } from './record.js';

/**
 * The CSMS's view (statuses, transactions) rebuilt from the frames alone, as csms/session.ts keeps
 * it. The harness may fill `statuses` / `transactions` with this or from its live Csms; tests use it
 * to build consistent records.
 */
export function csmsViewFromFrames(chargePointId: string, frames: readonly RecordedFrame[]): { statuses: RecordedStatus[]; transactions: TransactionRecord[] } {
  const probe: CertificationRecord = {
    chargePointId,
    firmwareMode: 'manufacturer',
    frames,
    connections: [],
    refusals: [],
    tlsFailures: [],
    statuses: [],
    transactions: [],
    acts: [],
    firmware: [],
    scenarios: [],
  };
  const statuses: RecordedStatus[] = [];
  const transactions = new Map<number, TransactionRecord>();
  for (const ex of exchanges(probe)) {
    if (ex.from !== 'charger') continue;
    const p = ex.payload;
    if (ex.action === 'StatusNotification') {
      const ts = str(p.timestamp);
      statuses.push({
        at: ex.at,
        connectorId: num(p.connectorId) ?? 0,
        status: str(p.status) ?? '',
        errorCode: str(p.errorCode) ?? 'NoError',
        ...(ts ? { chargerTime: Date.parse(ts) } : {}),
        connectionId: ex.call.connectionId,
      });
    } else if (ex.action === 'StartTransaction') {
      const id = num(ex.result?.transactionId);
      if (id === undefined) continue;
      transactions.set(id, {
        id,
        chargePointId,
        connectorId: num(p.connectorId) ?? 0,
        idTag: str(p.idTag) ?? '',
        meterStart: num(p.meterStart) ?? 0,
        startTimestamp: Date.parse(str(p.timestamp) ?? ''),
        readings: [],
      });
    } else if (ex.action === 'StopTransaction') {
      const tx = transactions.get(num(p.transactionId) ?? Number.NaN);
      if (!tx) continue;
      tx.meterStop = num(p.meterStop);
      tx.stopTimestamp = Date.parse(str(p.timestamp) ?? '');
      tx.stopReason = str(p.reason) ?? 'Local';
      if (Array.isArray(p.transactionData)) addReadings(tx, p.transactionData as MeterValue[]);
    } else if (ex.action === 'MeterValues') {
      const tx = transactions.get(num(p.transactionId) ?? Number.NaN);
      if (tx && Array.isArray(p.meterValue)) addReadings(tx, p.meterValue as MeterValue[]);
    }
  }
  return { statuses, transactions: [...transactions.values()] };
}
