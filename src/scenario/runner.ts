import { wallNow } from '../clock/system.js';
import { isChargecheckError } from '../errors.js';
import type { AssertionResult, Failure, Reporter, ScenarioResult, StepResult, Verdict } from '../results/model.js';
import type { StepContext } from './context.js';
import { toFrameRecord } from './frame-query.js';
import type { Scenario, ScenarioStep } from './model.js';
import { StepFailed, type CheckedAssertion, type StepRegistry, type StepRuntime } from './registry.js';
import { builtinSteps } from './steps/builtin.js';

export interface RunScenarioOptions {
  /** The registry the scenario was loaded with (default: the built-in steps). */
  readonly registry?: StepRegistry;
  readonly reporters?: readonly Reporter[];
  /** Most frames attached to a failed step (the last ones of the step). Default 20. */
  readonly failureFrameLimit?: number;
  /**
   * Keep going after a failed step (certify: steps drive the charger, the requirement checks decide
   * the verdicts, so one missed expectation must not stop the acts that other checks need).
   * A step that errors (the harness could not do it) still ends the scenario. Default false.
   * A function decides per failed step (certify: a wait that timed out ends the chain at once).
   */
  readonly continueOnFailure?: boolean | ((step: ScenarioStep) => boolean);
  /**
   * Stops the scenario (SIGINT/SIGTERM, a deadline): the step in progress ends at once as `skipped`
   * with failure code `RUN_INTERRUPTED`, later steps are `skipped`, and the result is returned as
   * usual so reports show what was recorded. The scenario's status is `skipped` unless a step had
   * already failed or errored.
   */
  readonly signal?: AbortSignal;
}

interface StepOutcome {
  readonly status: Verdict;
  readonly assertions: AssertionResult[];
  readonly failure?: Failure;
}

class Runtime implements StepRuntime {
  readonly assertions: AssertionResult[] = [];
  failure: Failure | undefined;

  constructor(
    readonly index: number,
    readonly role: Scenario['role'],
    readonly clockStart: number,
    readonly frameStart: number,
    private readonly cursors: Map<string, number>,
    private readonly captures: Map<string, string | number | boolean> = new Map(),
  ) {}

  vars(): Readonly<Record<string, string | number | boolean>> {
    return Object.fromEntries(this.captures);
  }

  capture(name: string, value: string | number | boolean): void {
    this.captures.set(name, value);
  }

  check(a: CheckedAssertion): boolean {
    this.assertions.push({ description: a.description, passed: a.passed, ...('expected' in a ? { expected: a.expected } : {}), ...('actual' in a ? { actual: a.actual } : {}) });
    if (!a.passed && !this.failure) {
      this.failure = { code: a.code ?? 'SCENARIO_ASSERTION_FAILED', message: a.description, ...('expected' in a ? { expected: a.expected } : {}), ...('actual' in a ? { actual: a.actual } : {}) };
    }
    return a.passed;
  }

  fail(code: string, message: string, expected?: unknown, actual?: unknown): never {
    const failure: Failure = { code, message, ...(expected !== undefined ? { expected } : {}), ...(actual !== undefined ? { actual } : {}) };
    this.assertions.push({ description: message, passed: false, ...(expected !== undefined ? { expected } : {}), ...(actual !== undefined ? { actual } : {}) });
    throw new StepFailed(failure);
  }

  cursor(key: string): number {
    return this.cursors.get(key) ?? 0;
  }

  advanceCursor(key: string, nextIndex: number): void {
    this.cursors.set(key, Math.max(this.cursor(key), nextIndex));
  }
}

/** Why a run stopped, for the interrupted step's failure text. */
function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (typeof r === 'string') return r;
  if (r instanceof Error && r.name !== 'AbortError') return r.message;
  return 'the run was interrupted';
}

function interrupted(signal: AbortSignal, assertions: AssertionResult[]): StepOutcome {
  return { status: 'skipped', assertions, failure: { code: 'RUN_INTERRUPTED', message: `not finished: ${abortReason(signal)}` } };
}

/** Resolves when `signal` aborts (never, without one); the listener goes with `settled`. */
function whenAborted(signal: AbortSignal | undefined, settled: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    const on = () => resolve();
    signal.addEventListener('abort', on, { once: true });
    const off = () => signal.removeEventListener('abort', on);
    settled.then(off, off);
  });
}

async function runStep(ctx: StepContext, registry: StepRegistry, step: ScenarioStep, runtime: Runtime, signal?: AbortSignal): Promise<StepOutcome> {
  const def = registry.get(step.kind);
  if (!def) return { status: 'error', assertions: [], failure: { code: 'SCENARIO_UNKNOWN_STEP', message: `step '${step.kind}' is not registered` } };
  try {
    const running = def.run(ctx, step.args, runtime);
    if (signal) {
      // On abort the step's own promise is left to end on its own (the context is closed after the run).
      running.catch(() => {});
      await Promise.race([running, whenAborted(signal, running)]);
    } else {
      await running;
    }
    // Waits end early on abort, so a step that "finished" after the signal proves nothing.
    if (signal?.aborted) return interrupted(signal, runtime.assertions);
  } catch (e) {
    if (signal?.aborted) return interrupted(signal, runtime.assertions);
    if (e instanceof StepFailed) return { status: 'failed', assertions: runtime.assertions, failure: runtime.failure ?? e.failure };
    const failure: Failure = isChargecheckError(e)
      ? { code: e.code, message: e.message, ...(Object.keys(e.details).length ? { actual: e.details } : {}) }
      : { code: 'SCENARIO_STEP_CRASHED', message: e instanceof Error ? e.message : String(e) };
    return { status: 'error', assertions: runtime.assertions, failure };
  }
  if (runtime.failure) return { status: 'failed', assertions: runtime.assertions, failure: runtime.failure };
  return { status: 'passed', assertions: runtime.assertions };
}

