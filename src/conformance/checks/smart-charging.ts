import type { Evidence } from '../../results/model.js';
import { combine, missing, type Check, type CheckResult } from '../check.js';
import { answerText, callsOf, excerpt, num, str, type Exchange } from '../exchanges.js';
import { seconds, timeOfDay, watts, wh } from '../evidence-text.js';
import { offEpisodes, type OffEpisode } from '../limits.js';
import { meterSamples, type MeterSample } from '../meter-series.js';
import type { CertificationRecord } from '../record.js';
import { firstStatus } from '../status-view.js';
import { TOLERANCE } from '../tolerances.js';

function purposeOf(ex: Exchange): string | undefined {
  const profile = ex.payload.csChargingProfiles as Readonly<Record<string, unknown>> | undefined;
  return str(profile?.chargingProfilePurpose);
}

/** Whether a transaction was running on `connectorId` when `ex` was sent. */
function inTransaction(record: CertificationRecord, connectorId: number, ex: Exchange): boolean {
  const starts = callsOf(record, 'StartTransaction', 'charger').filter((s) => num(s.payload.connectorId) === connectorId && s.index < ex.index);
  const start = starts.at(-1);
  if (!start) return false;
  const id = start.result?.transactionId;
  return !callsOf(record, 'StopTransaction', 'charger').some((s) => s.index > start.index && s.index < ex.index && s.payload.transactionId === id);
}

function acceptedCheck(record: CertificationRecord, id: string, purpose: string, where: (ex: Exchange) => boolean, whereText: string): CheckResult {
  const list = callsOf(record, 'SetChargingProfile', 'csms').filter((e) => purposeOf(e) === purpose && where(e));
  if (!list.length) return missing(record, id, `no SetChargingProfile ${purpose} ${whereText} recorded`);
  const bad = list.filter((e) => e.result?.status !== 'Accepted');
  const lines: Evidence[] = list.map((e) => ({ kind: 'frame', text: `SetChargingProfile ${purpose} (connector ${num(e.payload.connectorId)}) at ${timeOfDay(e.at)} → ${answerText(e)}`, frames: excerpt(e) }));
  return { verdict: bad.length ? 'fail' : 'pass', evidence: bad.length ? lines.filter((_, i) => list[i].result?.status !== 'Accepted') : lines.slice(0, 3) };
}

export const checkSc1: Check = (record) =>
  acceptedCheck(record, 'PLT-SC-1', 'TxProfile', (e) => (num(e.payload.connectorId) ?? 0) > 0 && inTransaction(record, num(e.payload.connectorId) ?? 0, e), 'during a transaction');

export const checkSc2: Check = (record) => acceptedCheck(record, 'PLT-SC-2', 'ChargePointMaxProfile', (e) => num(e.payload.connectorId) === 0, 'on connector 0');

/** Power readings of a connector taken in [from, to). */
function readings(record: CertificationRecord, connectorId: number, from: number, to: number): MeterSample[] {
  return meterSamples(record).filter((s) => s.connectorId === connectorId && s.powerW !== undefined && s.at >= from && s.at < to && !s.context.startsWith('Transaction.'));
}

/** Readings to judge: those after the settling time, or failing that the last one. */
function settled(list: readonly MeterSample[], from: number): MeterSample[] {
  const after = list.filter((s) => s.at >= from + TOLERANCE.settleMs);
  return after.length ? after : list.slice(-1);
}

function powerText(list: readonly MeterSample[]): string {
  const max = Math.max(...list.map((s) => s.powerW ?? 0));
  return `${list[0].powerSource ?? 'power'} ${watts(list[0].powerW ?? 0)} at ${timeOfDay(list[0].at)} (n=${list.length}, max ${watts(max)})`;
}

/** Limit 0: power ~0 and SuspendedEVSE. Shared with PLT-ST-3. */
export function judgeOff(record: CertificationRecord, e: OffEpisode): { power: CheckResult; status: CheckResult } {
  const c = e.connectorId;
  const head = `limit 0 W from ${timeOfDay(e.off.at)} (${e.off.cause.action}${purposeOf(e.off.cause) ? ` ${purposeOf(e.off.cause)}` : ''}, connector ${c})`;
  const st = firstStatus(record, c, e.off.at, TOLERANCE.reactionMs, (s) => s.status !== 'Charging');
  const statusOk = st?.status === 'SuspendedEVSE';
  const status: CheckResult = {
    verdict: statusOk ? 'pass' : 'fail',
    evidence: [{ kind: 'measurement', text: `${head}: ${st ? `status ${st.status} after ${seconds(st.at - e.off.at)}` : `still ${'Charging'} or no StatusNotification within ${seconds(TOLERANCE.reactionMs)}`}${statusOk ? '' : ' (expected SuspendedEVSE)'}` }],
  };
  const list = settled(readings(record, c, e.off.at, e.on?.at ?? Number.POSITIVE_INFINITY), e.off.at);
  if (!list.length) return { status, power: combine([{ verdict: 'fail', evidence: [{ kind: 'measurement', text: `${head}: no power reading while the limit was in force` }] }, judgeRegister(record, e, head)]) };
  const high = list.filter((s) => (s.powerW ?? 0) > TOLERANCE.idlePowerW);
  const reported: CheckResult = {
    verdict: high.length ? 'fail' : 'pass',
    evidence: [{ kind: 'measurement', text: `${head}: ${powerText(list)}${high.length ? ` — above ${watts(TOLERANCE.idlePowerW)}` : ''}`, frames: excerpt(list[0].exchange), data: { limitW: 0, readingsW: list.map((s) => s.powerW) } }],
  };
  return { status, power: combine([reported, judgeRegister(record, e, head)]) };
}

