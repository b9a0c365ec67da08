import { ChargecheckError, isErrorCode } from '../errors.js';
import type { Failure } from '../results/model.js';
import type { Side, StepContext } from './context.js';
import type { JsonSchema } from '../ocpp/schema-files.js';

/** A JSON Schema document or fragment (one definition, in ocpp/schema-files.ts). */
export type { JsonSchema } from '../ocpp/schema-files.js';

/** A load-time problem found by a step's own check, at a pointer relative to the step's args. */
export interface StepIssue {
  readonly code: 'SCENARIO_BAD_MATCHER' | 'SCENARIO_WRONG_DIRECTION' | 'SCENARIO_BAD_PAYLOAD' | 'SCENARIO_BAD_VALUE';
  readonly pointer: string;
  readonly message: string;
  readonly expected?: string;
  readonly hint?: string;
}

export interface CheckedAssertion {
  readonly description: string;
  readonly passed: boolean;
  readonly expected?: unknown;
  readonly actual?: unknown;
  /** Failure code when it did not pass; SCENARIO_ASSERTION_FAILED if not given. */
  readonly code?: string;
}

/** What a running step knows about itself and the scenario, and how it reports. */
export interface StepRuntime {
  readonly index: number;
  readonly role: Side;
  /** Run-clock time and frame-log length when the step started. */
  readonly clockStart: number;
  readonly frameStart: number;
  /** Records an assertion; a failed one fails the step (the first failure is the step's failure). */
  check(assertion: CheckedAssertion): boolean;
  /** Fails the step now with a failure that explains itself. */
  fail(code: string, message: string, expected?: unknown, actual?: unknown): never;
  /**
   * Expect-steps consume frames in order: the frame-log index after the last frame matched for
   * `key` (e.g. `csms:SetChargingProfile`), 0 at the start of the scenario.
   */
  cursor(key: string): number;
  advanceCursor(key: string, nextIndex: number): void;
  /** Values captured by earlier steps of this scenario (`capture:`), for `{{name}}` in later steps and hooks. */
  vars(): Readonly<Record<string, string | number | boolean>>;
  /** Saves a captured value under `name` for the rest of the scenario. */
  capture(name: string, value: string | number | boolean): void;
}

/** Thrown by `StepRuntime.fail`; the runner turns it into the step's Failure. */
export class StepFailed extends ChargecheckError {
  readonly failure: Failure;

  constructor(failure: Failure) {
    super(isErrorCode(failure.code) ? failure.code : 'SCENARIO_ASSERTION_FAILED', failure.message, { expected: failure.expected, actual: failure.actual });
    this.name = 'StepFailed';
    this.failure = failure;
  }
}

/**
 * One kind of step (k6-executor style): its name, its arguments' JSON Schema (validated at load
 * time with defaults filled in, and published in schemas/scenario.schema.json), a one-line
 * description, an example, a title for reports, optional load-time checks, and what it does.
 */
export interface StepDefinition<A = unknown> {
  readonly name: string;
  readonly description: string;
  readonly args: JsonSchema;
  /** Valid arguments, used in the docs and the tests (`null` for a step written bare). */
  readonly example: A | null;
  title(args: A): string;
  check?(args: A, scenario: { readonly role: Side }): StepIssue[];
  run(ctx: StepContext, args: A, step: StepRuntime): Promise<void>;
}

/** Erases a step's argument type for the registry; the loader guarantees args fit the schema. */
export function defineStep<A>(definition: StepDefinition<A>): StepDefinition {
  return definition as unknown as StepDefinition;
}

/** Whether a step may be written bare (`- connect`): object args with nothing required. */
export function allowsBare(def: StepDefinition): boolean {
  const required = def.args.required;
  return def.args.type === 'object' && (!Array.isArray(required) || required.length === 0);
}

export class StepRegistry {
  private readonly steps = new Map<string, StepDefinition>();

  constructor(definitions: Iterable<StepDefinition> = []) {
    for (const d of definitions) this.register(d);
  }

  register(definition: StepDefinition): this {
    if (this.steps.has(definition.name)) throw new ChargecheckError('SCENARIO_STEP_DUPLICATE', `step '${definition.name}' is already registered`);
    this.steps.set(definition.name, definition);
    return this;
  }

  get(name: string): StepDefinition | undefined {
    return this.steps.get(name);
  }

  names(): string[] {
    return [...this.steps.keys()];
  }

  all(): StepDefinition[] {
    return [...this.steps.values()];
  }
}
