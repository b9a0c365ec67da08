import type { CertificationRecord, RecordedStatus } from './record.js';

/** The status of a connector at true time `t` (the last one reported at or before it). */
export function statusAt(record: CertificationRecord, connectorId: number, t: number): RecordedStatus | undefined {
  let found: RecordedStatus | undefined;
  for (const s of record.statuses) {
    if (s.connectorId !== connectorId || s.at > t) continue;
    found = s;
  }
  return found;
}

/** The statuses of a connector reported in (from, to], in order. */
export function statusesBetween(record: CertificationRecord, connectorId: number, from: number, to: number): RecordedStatus[] {
  return record.statuses.filter((s) => s.connectorId === connectorId && s.at > from && s.at <= to);
}

/** The first status of a connector in (from, from + within] matching `test`. */
export function firstStatus(record: CertificationRecord, connectorId: number, from: number, within: number, test: (s: RecordedStatus) => boolean): RecordedStatus | undefined {
  return statusesBetween(record, connectorId, from, from + within).find(test);
}

/** When the connector last changed status at or before `t` (undefined = never reported). */
export function lastChangeBefore(record: CertificationRecord, connectorId: number, t: number): number | undefined {
  let prev: string | undefined;
  let changed: number | undefined;
  for (const s of record.statuses) {
    if (s.connectorId !== connectorId || s.at > t) continue;
    if (s.status !== prev) changed = s.at;
    prev = s.status;
  }
  return changed;
}

/** `Charging → SuspendedEVSE → Charging` for evidence lines. */
export function sequenceText(list: readonly RecordedStatus[]): string {
  return list.length ? list.map((s) => (s.errorCode && s.errorCode !== 'NoError' ? `${s.status} (${s.errorCode})` : s.status)).join(' → ') : 'no StatusNotification';
}
