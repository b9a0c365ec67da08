import type { ActionName } from '../../ocpp/catalogue.js';
import { directionIssue, matcherIssues, payloadIssue } from '../call-checks.js';
import { peerOf, type Side } from '../context.js';
import { durationMs } from '../duration.js';
import { callPayload, findCall, findReply, messageIdOf, nearestMiss } from '../frame-query.js';
import { describeMatcher, matchValue } from '../matchers.js';
import { defineStep, type StepDefinition, type StepIssue } from '../registry.js';
import { action, callError, connector, duration, matcher, object, payload, side, status } from '../schema-parts.js';
import { applyCaptures, captureIssues, captureSchema, fill } from '../captures.js';

interface ExpectCallArgs {
  action: ActionName;
  from?: Side;
  connector?: number;
  payload?: unknown;
  within: string;
  reply?: Record<string, unknown>;
  replyError?: { code: string; description?: string };
  response?: unknown;
  unvalidated?: boolean;
  capture?: Record<string, string>;
}

function expectChecks(a: ExpectCallArgs, role: Side): StepIssue[] {
  const sender = a.from ?? peerOf(role);
  const issues = [...directionIssue(a.action, sender, '/action'), ...matcherIssues(a.payload, '/payload'), ...matcherIssues(a.response, '/response')];
  if (a.reply && a.replyError) issues.push({ code: 'SCENARIO_BAD_VALUE', pointer: '/replyError', message: 'give either reply or replyError, not both' });
  if (a.reply && !a.unvalidated) issues.push(...payloadIssue(a.action, 'response', a.reply, '/reply'));
  issues.push(...captureIssues(a.capture, a.response !== undefined));
  return issues;
}

/** Waiting for the peer: a CALL it sends (consumed in order), or a connector status. */
export const expectSteps: StepDefinition[] = [
  defineStep<ExpectCallArgs>({
    name: 'expectCall',
    description: 'Wait for a CALL from the peer matching action and payload; optionally choose our answer and check the answer given',
    args: object(
      {
        action,
        from: { ...side, description: 'Who sends it (default: the peer of the role)' },
        connector: { type: 'integer', minimum: 0, maximum: 8, description: 'Only CALLs whose payload has this connectorId' },
        payload: matcher('What the CALL payload must match'),
        within: duration('How long to wait', '30s'),
        reply: { ...payload, description: 'Answer this CALL with this payload (only CALLs arriving after the step starts count)' },
        replyError: { ...callError, description: 'Answer this CALL with a CALLERROR' },
        response: matcher('What the answer to this CALL must match'),
        unvalidated: { type: 'boolean', description: 'Allow a reply that breaks the OCPP schema' },
        capture: captureSchema,
      },
      ['action'],
    ),
    example: { action: 'StatusNotification', payload: { connectorId: 1, status: 'Charging' }, within: '30s' },
    title: (a) => `expect ${a.action}${a.payload !== undefined ? ` matching ${describeMatcher(a.payload)}` : ''} within ${a.within}`,
    check: (a, s) => expectChecks(a, s.role),
    run: async (ctx, a, step) => {
      const sender = a.from ?? peerOf(step.role);
      const replier = peerOf(sender);
      const withinMs = durationMs(a.within);
      const key = `${sender}:${a.action}`;
      const payloadSpec = fill(a.payload, ctx, step);
      const responseSpec = fill(a.response, ctx, step);
      let start = step.cursor(key);
      let cancelOverride = (): void => {};
      if (a.reply || a.replyError) {
        const reply = a.replyError ? { kind: 'error' as const, ...a.replyError } : { kind: 'result' as const, payload: fill(a.reply, ctx, step) ?? {} };
        cancelOverride = ctx.messaging.overrideNextReply(replier, a.action, reply);
        start = Math.max(start, step.frameStart);
      }
      const query = { sender, action: a.action, payload: payloadSpec, ...(a.connector !== undefined ? { connectorId: a.connector } : {}) };
      // With `response`, a matching CALL that was never answered (lost with its connection) does not
      // decide the step when the peer repeats it: a retried BootNotification that is answered counts.
      const answered = (): number => {
        const frames = ctx.frames.list();
        for (let i = findCall(frames, query, start); i >= 0; i = findCall(frames, query, i + 1)) {
          if (findReply(frames, messageIdOf(frames[i]) ?? '', replier, i + 1)) return i;
        }
        return -1;
      };
      let index = -1;
      const found = await ctx.time.waitUntil(() => (index = findCall(ctx.frames.list(), query, start)) >= 0, withinMs, `${a.action} from ${sender}`);
      if (!found) {
        cancelOverride();
        const miss = nearestMiss(ctx.frames.list(), query, start);
        step.fail(
          'SCENARIO_EXPECT_TIMEOUT',
          miss ? `no ${a.action} matching within ${a.within}; the last one differed at ${miss.message}` : `no ${a.action} from ${sender} within ${a.within}`,
          payloadSpec ?? `a ${a.action} CALL`,
          miss?.actual,
        );
      }
      if (responseSpec !== undefined) {
        const left = Math.max(0, step.clockStart + withinMs - ctx.time.clock.now());
        let firstAnswered = -1;
        await ctx.time.waitUntil(() => (firstAnswered = answered()) >= 0, left, `the answer to ${a.action}`);
        if (firstAnswered >= 0) index = firstAnswered;
      }
      const frames = ctx.frames.list();
      step.advanceCursor(key, index + 1);
      step.check({ description: `${a.action} received from ${sender}`, passed: true, actual: callPayload(frames[index]) });
      if (responseSpec === undefined) return applyCaptures(a.capture, { payload: callPayload(frames[index]) }, step);
      const reply = findReply(frames, messageIdOf(frames[index]) ?? '', replier, index + 1);
      if (!reply) return step.fail('SCENARIO_EXPECT_TIMEOUT', `${a.action} was not answered within ${a.within}`, responseSpec, undefined);
      if (reply.kind === 'error') return step.fail('SCENARIO_CALL_ERROR', `${a.action} was answered with CALLERROR ${reply.code}: ${reply.description}`, responseSpec, reply);
      const miss = matchValue(responseSpec, reply.payload);
      step.check({ description: miss ? `answer to ${a.action}: ${miss.message}` : `answer to ${a.action} matches ${describeMatcher(responseSpec)}`, passed: !miss, expected: responseSpec, actual: reply.payload, code: 'SCENARIO_RESPONSE_MISMATCH' });
      if (!miss) applyCaptures(a.capture, { payload: callPayload(frames[index]), response: reply.payload }, step);
    },
  }),
  defineStep<{ connector: number; status: string; within: string }>({
    name: 'expectStatus',
    description: 'Wait until a connector reaches a status',
    args: object({ connector, status, within: duration('How long to wait', '30s') }, ['status']),
    example: { connector: 1, status: 'Charging', within: '1m' },
    title: (a) => `expect connector ${a.connector} ${a.status} within ${a.within}`,
    run: async (ctx, a, step) => {
      const ok = await ctx.time.waitUntil(() => ctx.charger.status(a.connector) === a.status, durationMs(a.within), `connector ${a.connector} ${a.status}`);
      const actual = ctx.charger.status(a.connector);
      if (!ok) step.fail('SCENARIO_EXPECT_TIMEOUT', `connector ${a.connector} was ${actual ?? 'unknown'}, not ${a.status}, after ${a.within}`, a.status, actual);
      step.check({ description: `connector ${a.connector} is ${a.status}`, passed: true, expected: a.status, actual });
    },
  }),
];
