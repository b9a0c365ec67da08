import type { Evidence } from '../../results/model.js';
import { missing, note, type Check } from '../check.js';
import { answerText, callsOf, excerpt, str, type Exchange } from '../exchanges.js';
import { seconds, timeOfDay } from '../evidence-text.js';
import { sampledDuringTransactions, type MeterSample } from '../meter-series.js';
import type { CertificationRecord } from '../record.js';
import { TOLERANCE } from '../tolerances.js';

const WANTED_MEASURANDS = ['Energy.Active.Import.Register', 'Power.Active.Import'];

/** ChangeConfiguration CALLs for one key, in order. */
function changes(record: CertificationRecord, key: string): Exchange[] {
  return callsOf(record, 'ChangeConfiguration', 'csms').filter((e) => str(e.payload.key) === key);
}

/** The last ChangeConfiguration of `key` the charger answered Accepted. */
export function lastAccepted(record: CertificationRecord, key: string): Exchange | undefined {
  return changes(record, key).filter((e) => e.result?.status === 'Accepted').at(-1);
}

function sameSet(value: string, wanted: readonly string[]): boolean {
  const parts = value.split(',').map((p) => p.trim()).filter(Boolean);
  return parts.length === wanted.length && wanted.every((w) => parts.includes(w));
}

/** The answer to the platform's value: pass evidence, or a failing result. */
function answered(record: CertificationRecord, id: string, key: string, isPlatformValue: (v: string) => boolean, which: 'first' | 'last' = 'last'): { ex?: Exchange; failure?: ReturnType<Check> } {
  const asked = changes(record, key).filter((e) => isPlatformValue(str(e.payload.value) ?? ''));
  if (!asked.length) return { failure: missing(record, id, `no ChangeConfiguration ${key} with the platform's value recorded`) };
  const accepted = asked.filter((e) => e.result?.status === 'Accepted');
  const ok = which === 'first' ? accepted[0] : accepted.at(-1);
  if (!ok) {
    const last = asked.at(-1)!;
    return { failure: { verdict: 'fail', evidence: [{ kind: 'frame', text: `ChangeConfiguration ${key}=${str(last.payload.value)} answered ${answerText(last)}`, frames: excerpt(last) }] } };
  }
  return { ex: ok };
}

export const checkCfg1: Check = (record) => {
  const { ex, failure } = answered(record, 'PLT-CFG-1', 'MeterValuesSampledData', (v) => sameSet(v, WANTED_MEASURANDS));
  if (!ex) return failure!;
  const accepted: Evidence = { kind: 'frame', text: `ChangeConfiguration MeterValuesSampledData=${str(ex.payload.value)} Accepted at ${timeOfDay(ex.at)}`, frames: excerpt(ex) };
  const later = sampledDuringTransactions(record).filter((s) => s.exchange.index > ex.index);
  if (!later.length) return missing(record, 'PLT-CFG-1', 'no sampled MeterValues during a transaction after the change', [accepted]);
  const lacking = later.filter((s) => !WANTED_MEASURANDS.every((m) => s.measurands.includes(m)));
  if (lacking.length) {
    const s = lacking[0];
    const absent = WANTED_MEASURANDS.filter((m) => !s.measurands.includes(m));
    return { verdict: 'fail', evidence: [accepted, { kind: 'frame', text: `${lacking.length} of ${later.length} later samples lack ${absent.join(', ')}; first at ${timeOfDay(s.at)}`, frames: excerpt(s.exchange) }] };
  }
  return { verdict: 'pass', evidence: [accepted, { kind: 'measurement', text: `all ${later.length} later sampled MeterValues carry ${WANTED_MEASURANDS.join(' and ')}`, frames: excerpt(later[0].exchange), data: { n: later.length } }] };
};

/** Gaps between consecutive periodic samples of each transaction, on the charger's timestamps. */
function gaps(samples: readonly MeterSample[]): number[] {
  const byTx = new Map<number, MeterSample[]>();
  for (const s of samples) if (s.transactionId !== undefined) byTx.set(s.transactionId, [...(byTx.get(s.transactionId) ?? []), s]);
  const out: number[] = [];
  for (const list of byTx.values()) {
    const ordered = list.filter((s) => Number.isFinite(s.chargerTime)).sort((a, b) => a.chargerTime - b.chargerTime);
    for (let i = 1; i < ordered.length; i++) {
      // A gap across a reconnect spans an outage: delivery after network loss is PLT-NF-1's to judge.
      if (ordered[i].exchange.call.connectionId !== ordered[i - 1].exchange.call.connectionId) continue;
      out.push(ordered[i].chargerTime - ordered[i - 1].chargerTime);
    }
  }
  return out;
}

/** `MeterValues every 60.0 s (n=4 intervals, max deviation 0.3 s)`. */
export function intervalText(list: readonly number[], target: number): string {
  const mean = list.reduce((a, b) => a + b, 0) / list.length;
  const dev = Math.max(...list.map((g) => Math.abs(g - target)));
  return `MeterValues every ${seconds(mean)} (n=${list.length} intervals, max deviation ${seconds(dev)})`;
}

export const checkCfg2: Check = (record) => {
  // From the first acceptance on: every later transaction must sample at 60 s.
  const { ex, failure } = answered(record, 'PLT-CFG-2', 'MeterValueSampleInterval', (v) => Number(v) === TOLERANCE.sampleIntervalMs / 1000, 'first');
  if (!ex) return failure!;
  const accepted: Evidence = { kind: 'frame', text: `ChangeConfiguration MeterValueSampleInterval=${str(ex.payload.value)} Accepted at ${timeOfDay(ex.at)}`, frames: excerpt(ex), ok: true };
  const later = sampledDuringTransactions(record).filter((s) => s.exchange.index > ex.index);
  // Transactions already running at the change may keep their old phase for one gap: judge those that started after it.
  const started = new Set(callsOf(record, 'StartTransaction', 'charger').filter((s) => s.index > ex.index).map((s) => s.result?.transactionId));
  const fresh = later.filter((s) => started.has(s.transactionId));
  const list = gaps(fresh.length ? fresh : later);
  if (list.length < TOLERANCE.minIntervals) {
    return missing(record, 'PLT-CFG-2', `only ${list.length} sampling interval(s) recorded after the change (need ${TOLERANCE.minIntervals})`, [accepted]);
  }
  const target = TOLERANCE.sampleIntervalMs;
  const off = list.filter((g) => Math.abs(g - target) > TOLERANCE.sampleIntervalToleranceMs);
  const measured: Evidence = { kind: 'measurement', text: intervalText(list, target), data: { intervalsMs: list, targetMs: target, toleranceMs: TOLERANCE.sampleIntervalToleranceMs } };
  if (off.length) return { verdict: 'fail', evidence: [accepted, measured, note(`${off.length} interval(s) outside ${seconds(target)} ± ${seconds(TOLERANCE.sampleIntervalToleranceMs)}`)] };
  return { verdict: 'pass', evidence: [accepted, measured] };
};