/**
 * "Switched off" judged by energy too: the register must not rise while the limit is 0 by more than
 * idle power could explain (TOLERANCE.offEnergyWh plus idlePowerW over the span). A charger that
 * reports 0 W while its register keeps counting is still charging.
 */
function judgeRegister(record: CertificationRecord, e: OffEpisode, head: string): CheckResult {
  const end = e.on?.at ?? Number.POSITIVE_INFINITY;
  const list = meterSamples(record).filter((s) => s.connectorId === e.connectorId && s.energyWh !== undefined && s.at >= e.off.at + TOLERANCE.settleMs && s.at < end);
  if (list.length < 2) {
    return { verdict: 'fail', evidence: [{ kind: 'measurement', text: `${head}: ${list.length} energy register reading(s) while the limit was in force; two are needed to show the register stood still` }] };
  }
  const first = list[0];
  const last = list[list.length - 1];
  const rise = (last.energyWh ?? 0) - (first.energyWh ?? 0);
  const span = last.at - first.at;
  const allowed = TOLERANCE.offEnergyWh + (TOLERANCE.idlePowerW * span) / 3_600_000;
  const ok = rise <= allowed;
  const text = `${head}: energy register ${wh(first.energyWh ?? 0)} → ${wh(last.energyWh ?? 0)} in ${seconds(span)} (rise ${wh(rise)}, allowed ${wh(allowed)})${ok ? '' : ' — still importing'}`;
  return { verdict: ok ? 'pass' : 'fail', evidence: [{ kind: 'measurement', text, frames: excerpt(first.exchange, last.exchange), data: { riseWh: rise, allowedWh: allowed, spanMs: span } }] };
}

function judgeOn(record: CertificationRecord, e: OffEpisode): CheckResult {
  const on = e.on!;
  const c = e.connectorId;
  const limit = on.limitW;
  const head = `limit raised to ${limit === undefined ? 'none' : watts(limit)} at ${timeOfDay(on.at)}`;
  const st = firstStatus(record, c, on.at, TOLERANCE.reactionMs, (s) => s.status === 'Charging');
  // Judge power while the charger says Charging: an EV that pauses later is not the limit's doing.
  const leftCharging = st ? firstStatus(record, c, st.at, (e.onUntil ?? Number.POSITIVE_INFINITY) - st.at, (s) => s.status !== 'Charging')?.at : undefined;
  const list = settled(readings(record, c, on.at, Math.min(e.onUntil ?? Number.POSITIVE_INFINITY, leftCharging ?? Number.POSITIVE_INFINITY)), on.at);
  const cap = limit === undefined ? Number.POSITIVE_INFINITY : limit * (1 + TOLERANCE.limitFraction) + TOLERANCE.idlePowerW;
  const bad = list.filter((s) => (s.powerW ?? 0) <= TOLERANCE.idlePowerW || (s.powerW ?? 0) > cap);
  const ok = !!st && list.length > 0 && !bad.length;
  const text = `${head}: ${st ? `status Charging after ${seconds(st.at - on.at)}` : `no Charging within ${seconds(TOLERANCE.reactionMs)}`}; ${list.length ? powerText(list) : 'no power reading'}`;
  return { verdict: ok ? 'pass' : 'fail', evidence: [{ kind: 'measurement', text, ...(list.length ? { frames: excerpt(list[0].exchange) } : {}), data: { limitW: limit, readingsW: list.map((s) => s.powerW) } }] };
}

export const checkSc3: Check = (record) => {
  const episodes = offEpisodes(record);
  if (!episodes.length) return missing(record, 'PLT-SC-3', 'no accepted limit of 0 during a transaction recorded');
  const parts: CheckResult[] = [];
  for (const e of episodes) {
    const { power, status } = judgeOff(record, e);
    parts.push(power, status);
    if (e.on) parts.push(judgeOn(record, e));
  }
  if (!episodes.some((e) => e.on)) parts.push(missing(record, 'PLT-SC-3', 'the limit was never raised again during the transaction'));
  return combine(parts);
};
