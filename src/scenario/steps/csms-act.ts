import { actSentence, performAct } from '../../acts/perform.js';
import type { Act, Performer } from '../../acts/model.js';
import { ChargecheckError } from '../../errors.js';
import type { ActionName } from '../../ocpp/catalogue.js';
import { applyCaptures, captureIssues, captureSchema, fill, stepVars, templated } from '../captures.js';
import { directionIssue, matcherIssues, payloadIssue } from '../call-checks.js';
import { durationMs, formatDuration } from '../duration.js';
import { callPayload, findCall, findReply, messageIdOf, nearestMiss } from '../frame-query.js';
import { describeMatcher, matchValue } from '../matchers.js';
import { defineStep, type StepDefinition, type StepIssue } from '../registry.js';
import { action, duration, matcher, object, payload } from '../schema-parts.js';

interface CsmsActArgs {
  act: string;
  connector: number;
  say?: string;
  action: ActionName;
  payload?: unknown;
  response?: unknown;
  within: string;
  send?: Record<string, unknown>;
  capture?: Record<string, string>;
}

/** The act's name as hooks and `actsOnItsOwn` know it: letters, digits, dots, dashes. */
export const ACT_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9.-]*$';

function checks(a: CsmsActArgs): StepIssue[] {
  const issues = [...directionIssue(a.action, 'csms', '/action'), ...matcherIssues(a.payload, '/payload'), ...matcherIssues(a.response, '/response')];
  if (a.send && !templated(a.send)) issues.push(...payloadIssue(a.action, 'request', a.send, '/send'));
  if (a.send && a.payload !== undefined && !templated(a.send) && !templated(a.payload)) {
    const miss = matchValue(a.payload, a.send);
    if (miss) issues.push({ code: 'SCENARIO_BAD_VALUE', pointer: '/send', message: `what chargecheck's CSMS would send does not match the evidence: ${miss.message}` });
  }
  issues.push(...captureIssues(a.capture, a.response !== undefined));
  return issues;
}

/**
 * An act of the CSMS (docs/acts.md): what the CSMS must do, shown by a CALL it sends. The step waits
 * for that CALL; how it comes about is the run's business (ctx.peerActs): chargecheck's own CSMS
 * sends `send`, an external CSMS acts by itself, or a hook / a prompt makes it act.
 */
