import type { TransactionRecord } from '../../csms/transactions.js';
import type { Evidence } from '../../results/model.js';
import { combine, missing, type Check, type CheckResult } from '../check.js';
import { callsOf, excerpt } from '../exchanges.js';
import { percent, timeOfDay, watts, wh } from '../evidence-text.js';
import { meterSamples } from '../meter-series.js';
import type { CertificationRecord } from '../record.js';
import { lastChangeBefore, statusAt } from '../status-view.js';
import { TOLERANCE } from '../tolerances.js';

function completed(record: CertificationRecord): TransactionRecord[] {
  return record.transactions.filter((t) => t.meterStop !== undefined);
}

function stopFrames(record: CertificationRecord, tx: TransactionRecord) {
  return excerpt(callsOf(record, 'StopTransaction', 'charger').find((s) => s.payload.transactionId === tx.id));
}

function registerCheck(record: CertificationRecord, tx: TransactionRecord): CheckResult {
  // In time order: StopTransaction's transactionData (Transaction.Begin …) arrives last but is dated first.
  const regs = tx.readings
    .filter((r) => r.energyWh !== undefined)
    .sort((a, b) => a.timestamp - b.timestamp)
    .map((r) => r.energyWh!);
  const stop = tx.meterStop!;
  const problems: string[] = [];
  let prev = tx.meterStart;
  for (const v of regs) {
    if (v < prev) problems.push(`register fell from ${wh(prev)} to ${wh(v)}`);
    prev = Math.max(prev, v);
  }
  if (stop < prev) problems.push(`meterStop ${wh(stop)} below an earlier reading ${wh(prev)}`);
  const outside = regs.filter((v) => v < tx.meterStart || v > stop);
  if (outside.length) problems.push(`${outside.length} reading(s) outside meterStart ${wh(tx.meterStart)} … meterStop ${wh(stop)}`);
  const text = `transaction ${tx.id}: meterStart ${wh(tx.meterStart)} ≤ ${regs.length} register reading(s) ≤ meterStop ${wh(stop)}; ${wh(stop - tx.meterStart)} delivered`;
  if (problems.length) return { verdict: 'fail', evidence: [{ kind: 'measurement', text: `transaction ${tx.id}: ${problems.join('; ')}`, frames: stopFrames(record, tx), data: { meterStart: tx.meterStart, meterStop: stop, registerWh: regs } }] };
  return { verdict: 'pass', evidence: [{ kind: 'measurement', text: regs.length ? text : `${text} (no register samples)`, data: { meterStart: tx.meterStart, meterStop: stop, registerWh: regs } }] };
}

export const checkMv1: Check = (record) => {
  const txs = completed(record);
  if (!txs.length) return missing(record, 'PLT-MV-1', 'no completed transaction recorded');
  const parts = txs.map((tx) => registerCheck(record, tx));
  // The register is cumulative: a later transaction on the same connector starts where the last one stopped, or above.
  const byConnector = new Map<number, TransactionRecord[]>();
  for (const tx of txs) byConnector.set(tx.connectorId, [...(byConnector.get(tx.connectorId) ?? []), tx]);
  for (const list of byConnector.values()) {
    list.sort((a, b) => a.startTimestamp - b.startTimestamp);
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1], list[i]];
      if (b.meterStart < a.meterStop!) {
        parts.push({ verdict: 'fail', evidence: [{ kind: 'measurement', text: `transaction ${b.id} meterStart ${wh(b.meterStart)} < transaction ${a.id} meterStop ${wh(a.meterStop!)}: the register went back between sessions`, data: { previousStop: a.meterStop, meterStart: b.meterStart } }] });
      }
    }
  }
  if (!txs.some((t) => t.readings.some((r) => r.energyWh !== undefined))) parts.push(missing(record, 'PLT-MV-1', 'no Energy.Active.Import.Register sample in any transaction'));
  return combine(parts);
};

/** ∫P dt over the power readings (trapezoid) and ΔE of the register between the same readings. */
function energyAgreement(tx: TransactionRecord): Evidence | undefined {
  const both = tx.readings.filter((r) => r.powerW !== undefined && r.energyWh !== undefined && Number.isFinite(r.timestamp)).sort((a, b) => a.timestamp - b.timestamp);
  if (both.length < 3) return undefined;
  let integral = 0;
  let slack = 0;
  for (let i = 1; i < both.length; i++) {
    const dtH = (both[i].timestamp - both[i - 1].timestamp) / 3_600_000;
    integral += ((both[i].powerW! + both[i - 1].powerW!) / 2) * dtH;
    // A step change between two readings makes the trapezoid wrong by up to half the step × dt.
    slack += (Math.abs(both[i].powerW! - both[i - 1].powerW!) / 2) * dtH;
  }
  const delta = both.at(-1)!.energyWh! - both[0].energyWh!;
  const allowed = Math.max(TOLERANCE.energyFraction * Math.abs(delta), TOLERANCE.energyWh) + slack;
  const ok = Math.abs(integral - delta) <= allowed;
  return {
    kind: 'measurement',
    text: `transaction ${tx.id}: register Δ ${wh(delta)}; ∫P dt = ${wh(integral)} (${percent(integral - delta, delta)}; allowed ${wh(allowed)})`,
    data: { transactionId: tx.id, deltaWh: delta, integratedWh: integral, allowedWh: allowed, ok, n: both.length },
  };
}

export const checkMv2: Check = (record) => {
  const txs = completed(record);
  const energy = txs.map(energyAgreement).filter((e): e is Evidence => !!e);
  const parts: CheckResult[] = energy.map((e) => ({ verdict: e.data?.ok ? 'pass' : 'fail', evidence: [e] }));
  if (!energy.length) parts.push(missing(record, 'PLT-MV-2', 'no transaction with 3 or more readings carrying both power and the energy register'));
  const mismatch = powerStatusMismatches(record);
  if (mismatch.judged === 0) parts.push(missing(record, 'PLT-MV-2', 'no power reading to compare with the status'));
  else parts.push(mismatch.bad.length ? { verdict: 'fail', evidence: mismatch.bad } : { verdict: 'pass', evidence: [{ kind: 'measurement', text: `power > ${watts(TOLERANCE.idlePowerW)} exactly when Charging in all ${mismatch.judged} readings` }] });
  return combine(parts);
};

/** Readings where power and status disagree (power > idle ⇔ Charging), after the settling time. Shared with PLT-ST-2. */
export function powerStatusMismatches(record: CertificationRecord, only?: 'charging-without-power'): { judged: number; bad: Evidence[]; chargingWithPower: number } {
  const bad: Evidence[] = [];
  let judged = 0;
  let chargingWithPower = 0;
  for (const s of meterSamples(record)) {
    if (s.powerW === undefined || s.connectorId === 0 || s.context.startsWith('Transaction.')) continue;
    const st = statusAt(record, s.connectorId, s.at);
    const changed = lastChangeBefore(record, s.connectorId, s.at);
    if (!st || (changed !== undefined && s.at - changed < TOLERANCE.settleMs)) continue;
    judged++;
    const flowing = s.powerW > TOLERANCE.idlePowerW;
    const charging = st.status === 'Charging';
    if (flowing && charging) chargingWithPower++;
    if (flowing === charging) continue;
    if (only && !charging) continue;
    if (bad.length < 5) bad.push({ kind: 'measurement', text: `${timeOfDay(s.at)} connector ${s.connectorId}: ${s.powerSource ?? 'power'} ${watts(s.powerW)} while ${st.status}`, frames: excerpt(s.exchange) });
  }
  return { judged, bad, chargingWithPower };
}
