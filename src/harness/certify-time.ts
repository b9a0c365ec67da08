import type { Clock } from '../clock/clock.js';
import { ChargecheckError } from '../errors.js';
import type { RunTime } from '../scenario/context.js';
import { durationMs, isDuration } from '../scenario/duration.js';
import type { Scenario } from '../scenario/model.js';

/** Why a certify run stopped early: a signal or the `--deadline`. */
export class CertifyStop {
  readonly controller = new AbortController();
  reason: string | undefined;
  at: number | undefined;

  constructor(private readonly clock: Clock) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(reason: string): void {
    if (this.reason) return;
    this.reason = reason;
    this.at = this.clock.now();
    this.controller.abort(new ChargecheckError('CERTIFY_INTERRUPTED', reason));
  }

  /** Throws CERTIFY_INTERRUPTED once stopped. */
  check(): void {
    if (this.reason) throw new ChargecheckError('CERTIFY_INTERRUPTED', `certify stopped: ${this.reason}`);
  }
}

/**
 * The run's time, ended at once by `stop`: a wait or a pause in progress throws CERTIFY_INTERRUPTED
 * (the scenario runner records the step as an error and ends the scenario), so nothing more is
 * asked of the charger and the reports can be written with what was recorded.
 */
export function interruptible(time: RunTime, stop: CertifyStop): RunTime {
  const aborted = new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
  return {
    ...time,
    async advance(ms) {
      stop.check();
      await Promise.race([time.advance(ms), aborted]);
      stop.check();
    },
    async waitUntil(pred, timeoutMs, what) {
      stop.check();
      const ok = await time.waitUntil(() => stop.reason !== undefined || pred(), timeoutMs, what);
      stop.check();
      return ok;
    },
  };
}

/** Allowance per step kind for a conformant charger that answers at once (real time). */
const STEP_MS: Readonly<Record<string, number>> = { connect: 20_000, csmsCall: 500, expectCall: 2_000, expectStatus: 2_000, assertPower: 1_000 };

/**
 * What the scenarios take with a conformant charger, from their steps: every `wait`, every
 * `expectMeterValues` (count × interval), a reboot per scenario and a little per exchange. Shown
 * up front so an operator knows what they are in for.
 */
export function estimateMs(scenarios: readonly Scenario[]): number {
  let total = 0;
  for (const s of scenarios) {
    for (const step of s.steps) {
      const a = (step.args ?? {}) as Readonly<Record<string, unknown>>;
      if (step.kind === 'wait' && isDuration(step.args)) total += durationMs(step.args);
      else if (step.kind === 'wait' && isDuration(a.duration)) total += durationMs(a.duration);
      else if (step.kind === 'expectMeterValues') total += (typeof a.count === 'number' ? a.count : 1) * (isDuration(a.interval) ? durationMs(a.interval) : 60_000);
      else total += STEP_MS[step.kind] ?? 1_000;
    }
  }
  return total;
}

/**
 * A plain progress line at most every `everyMs` while certify waits (for output that cannot be
 * redrawn: a pipe, a CI log): `… waiting for <what> — 42 s left (scenario 3/9, 6 min elapsed)`.
 */
export function progressLines(clock: Clock, write: (line: string) => void, everyMs = 10_000): { waiting(what: string, msLeft: number): void; scenario(index: number, count: number, name: string): void } {
  let last = Number.NEGATIVE_INFINITY;
  let where = '';
  const start = clock.now();
  return {
    waiting(what, msLeft) {
      const now = clock.now();
      if (now - last < everyMs) return;
      last = now;
      write(`… waiting for ${what} — ${Math.ceil(msLeft / 1000)} s left (${where}${Math.round((now - start) / 60_000)} min elapsed)`);
    },
    scenario(index, count, name) {
      where = `scenario ${index}/${count} '${name}', `;
      last = Number.NEGATIVE_INFINITY;
    },
  };
}
