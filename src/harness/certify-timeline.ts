import type { CertificationRecord } from '../conformance/record.js';
import { limitChanges } from '../conformance/limits.js';
import { meterSamples } from '../conformance/meter-series.js';
import type { TimelinePoint } from '../results/model.js';

/** Power, limit and status over [from, to] as the CSMS saw them, for the report's chart. */
export function certifyTimeline(record: CertificationRecord, from: number, to: number): TimelinePoint[] {
  const limits = limitChanges(record);
  const limitAt = (c: number, t: number) => {
    let w: number | undefined;
    for (const l of limits) if ((l.connectorId === c || l.connectorId === 0) && l.at <= t) w = l.limitW;
    return w;
  };
  const statusAt = (c: number, t: number) => {
    let s = 'Unknown';
    for (const st of record.statuses) if (st.connectorId === c && st.at <= t) s = st.status;
    return s;
  };
  const points: TimelinePoint[] = [];
  let lastPower = new Map<number, number>();
  const events = [
    ...meterSamples(record).filter((s) => s.powerW !== undefined).map((s) => ({ t: s.at, c: s.connectorId, p: s.powerW })),
    ...record.statuses.filter((s) => s.connectorId > 0).map((s) => ({ t: s.at, c: s.connectorId, p: undefined as number | undefined })),
  ]
    .filter((e) => e.t >= from && e.t <= to)
    .sort((a, b) => a.t - b.t);
  for (const e of events) {
    if (e.p !== undefined) lastPower = new Map(lastPower).set(e.c, e.p);
    points.push({ clockTime: e.t, connectorId: e.c, powerW: lastPower.get(e.c) ?? 0, limitW: limitAt(e.c, e.t), status: statusAt(e.c, e.t) });
  }
  return points;
}
