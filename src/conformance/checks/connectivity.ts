import type { Evidence } from '../../results/model.js';
import { combine, missing, note, type Check, type CheckResult } from '../check.js';
import { callsOf, excerpt, exchanges, num, str, type Exchange } from '../exchanges.js';
import { seconds, timeOfDay } from '../evidence-text.js';
import { sampledDuringTransactions } from '../meter-series.js';
import type { CertificationRecord, RecordedAct } from '../record.js';
import { TOLERANCE } from '../tolerances.js';

const TX_ACTIONS = new Set(['StartTransaction', 'StopTransaction', 'MeterValues']);

/** The charger's own time for a transaction message: its timestamp, or the first MeterValue's. */
function chargerTime(ex: Exchange): number {
  if (ex.action === 'MeterValues') {
    const first = Array.isArray(ex.payload.meterValue) ? (ex.payload.meterValue[0] as Readonly<Record<string, unknown>> | undefined) : undefined;
    return Date.parse(str(first?.timestamp) ?? '');
  }
  return Date.parse(str(ex.payload.timestamp) ?? '');
}

/**
 * How far the charger's clock is from true time (median over its live StatusNotifications), so its
 * timestamps can be placed on the true time line even when its clock is off (PLT-TIME-1's business).
 */
function clockOffset(record: CertificationRecord): number {
  const offsets = callsOf(record, 'StatusNotification', 'charger')
    .map((e) => Date.parse(str(e.payload.timestamp) ?? '') - e.at)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return offsets.length ? offsets[Math.floor(offsets.length / 2)] : 0;
}

/** Transactions running at `t`: started before, not stopped before. */
function runningAt(record: CertificationRecord, t: number): Exchange[] {
  return callsOf(record, 'StartTransaction', 'charger').filter((s) => s.at <= t && !callsOf(record, 'StopTransaction', 'charger').some((e) => e.at <= t && e.payload.transactionId === s.result?.transactionId));
}

function judgeDrop(record: CertificationRecord, drop: RecordedAct): CheckResult | undefined {
  const running = runningAt(record, drop.at);
  if (!running.length) return undefined;
  const restore = record.acts.find((a) => a.kind === 'restoreNetwork' && a.at >= drop.at);
  const txIds = running.map((s) => num(s.result?.transactionId));
  const head = `network dropped at ${timeOfDay(drop.at)} during transaction ${txIds.join(', ')}`;
  if (!restore) return missing(record, 'PLT-NF-1', `${head}; the network was never restored`);
  const back = record.connections.find((c) => c.connectedAt >= restore.at);
  if (!back || back.connectedAt - restore.at > TOLERANCE.reconnectMs) {
    return { verdict: 'fail', evidence: [note(`${head}; network back at ${timeOfDay(restore.at)}; no reconnection within ${seconds(TOLERANCE.reconnectMs)}`)] };
  }
  // The reconnection itself held; what follows decides.
  const evidence: Evidence[] = [{ ...note(`${head}; network back at ${timeOfDay(restore.at)}; reconnected ${seconds(back.connectedAt - restore.at)} later (connection ${back.connectionId})`), ok: true }];
  const delivered = exchanges(record).filter((e) => e.from === 'charger' && TX_ACTIONS.has(e.action) && e.call.connectionId === back.connectionId);
  const offset = clockOffset(record);
  const trueTime = (ex: Exchange) => chargerTime(ex) - offset;
  const queued = delivered.filter((e) => trueTime(e) < back.connectedAt - TOLERANCE.settleMs && trueTime(e) >= drop.at - TOLERANCE.settleMs);
  const problems: Evidence[] = [];
  const times = delivered.map(chargerTime).filter(Number.isFinite);
  const outOfOrder = times.findIndex((t, i) => i > 0 && t < times[i - 1]);
  if (outOfOrder > 0) problems.push({ kind: 'frame', text: `transaction messages out of order after reconnect: ${timeOfDay(times[outOfOrder - 1])} then ${timeOfDay(times[outOfOrder])}`, frames: excerpt(delivered[outOfOrder - 1], delivered[outOfOrder]) });
  const orphan = delivered.filter((e) => e.action !== 'StartTransaction' && num(e.payload.transactionId) === -1);
  if (orphan.length) problems.push({ kind: 'frame', text: `${orphan.length} message(s) with transactionId -1: the StartTransaction was lost`, frames: excerpt(orphan[0]) });
  // Sampling gaps across the outage mean lost MeterValues.
  for (const id of txIds) {
    const times = sampledDuringTransactions(record).filter((s) => s.transactionId === id).map((s) => s.chargerTime - offset).sort((a, b) => a - b);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    const typical = [...gaps].sort((a, b) => a - b)[Math.floor((gaps.length - 1) / 2)];
    const hole = gaps.findIndex((g, i) => typical !== undefined && g > typical * 1.5 && times[i + 1] >= drop.at && times[i] <= back.connectedAt);
    if (hole >= 0) problems.push({ kind: 'measurement', text: `transaction ${id}: no MeterValues between ${timeOfDay(times[hole])} and ${timeOfDay(times[hole + 1])} (${seconds(gaps[hole])}; sampling every ${seconds(typical)}): queued samples lost` });
    const unplug = record.acts.find((a) => (a.kind === 'unplug' || a.kind === 'presentIdTag') && a.outcome === 'done' && a.at > drop.at && a.at < back.connectedAt);
    const stopped = callsOf(record, 'StopTransaction', 'charger').some((s) => s.payload.transactionId === id);
    if (unplug && !stopped) problems.push(note(`transaction ${id}: ended offline (${unplug.kind} at ${timeOfDay(unplug.at)}) but its StopTransaction never arrived`));
  }
  if (queued.length) evidence.push({ kind: 'frame', text: `${queued.length} queued transaction message(s) delivered after reconnect (${queued.map((q) => q.action).join(', ')}), timestamps ${timeOfDay(chargerTime(queued[0]))} … ${timeOfDay(chargerTime(queued.at(-1)!))}${offset ? ` (charger clock; ${Math.round(offset / 1000)} s from true time)` : ''}, in order`, frames: excerpt(...queued.slice(0, 4)) });
  else evidence.push(note('no queued transaction message was delivered after reconnect'));
  if (problems.length) return { verdict: 'fail', evidence: [...evidence.slice(0, 1), ...problems] };
  if (!queued.length) return { verdict: 'fail', evidence };
  return { verdict: 'pass', evidence };
}

export const checkNf1: Check = (record) => {
  const drops = record.acts.filter((a) => a.kind === 'dropNetwork' && a.outcome === 'done');
  const judged = drops.map((d) => judgeDrop(record, d)).filter((r): r is CheckResult => !!r);
  if (!judged.length) return missing(record, 'PLT-NF-1', 'no network drop during a transaction recorded');
  return combine(judged);
};

export const checkNf2: Check = (record) => {
  const declared = record.declarations?.remoteAccess;
  if (declared) return { verdict: 'pass', evidence: [note(`declared by the manufacturer (not verifiable over OCPP): ${declared}`)] };
  return { verdict: 'needs-operator', evidence: [note('not testable over OCPP: declare remote access (web interface or SSH)')] };
};
