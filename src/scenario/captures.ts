import { fillJson } from '../acts/template.js';
import type { JsonValue } from '../acts/model.js';
import type { StepContext } from './context.js';
import type { JsonSchema, StepIssue, StepRuntime } from './registry.js';

/**
 * Captures: a step saves values from the frames it saw (`capture: { tx: response.transactionId }`)
 * and later steps and hooks name them as `{{tx}}`. A whole-string `'{{tx}}'` keeps the value's type.
 */
export const captureSchema: JsonSchema = {
  type: 'object',
  description: 'Save values for later steps and hooks: name → path into the CALL (`payload.…`) or its answer (`response.…`), e.g. { transactionId: response.transactionId }',
  propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  additionalProperties: { type: 'string', pattern: '^(payload|response)(\\.[A-Za-z0-9_]+)*$' },
};

export function captureIssues(capture: Record<string, string> | undefined, hasResponse: boolean): StepIssue[] {
  if (!capture || hasResponse) return [];
  return Object.entries(capture)
    .filter(([, path]) => path.startsWith('response'))
    .map(([name]) => ({ code: 'SCENARIO_BAD_VALUE' as const, pointer: `/capture/${name}`, message: 'capturing from the response needs `response:` (the step then waits for the answer)', hint: 'add `response: {}`' }));
}

function at(root: unknown, path: readonly string[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Saves each capture; a path that leads nowhere (or to an object) fails the step, naming the path. */
export function applyCaptures(capture: Record<string, string> | undefined, frames: { payload: unknown; response?: unknown }, step: StepRuntime): void {
  for (const [name, path] of Object.entries(capture ?? {})) {
    const [root, ...rest] = path.split('.');
    const value = at(root === 'payload' ? frames.payload : frames.response, rest);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      step.fail('SCENARIO_CAPTURE_MISSING', `cannot capture ${name}: ${path} is ${value === undefined ? 'absent' : JSON.stringify(value)}`, `a value at ${path}`, value);
    }
    step.capture(name, value);
    step.check({ description: `captured ${name} = ${JSON.stringify(value)}`, passed: true, actual: value });
  }
}

/** Every value a step may name: the run's (charge point id, id tag, …) and this scenario's captures. */
export function stepVars(ctx: StepContext, step: StepRuntime): Record<string, string | number | boolean | undefined> {
  return { chargePointId: ctx.chargePointId, ...(ctx.peerActs?.variables() ?? {}), ...step.vars() };
}

function hasPlaceholder(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some(hasPlaceholder);
  if (value && typeof value === 'object') return Object.values(value).some(hasPlaceholder);
  return false;
}

/** Fills `{{name}}` in a payload or matcher (unchanged when it names nothing). */
export function fill<T>(value: T, ctx: StepContext, step: StepRuntime): T {
  if (value === undefined || !hasPlaceholder(value)) return value;
  return fillJson(value as JsonValue, stepVars(ctx, step)) as T;
}

/** Payloads with placeholders are schema-checked when filled (at run time), not at load time. */
export function templated(value: unknown): boolean {
  return hasPlaceholder(value);
}
