import type { Evidence } from '../../results/model.js';
import { missing, note, type Check } from '../check.js';
import { answerText, callsOf, excerpt, exchanges, toFrameRecord } from '../exchanges.js';
import { seconds, timeOfDay } from '../evidence-text.js';
import { TOLERANCE } from '../tolerances.js';
import { carriesPower, sampledDuringTransactions } from '../meter-series.js';
import type { CertificationRecord } from '../record.js';
import { lastAccepted } from './configuration.js';

/** Charger-initiated Core messages the flow must contain (Heartbeat is reported, not required: §11 lets other traffic replace it). */
const REQUIRED_FLOW = ['BootNotification', 'StatusNotification', 'Authorize', 'StartTransaction', 'MeterValues', 'StopTransaction'] as const;

/** CSMS-initiated Core calls: answering them with NotImplemented / NotSupported breaks the Core profile. */
const CORE_CSMS_CALLS = new Set([
  'ChangeAvailability',
  'ChangeConfiguration',
  'ClearCache',
  'GetConfiguration',
  'RemoteStartTransaction',
  'RemoteStopTransaction',
  'Reset',
  'UnlockConnector',
]);

function flowEvidence(record: CertificationRecord): { seen: Evidence[]; missingActions: string[] } {
  const seen: Evidence[] = [];
  const missingActions: string[] = [];
  for (const action of [...REQUIRED_FLOW, 'Heartbeat']) {
    const calls = callsOf(record, action, 'charger');
    const answered = calls.filter((c) => c.result);
    if (!answered.length) {
      if (action !== 'Heartbeat') missingActions.push(action);
      else seen.push(note('no Heartbeat in this session (allowed when other traffic flows)'));
      continue;
    }
    seen.push({ kind: 'frame', text: `${action} ×${calls.length}, first at ${timeOfDay(answered[0].at)}`, frames: excerpt(answered[0]) });
  }
  return { seen, missingActions };
}

export const checkCore1: Check = (record) => {
  if (!callsOf(record, 'BootNotification', 'charger').length) return missing(record, 'PLT-CORE-1', 'no BootNotification recorded');
  const { seen, missingActions } = flowEvidence(record);
  const problems: Evidence[] = [];
  for (const f of record.frames) {
    if (f.direction === 'in' && (f.frame === null || f.problem)) problems.push({ kind: 'frame', text: `malformed frame from the charger at ${timeOfDay(f.clockTime)}: ${f.problem ?? 'not an OCPP-J frame'}`, frames: [toFrameRecord(f)] });
  }
  for (const ex of exchanges(record)) {
    if (ex.from !== 'csms' || !CORE_CSMS_CALLS.has(ex.action)) continue;
    if (!ex.answer) problems.push({ kind: 'frame', text: `${ex.action} at ${timeOfDay(ex.at)} was never answered`, frames: excerpt(ex) });
    else if (ex.errorCode === 'NotImplemented' || ex.errorCode === 'NotSupported') problems.push({ kind: 'frame', text: `${ex.action} answered ${answerText(ex)}: a Core call`, frames: excerpt(ex) });
  }
  // Reset accepted means a reboot: a new connection with a BootNotification must follow.
  const end = Math.max(0, ...record.frames.map((f) => f.clockTime));
  for (const ex of callsOf(record, 'Reset', 'csms')) {
    if (ex.result?.status !== 'Accepted') continue;
    const boot = callsOf(record, 'BootNotification', 'charger').find((b) => b.index > ex.index && b.call.connectionId !== ex.call.connectionId);
    const late = boot ? boot.at - ex.at > TOLERANCE.rebootMs : end - ex.at >= TOLERANCE.rebootMs;
    if (late) problems.push({ kind: 'frame', text: `Reset(${String(ex.payload.type)}) at ${timeOfDay(ex.at)} → Accepted, then no reboot (no new connection with a BootNotification) within ${seconds(TOLERANCE.rebootMs)}`, frames: excerpt(ex) });
  }
  const coreCalls = exchanges(record).filter((e) => e.from === 'csms' && CORE_CSMS_CALLS.has(e.action) && e.result);
  if (coreCalls.length) seen.push(note(`Core CSMS calls answered: ${[...new Set(coreCalls.map((c) => `${c.action} ${answerText(c)}`))].join(', ')}`));
  if (problems.length) return { verdict: 'fail', evidence: [...problems, ...seen] };
  if (missingActions.length) return missing(record, 'PLT-CORE-1', `no answered ${missingActions.join(', ')} from the charger`, seen);
  return { verdict: 'pass', evidence: seen };
};

export const checkCore2: Check = (record) => {
  const configured = lastAccepted(record, 'MeterValuesSampledData');
  const samples = sampledDuringTransactions(record).filter((s) => !configured || s.exchange.index > configured.index);
  if (!samples.length) return missing(record, 'PLT-CORE-2', 'no sampled MeterValues during a transaction recorded');
  const without = samples.filter((s) => !carriesPower(s));
  if (without.length) {
    const s = without[0];
    return {
      verdict: 'fail',
      evidence: [
        { kind: 'frame', text: `${without.length} of ${samples.length} sampled MeterValues carry neither Power.Active.Import nor Current.Import with Voltage; first at ${timeOfDay(s.at)} (transaction ${s.transactionId}) carries only ${s.measurands.join(', ')}`, frames: excerpt(s.exchange) },
      ],
    };
  }
  const sources = [...new Set(samples.map((s) => s.powerSource ?? ''))].join(' / ');
  const txs = [...new Set(samples.map((s) => s.transactionId))].join(', ');
  return { verdict: 'pass', evidence: [{ kind: 'frame', text: `all ${samples.length} sampled MeterValues in transaction(s) ${txs} carry ${sources}`, frames: excerpt(samples[0].exchange), data: { n: samples.length } }] };
};