export const csmsActSteps: StepDefinition[] = [
  defineStep<CsmsActArgs>({
    name: 'csmsAct',
    description: 'The CSMS must act (configure, curtail, trigger, update firmware): wait for the CALL that shows it; the target decides who makes it happen (chargecheck’s CSMS, the CSMS by itself, a hook, an operator)',
    args: object(
      {
        act: { type: 'string', pattern: ACT_NAME_PATTERN, description: 'The act’s name; a target file’s hooks and actsOnItsOwn use it (e.g. limitOff, release, chargePointMax, triggerStatus, updateFirmware)' },
        connector: { type: 'integer', minimum: 0, maximum: 8, default: 1, description: 'The connector the act is about ({{connectorId}} in hooks)' },
        say: { type: 'string', description: 'The act for a person or a log, e.g. "switch charging off for {{chargePointId}}" (default from the action)' },
        action,
        payload: matcher('What the CSMS’s CALL must match (the evidence); may use {{captured}} values'),
        response: matcher('What the charger’s answer must match'),
        within: duration('How long the CSMS has, from the start of the step', '2m'),
        send: { ...payload, description: 'The CALL payload chargecheck’s own CSMS sends to perform the act (may use {{captured}} values)' },
        capture: captureSchema,
      },
      ['act', 'action'],
    ),
    example: {
      act: 'limitOff',
      connector: 1,
      action: 'SetChargingProfile',
      payload: { csChargingProfiles: { chargingProfilePurpose: 'TxProfile', chargingSchedule: { chargingSchedulePeriod: [{ limit: 0 }] } } },
      response: { status: 'Accepted' },
      within: '2m',
    },
    title: (a) => `the CSMS acts (${a.act}): ${a.action}${a.payload !== undefined ? ` matching ${describeMatcher(a.payload)}` : ''} within ${a.within}`,
    check: (a) => checks(a),
    run: async (ctx, a, step) => {
      const key = `csms:${a.action}`;
      const start = step.cursor(key);
      const payloadSpec = fill(a.payload, ctx, step);
      const responseSpec = fill(a.response, ctx, step);
      const query = { sender: 'csms' as const, action: a.action, payload: payloadSpec };
      const vars = { ...stepVars(ctx, step), connectorId: a.connector };
      const own = a.send ? async () => void (await ctx.messaging.call('csms', a.action, fill(a.send, ctx, step) ?? {})) : undefined;
      const chosen: Performer | string = ctx.peerActs ? ctx.peerActs.performer(a.act, own) : own ? { kind: 'own', perform: own } : { kind: 'wait' };
      if (typeof chosen === 'string') throw new ChargecheckError('RUN_ACT_UNAVAILABLE', `the CSMS act '${a.act}' cannot happen in this run: ${chosen}`, { act: a.act });
      const evidence = `${a.action}${payloadSpec !== undefined ? ` matching ${describeMatcher(payloadSpec)}` : ''} from the CSMS`;
      const act: Act = {
        kind: a.act,
        connectorId: a.connector,
        sentence: `make the CSMS ${a.say ?? `send ${a.action} to {{chargePointId}} (act ${a.act})`}`,
        evidence,
        windowMs: ctx.peerActs?.windowMs?.(a.act) ?? durationMs(a.within),
      };
      const within = ctx.peerActs?.windowMs?.(a.act) !== undefined ? formatDuration(act.windowMs) : a.within;
      let index = -1;
      const outcome = await performAct(act, chosen, {
        clock: ctx.time.clock,
        vars,
        promptOutput: ctx.peerActs?.promptOutput,
        evidence: { met: () => (index = findCall(ctx.frames.list(), query, start)) >= 0, wait: (pred, ms, what) => ctx.time.waitUntil(pred, ms, what) },
      });
      if (!outcome.done) {
        if (outcome.hook && !outcome.hook.ok) throw new ChargecheckError('RUN_HOOK_FAILED', `the hook for '${a.act}' failed: ${outcome.hook.summary}`, { act: a.act, hook: outcome.hook.summary });
        if (outcome.ownError) throw new ChargecheckError('RUN_ACT_FAILED', `chargecheck's CSMS could not perform '${a.act}': ${outcome.ownError}`, { act: a.act });
        const miss = nearestMiss(ctx.frames.list(), query, start);
        const what = a.say ? actSentence({ ...act, sentence: a.say }, vars) : `send ${a.action}`;
        const why = miss ? `${outcome.reason}; the last ${a.action} differed at ${miss.message}` : outcome.reason;
        step.fail('SCENARIO_EXPECT_TIMEOUT', `the CSMS did not ${what} within ${within} (${why})`, payloadSpec ?? `a ${a.action} CALL`, miss?.actual);
      }
      step.advanceCursor(key, index + 1);
      const frames = ctx.frames.list();
      step.check({ description: `the CSMS sent ${a.action} (${outcome.performer === 'own' ? 'chargecheck’s CSMS' : outcome.performer === 'wait' ? 'by itself' : `via ${outcome.performer}`})`, passed: true, actual: callPayload(frames[index]) });
      if (responseSpec === undefined) return applyCaptures(a.capture, { payload: callPayload(frames[index]) }, step);
      const id = messageIdOf(frames[index]) ?? '';
      const left = Math.max(0, step.clockStart + act.windowMs - ctx.time.clock.now());
      await ctx.time.waitUntil(() => findReply(ctx.frames.list(), id, 'chargepoint', index + 1) !== undefined, Math.max(left, 10_000), `the charger's answer to ${a.action}`);
      const reply = findReply(ctx.frames.list(), id, 'chargepoint', index + 1);
      if (!reply) return step.fail('SCENARIO_EXPECT_TIMEOUT', `the charger did not answer ${a.action}`, responseSpec, undefined);
      if (reply.kind === 'error') return step.fail('SCENARIO_CALL_ERROR', `${a.action} was answered with CALLERROR ${reply.code}: ${reply.description}`, responseSpec, reply);
      const miss = matchValue(responseSpec, reply.payload);
      step.check({ description: miss ? `answer to ${a.action}: ${miss.message}` : `answer to ${a.action} matches ${describeMatcher(responseSpec)}`, passed: !miss, expected: responseSpec, actual: reply.payload, code: 'SCENARIO_RESPONSE_MISMATCH' });
      if (!miss) applyCaptures(a.capture, { payload: callPayload(frames[index]), response: reply.payload }, step);
    },
  }),
];
