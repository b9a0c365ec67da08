import type { Evidence } from '../../results/model.js';
import { combine, missing, type Check, type CheckResult } from '../check.js';
import { seconds, timeOfDay } from '../evidence-text.js';
import { offEpisodes } from '../limits.js';
import type { ActKind, CertificationRecord, RecordedAct, RecordedStatus } from '../record.js';
import { firstStatus, sequenceText, statusesBetween } from '../status-view.js';
import { TOLERANCE } from '../tolerances.js';
import { powerStatusMismatches } from './meter.js';
import { judgeOff } from './smart-charging.js';

function acts(record: CertificationRecord, kind: ActKind, test: (a: RecordedAct) => boolean = () => true): RecordedAct[] {
  return record.acts.filter((a) => a.kind === kind && a.outcome === 'done' && test(a));
}

/** When the charger could first report an act: the act itself, or the reconnection if the network was down. */
function reportableFrom(record: CertificationRecord, t: number): number {
  const drop = record.acts.filter((a) => a.kind === 'dropNetwork' && a.at <= t).at(-1);
  const restore = drop && record.acts.find((a) => a.kind === 'restoreNetwork' && a.at >= drop.at);
  if (!drop || (restore && restore.at <= t)) return t;
  const back = record.connections.find((c) => c.connectedAt >= t);
  return back?.connectedAt ?? t;
}

/** After `act`, the connector must reach a status passing `ok` within the reaction time. */
function reaction(record: CertificationRecord, act: RecordedAct, label: string, want: string, ok: (s: RecordedStatus) => boolean): CheckResult {
  const c = act.connector ?? 1;
  const from = Math.max(reportableFrom(record, act.at), act.confirmedAt ?? act.at);
  const hit = firstStatus(record, c, act.at, from - act.at + TOLERANCE.reactionMs, ok);
  const seen = statusesBetween(record, c, act.at, from + TOLERANCE.reactionMs);
  const text = hit
    ? `${label} at ${timeOfDay(act.at)} (connector ${c}): ${sequenceText(seen.slice(0, seen.indexOf(hit) + 1))} after ${seconds(hit.at - act.at)}`
    : `${label} at ${timeOfDay(act.at)} (connector ${c}): ${sequenceText(seen)} within ${seconds(from - act.at + TOLERANCE.reactionMs)}, expected ${want}`;
  return { verdict: hit ? 'pass' : 'fail', evidence: [{ kind: 'measurement', text, data: { statuses: seen.map((s) => s.status) } }] };
}

export const checkSt1: Check = (record) => {
  const unplugs = acts(record, 'unplug');
  if (!unplugs.length) return missing(record, 'PLT-ST-1', 'no unplug recorded');
  const parts = unplugs.map((a) => reaction(record, a, 'unplug', 'Available', (s) => s.status === 'Available'));
  // Available while a cable is in is wrong too: between each plug and the next unplug.
  for (const plug of acts(record, 'plug')) {
    const c = plug.connector ?? 1;
    const until = unplugs.find((u) => (u.connector ?? 1) === c && u.at > plug.at)?.at ?? Number.POSITIVE_INFINITY;
    const wrong = statusesBetween(record, c, plug.at + TOLERANCE.settleMs, until).filter((s) => s.status === 'Available');
    if (wrong.length) parts.push({ verdict: 'fail', evidence: [{ kind: 'measurement', text: `Available at ${timeOfDay(wrong[0].at)} on connector ${c} while plugged in (since ${timeOfDay(plug.at)})` }] });
  }
  return combine(parts);
};

export const checkSt2: Check = (record) => {
  const { bad, chargingWithPower } = powerStatusMismatches(record, 'charging-without-power');
  if (bad.length) return { verdict: 'fail', evidence: bad };
  const stopped = acts(record, 'setEv', (a) => a.detail?.paused === true || Number(a.detail?.socPercent) >= 100);
  const evidence: Evidence[] = [{ kind: 'measurement', text: `${chargingWithPower} reading(s) while Charging, all above ${TOLERANCE.idlePowerW} W`, ok: true }];
  // "0 reading(s) …, all above 50 W" would read like a pass: without readings only the reason is shown.
  if (!chargingWithPower || !stopped.length) return missing(record, 'PLT-ST-2', chargingWithPower ? 'the EV never stopped drawing power while plugged in' : 'no power reading while Charging', chargingWithPower ? evidence : []);
  const after = stopped.map((a) => reaction(record, a, a.detail?.paused === true ? 'EV paused' : 'EV full', 'a status other than Charging', (s) => s.status !== 'Charging'));
  return combine([{ verdict: 'pass', evidence }, ...after]);
};

export const checkSt3: Check = (record) => {
  const evStops = acts(record, 'setEv', (a) => a.detail?.paused === true || Number(a.detail?.socPercent) >= 100);
  const evHalf = evStops.length
    ? combine(evStops.map((a) => reaction(record, a, a.detail?.paused === true ? 'EV paused' : 'EV full', 'SuspendedEV', (s) => s.status === 'SuspendedEV')))
    : missing(record, 'PLT-ST-3', 'no paused or full EV recorded');
  const episodes = offEpisodes(record);
  const evseHalf = episodes.length ? combine(episodes.map((e) => judgeOff(record, e).status)) : missing(record, 'PLT-ST-3', 'no limit of 0 recorded');
  return combine([evHalf, evseHalf]);
};

export const checkSt4: Check = (record) => {
  const faults = acts(record, 'fault');
  if (!faults.length) return missing(record, 'PLT-ST-4', 'no fault recorded');
  const parts = faults.map((a) => {
    const r = reaction(record, a, `fault ${String(a.detail?.errorCode ?? '')}`.trim(), 'Faulted with an errorCode other than NoError', (s) => s.status === 'Faulted' && s.errorCode !== 'NoError');
    if (r.verdict === 'pass') return r;
    const warning = statusesBetween(record, a.connector ?? 1, a.at, a.at + TOLERANCE.reactionMs).find((s) => s.errorCode !== 'NoError');
    return warning ? { ...r, evidence: [...r.evidence, { kind: 'note' as const, text: `reported ${warning.errorCode} as a warning on ${warning.status}, never Faulted` }] } : r;
  });
  const clears = acts(record, 'clearFault');
  if (!clears.length) parts.push(missing(record, 'PLT-ST-4', 'the fault was never cleared'));
  for (const a of clears) parts.push(reaction(record, a, 'fault cleared', 'a status other than Faulted', (s) => s.status !== 'Faulted'));
  return combine(parts);
};
