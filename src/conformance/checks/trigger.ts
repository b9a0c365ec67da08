import type { Evidence } from '../../results/model.js';
import { combine, missing, note, type Check, type CheckResult } from '../check.js';
import { answerText, callsOf, excerpt, num, str, type Exchange } from '../exchanges.js';
import { seconds, timeOfDay } from '../evidence-text.js';
import type { CertificationRecord } from '../record.js';
import { TOLERANCE } from '../tolerances.js';

/** The registration status the charger was in when `ex` was sent (last BootNotification answer on that connection). */
function registrationAt(record: CertificationRecord, ex: Exchange): string | undefined {
  return callsOf(record, 'BootNotification', 'charger')
    .filter((b) => b.call.connectionId === ex.call.connectionId && b.answerIndex !== undefined && b.answerIndex < ex.index)
    .map((b) => str(b.result?.status))
    .at(-1);
}

/** Messages of `action` from the charger sent after the TriggerMessage.conf and within the reaction time. */
function followers(record: CertificationRecord, trigger: Exchange, action: string): { after: Exchange[]; before: Exchange[] } {
  const all = callsOf(record, action, 'charger').filter((m) => m.index > trigger.index && m.at - trigger.at <= TOLERANCE.reactionMs);
  const confAt = trigger.answerIndex ?? Number.POSITIVE_INFINITY;
  return { after: all.filter((m) => m.index > confAt), before: all.filter((m) => m.index < confAt) };
}

/**
 * Whether `m` (sent between a trigger's CALL and its .conf) answers an earlier accepted trigger of
 * the same message: that trigger's .conf came before it, it is within the reaction time, and the
 * earlier trigger asked for its connector. Such a message is late for the earlier trigger, not
 * early for this one.
 */
function answersEarlier(m: Exchange, earlier: readonly Exchange[]): boolean {
  return earlier.some((t) => {
    const c = num(t.payload.connectorId);
    return t.result?.status === 'Accepted' && t.answerIndex !== undefined && t.answerIndex < m.index && m.at - t.at <= TOLERANCE.reactionMs && (c === undefined || c === (num(m.payload.connectorId) ?? 0));
  });
}

function judgeOne(record: CertificationRecord, trigger: Exchange, action: string, expectConnectors: readonly number[] | undefined, earlier: readonly Exchange[] = []): CheckResult {
  const head = `TriggerMessage(${action}${num(trigger.payload.connectorId) !== undefined ? `, connector ${num(trigger.payload.connectorId)}` : ''}) at ${timeOfDay(trigger.at)} → ${answerText(trigger)}`;
  if (trigger.result?.status !== 'Accepted') {
    const reg = registrationAt(record, trigger);
    if (action === 'BootNotification' && reg === 'Accepted' && trigger.result?.status === 'Rejected') {
      return { verdict: 'not-tested', evidence: [{ kind: 'frame', text: `${head} while Accepted: allowed by errata v4.0; trigger during Pending to test`, frames: excerpt(trigger) }] };
    }
    return { verdict: 'fail', evidence: [{ kind: 'frame', text: head, frames: excerpt(trigger) }] };
  }
  const { after, before: sent } = followers(record, trigger, action);
  const before = sent.filter((m) => !answersEarlier(m, earlier));
  const evidence: Evidence[] = [];
  if (before.length) evidence.push({ kind: 'frame', text: `${action} sent before the TriggerMessage.conf (the .conf must come first)`, frames: excerpt(trigger, before[0]) });
  const wanted = expectConnectors ?? [];
  const got = after.map((m) => num(m.payload.connectorId) ?? 0);
  const lacking = wanted.filter((c) => !got.includes(c));
  if (!after.length || lacking.length) {
    const what = after.length ? `no StatusNotification for connector(s) ${lacking.join(', ')}` : `no ${action}`;
    return { verdict: 'fail', evidence: [{ kind: 'frame', text: `${head}, then ${what} within ${seconds(TOLERANCE.reactionMs)}`, frames: excerpt(trigger, ...after) }, ...evidence] };
  }
  const delay = after[0].at - (trigger.answer?.clockTime ?? trigger.at);
  evidence.unshift({ kind: 'frame', text: `${head}, then ${after.length}× ${action}${got.length && action === 'StatusNotification' ? ` (connector ${[...new Set(got)].join(', ')})` : ''} ${seconds(delay)} after the .conf`, frames: excerpt(trigger, ...after) });
  return { verdict: before.length ? 'fail' : 'pass', evidence };
}

function triggers(record: CertificationRecord, action: string): Exchange[] {
  return callsOf(record, 'TriggerMessage', 'csms').filter((e) => str(e.payload.requestedMessage) === action);
}

export const checkRt1: Check = (record) => {
  const list = triggers(record, 'BootNotification');
  if (!list.length) return missing(record, 'PLT-RT-1', 'no TriggerMessage(BootNotification) recorded');
  const results = list.map((t) => judgeOne(record, t, 'BootNotification', undefined));
  if (results.some((r) => r.verdict === 'pass') && !results.some((r) => r.verdict === 'fail')) return combine(results.map((r) => (r.verdict === 'not-tested' ? { ...r, verdict: 'pass' as const } : r)));
  return combine(results);
};

/** Connectors a StatusNotification trigger without connectorId must report: 0 and every connector seen. */
function allConnectors(record: CertificationRecord, before: number): number[] {
  const seen = new Set<number>([0]);
  for (const s of record.statuses) if (s.at <= before) seen.add(s.connectorId);
  return [...seen].sort((a, b) => a - b);
}

export const checkRt2: Check = (record) => {
  const list = triggers(record, 'StatusNotification');
  if (!list.length) return missing(record, 'PLT-RT-2', 'no TriggerMessage(StatusNotification) recorded');
  const results = list.map((t, i) => {
    const c = num(t.payload.connectorId);
    return judgeOne(record, t, 'StatusNotification', c === undefined ? allConnectors(record, t.at) : [c], list.slice(0, i));
  });
  const out = combine(results);
  return out.verdict === 'pass' ? out : { ...out, evidence: [...out.evidence, note(`${results.filter((r) => r.verdict === 'pass').length} of ${results.length} trigger(s) answered as required`)] };
};
