import type { ActionName } from '../../ocpp/catalogue.js';
import { directionIssue, matcherIssues, payloadIssue } from '../call-checks.js';
import { peerOf, type Side, type StepContext } from '../context.js';
import { durationMs } from '../duration.js';
import { describeMatcher, matchValue } from '../matchers.js';
import { defineStep, type StepDefinition, type StepIssue, type StepRuntime } from '../registry.js';
import { action, callError, duration, matcher, object, payload } from '../schema-parts.js';
import { fill, templated } from '../captures.js';

interface SendArgs {
  action: ActionName;
  payload: Record<string, unknown>;
  expect?: unknown;
  expectError?: unknown;
  timeout?: string;
  unvalidated?: boolean;
}

const sendProperties = {
  action,
  payload: { ...payload, default: {}, description: 'The CALL payload' },
  expect: matcher('What the CALLRESULT payload must match'),
  expectError: matcher('Expect a CALLERROR instead, matching {code, description}'),
  timeout: duration('How long to wait for the answer'),
  unvalidated: { type: 'boolean', description: 'Send the payload even if it breaks the OCPP schema' },
};

function sendChecks(a: SendArgs, from: Side): StepIssue[] {
  const issues = [...directionIssue(a.action, from, '/action'), ...matcherIssues(a.expect, '/expect'), ...matcherIssues(a.expectError, '/expectError')];
  if (!a.unvalidated && !templated(a.payload)) issues.push(...payloadIssue(a.action, 'request', a.payload, '/payload'));
  if (a.expect !== undefined && a.expectError !== undefined) {
    issues.push({ code: 'SCENARIO_BAD_VALUE', pointer: '/expectError', message: 'give either expect or expectError, not both' });
  }
  return issues;
}

async function sendAndCheck(ctx: StepContext, step: StepRuntime, from: Side, args: SendArgs): Promise<void> {
  const a = { ...args, payload: fill(args.payload, ctx, step), expect: fill(args.expect, ctx, step) };
  const outcome = await ctx.messaging.call(from, a.action, a.payload, {
    ...(a.timeout ? { timeoutMs: durationMs(a.timeout) } : {}),
    ...(a.unvalidated ? { unvalidated: true } : {}),
  });
  if (a.expectError !== undefined) {
    if (outcome.kind === 'result') {
      step.fail('SCENARIO_UNEXPECTED_RESULT', `${a.action} was answered with a CALLRESULT, not a CALLERROR`, a.expectError, outcome.payload);
    }
    const error = { code: outcome.code, description: outcome.description };
    const miss = matchValue(a.expectError, error);
    step.check({ description: miss ? `${a.action} CALLERROR: ${miss.message}` : `${a.action} answered with CALLERROR ${outcome.code}`, passed: !miss, expected: a.expectError, actual: error, code: 'SCENARIO_RESPONSE_MISMATCH' });
    return;
  }
  if (outcome.kind === 'error') {
    step.fail('SCENARIO_CALL_ERROR', `${a.action} was answered with CALLERROR ${outcome.code}: ${outcome.description}`, a.expect ?? 'a CALLRESULT', { code: outcome.code, description: outcome.description });
  }
  if (a.expect === undefined) return;
  const miss = matchValue(a.expect, outcome.payload);
  step.check({ description: miss ? `${a.action} response: ${miss.message}` : `${a.action} response matches ${describeMatcher(a.expect)}`, passed: !miss, expected: a.expect, actual: outcome.payload, code: 'SCENARIO_RESPONSE_MISMATCH' });
}

function sendTitle(who: string, a: SendArgs): string {
  const tail = a.expect !== undefined ? ` expecting ${describeMatcher(a.expect)}` : a.expectError !== undefined ? ' expecting a CALLERROR' : '';
  return `${who} sends ${a.action}${tail}`;
}

interface ReplyArgs {
  action: ActionName;
  payload?: Record<string, unknown>;
  error?: { code: string; description?: string };
  unvalidated?: boolean;
}

/** Sending CALLs and choosing the answers chargecheck gives. */
export const callSteps: StepDefinition[] = [
  defineStep<SendArgs>({
    name: 'sendCall',
    description: 'Send a CALL from the side chargecheck plays and check the answer',
    args: object(sendProperties, ['action']),
    example: { action: 'Authorize', payload: { idTag: 'RFID-0001' }, expect: { idTagInfo: { status: 'Accepted' } } },
    title: (a) => sendTitle('we', a),
    check: (a, s) => sendChecks(a, s.role),
    run: (ctx, a, step) => sendAndCheck(ctx, step, step.role, a),
  }),
  defineStep<SendArgs>({
    name: 'csmsCall',
    description: 'Make the CSMS (chargecheck’s, or the one we play) send a CALL to the charger and check the answer',
    args: object(sendProperties, ['action']),
    example: { action: 'TriggerMessage', payload: { requestedMessage: 'StatusNotification' }, expect: { status: 'Accepted' } },
    title: (a) => sendTitle('the CSMS', a),
    check: (a) => sendChecks(a, 'csms'),
    run: (ctx, a, step) => sendAndCheck(ctx, step, 'csms', a),
  }),
  defineStep<ReplyArgs>({
    name: 'replyNext',
    description: 'Answer the next CALL of an action from the peer with this payload or CALLERROR',
    args: object(
      {
        action,
        payload: { ...payload, description: 'The CALLRESULT payload to answer with' },
        error: { ...callError, description: 'Answer with a CALLERROR instead' },
        unvalidated: { type: 'boolean', description: 'Allow a payload that breaks the OCPP schema' },
      },
      ['action'],
    ),
    example: { action: 'BootNotification', payload: { status: 'Pending', currentTime: '2026-01-01T08:00:00Z', interval: 10 } },
    title: (a) => `answer the next ${a.action} with ${a.error ? `CALLERROR ${a.error.code}` : JSON.stringify(a.payload)}`,
    check: (a, s) => {
      const issues = directionIssue(a.action, peerOf(s.role), '/action', 'send');
      if ((a.payload === undefined) === (a.error === undefined)) {
        issues.push({ code: 'SCENARIO_BAD_VALUE', pointer: '', message: 'replyNext needs exactly one of payload or error' });
      } else if (a.payload && !a.unvalidated) issues.push(...payloadIssue(a.action, 'response', a.payload, '/payload'));
      return issues;
    },
    run: async (ctx, a, step) => {
      ctx.messaging.overrideNextReply(
        step.role,
        a.action,
        a.error ? { kind: 'error', code: a.error.code, ...(a.error.description ? { description: a.error.description } : {}) } : { kind: 'result', payload: a.payload ?? {} },
      );
    },
  }),
];
