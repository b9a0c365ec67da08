import type { TransactionRecord } from '../csms/transactions.js';
import { applyChargerCall } from '../csms/view.js';
import { exchanges } from './exchanges.js';
import type { CertificationRecord, RecordedFrame, RecordedStatus } from './record.js';

/**
 * The CSMS's view (statuses, transactions) rebuilt from the frames alone, through the same reducer
 * (csms/view.ts) the live CSMS session uses. The harness may fill `statuses` / `transactions` with this or from its live Csms; tests use it
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
    const change = applyChargerCall(transactions, chargePointId, ex.action, ex.payload, ex.result);
    if (change?.kind === 'status') statuses.push({ at: ex.at, ...change.change, connectionId: ex.call.connectionId });
  }
  return { statuses, transactions: [...transactions.values()] };
}
