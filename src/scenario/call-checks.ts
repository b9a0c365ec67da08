import { isActionName, maySend } from '../ocpp/catalogue.js';
import { validatePayload, type PayloadKind } from '../ocpp/validator.js';
import type { Side } from './context.js';
import { checkMatcher } from './matchers.js';
import type { StepIssue } from './registry.js';

/** Load-time checks shared by the steps that send, expect or answer CALLs. */

const SENDER = { chargepoint: 'ChargePoint', csms: 'Csms' } as const;
const NAME = { chargepoint: 'the charge point', csms: 'the CSMS' } as const;

export function directionIssue(action: string, sender: Side, pointer: string, verb = 'send'): StepIssue[] {
  if (!isActionName(action) || maySend(action, SENDER[sender])) return [];
  const other = sender === 'chargepoint' ? 'csms' : 'chargepoint';
  return [
    {
      code: 'SCENARIO_WRONG_DIRECTION',
      pointer,
      message: `${NAME[sender]} cannot ${verb} ${action}`,
      expected: `an action ${NAME[sender]} sends`,
      hint: `in OCPP 1.6 only ${NAME[other]} sends ${action}`,
    },
  ];
}

export function payloadIssue(action: string, kind: PayloadKind, payload: unknown, pointer: string): StepIssue[] {
  if (!isActionName(action)) return [];
  const failure = validatePayload(action, kind, payload);
  if (!failure) return [];
  return [
    {
      code: 'SCENARIO_BAD_PAYLOAD',
      pointer: pointer + failure.path,
      message: `${action}${kind === 'response' ? 'Response' : ''} payload: ${failure.message.replace(/^\S*: /, '')}`,
      expected: `a valid ${action} ${kind} (OCPP 1.6)`,
      hint: 'set `unvalidated: true` to send it anyway',
    },
  ];
}

export function matcherIssues(spec: unknown, pointer: string): StepIssue[] {
  if (spec === undefined) return [];
  return checkMatcher(spec).map((i) => ({ code: 'SCENARIO_BAD_MATCHER', pointer: pointer + i.pointer, message: i.message }));
}