function skipped(step: ScenarioStep, title: string, now: number): StepResult {
  return { index: step.index, kind: step.kind, title, line: step.line, status: 'skipped', wallDurationMs: 0, clockStart: now, clockEnd: now, assertions: [], frames: [] };
}

/**
 * The result of a scenario that was never started (the run was interrupted first, or the target
 * cannot perform it): every step `skipped`, the scenario `skipped`, reported to `reporters` like a
 * run one. `why`, when given, is the scenario's failure (code and reason) for the reports.
 */
export function notRunScenario(
  scenario: Scenario,
  chargePointId: string,
  now: number,
  options: Pick<RunScenarioOptions, 'registry' | 'reporters'> = {},
  why?: { readonly code: string; readonly message: string },
): ScenarioResult {
  const registry = options.registry ?? builtinSteps();
  const reporters = options.reporters ?? [];
  const head = { name: scenario.name, file: scenario.file, chargePointId };
  for (const r of reporters) r.onScenarioStart?.(head);
  const steps = scenario.steps.map((step) => skipped(step, step.title ?? registry.get(step.kind)?.title(step.args) ?? step.kind, now));
  for (const step of steps) for (const r of reporters) r.onStepEnd?.({ name: scenario.name, chargePointId }, step);
  const result: ScenarioResult = {
    name: scenario.name,
    file: scenario.file,
    role: scenario.role,
    requirements: scenario.requirements,
    chargePointId,
    status: 'skipped',
    wallDurationMs: 0,
    clockStart: now,
    clockEnd: now,
    steps,
    timeline: [],
    frames: [],
    ...(why ? { failure: why } : {}),
  };
  for (const r of reporters) r.onScenarioEnd?.(result);
  return result;
}

/**
 * Runs one loaded scenario's steps in order against a StepContext. The first step that fails (an
 * assertion did not hold) or errors (the harness could not do it) ends the scenario: later steps
 * are reported as skipped (with `continueOnFailure`, only an error does). Each step is timed on the wall and the run clock; a failing step
 * carries the frames seen while it ran (the last `failureFrameLimit`).
 */
export async function runScenario(scenario: Scenario, ctx: StepContext, options: RunScenarioOptions = {}): Promise<ScenarioResult> {
  const registry = options.registry ?? builtinSteps();
  const reporters = options.reporters ?? [];
  const limit = options.failureFrameLimit ?? 20;
  const head = { name: scenario.name, file: scenario.file, chargePointId: ctx.chargePointId };
  for (const r of reporters) r.onScenarioStart?.(head);
  const wallStart = wallNow();
  const clockStart = ctx.time.clock.now();
  const cursors = new Map<string, number>();
  const captures = new Map<string, string | number | boolean>();
  const steps: StepResult[] = [];
  let stopped: Verdict | undefined;
  let failed = false;
  let interruptedRun = false;
  for (const step of scenario.steps) {
    const title = step.title ?? registry.get(step.kind)?.title(step.args) ?? step.kind;
    let result: StepResult;
    if (stopped || options.signal?.aborted) {
      if (!stopped) interruptedRun = true;
      result = skipped(step, title, ctx.time.clock.now());
    } else {
      const frameStart = ctx.frames.list().length;
      const stepClockStart = ctx.time.clock.now();
      const stepWallStart = wallNow();
      const outcome = await runStep(ctx, registry, step, new Runtime(step.index, scenario.role, stepClockStart, frameStart, cursors, captures), options.signal);
      const during = outcome.status === 'passed' ? [] : ctx.frames.list().slice(frameStart).slice(-limit).map(toFrameRecord);
      result = {
        index: step.index,
        kind: step.kind,
        title,
        line: step.line,
        status: outcome.status,
        wallDurationMs: wallNow() - stepWallStart,
        clockStart: stepClockStart,
        clockEnd: ctx.time.clock.now(),
        assertions: outcome.assertions,
        ...(outcome.failure ? { failure: outcome.failure } : {}),
        frames: during,
      };
      const goOn = typeof options.continueOnFailure === 'function' ? options.continueOnFailure(step) : options.continueOnFailure === true;
      if (outcome.failure?.code === 'RUN_INTERRUPTED') interruptedRun = true;
      else if (outcome.status === 'failed' && goOn) failed = true;
      else if (outcome.status !== 'passed') stopped = outcome.status;
    }
    steps.push(result);
    for (const r of reporters) r.onStepEnd?.({ name: scenario.name, chargePointId: ctx.chargePointId }, result);
  }
  const result: ScenarioResult = {
    name: scenario.name,
    file: scenario.file,
    role: scenario.role,
    requirements: scenario.requirements,
    chargePointId: ctx.chargePointId,
    status: stopped ?? (failed ? 'failed' : interruptedRun ? 'skipped' : 'passed'),
    wallDurationMs: wallNow() - wallStart,
    clockStart,
    clockEnd: ctx.time.clock.now(),
    steps,
    timeline: ctx.timeline?.() ?? [],
    frames: ctx.frames.list().map(toFrameRecord),
  };
  for (const r of reporters) r.onScenarioEnd?.(result);
  return result;
}
