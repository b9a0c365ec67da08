import { durationMs } from '../scenario/duration.js';
import type { Scenario } from '../scenario/model.js';

interface TimedArgs {
  readonly within?: string;
  readonly during?: string;
  readonly interval?: string;
  readonly count?: number;
}

/** A CSMS act's window counts half, at most 2 min: a CSMS like the platform acts well inside it. */
const ACT_SHARE = 0.5;
const ACT_CAP_MS = 120_000;
/** Any other window (the charger's or the CSMS's prompt answer) counts a tenth, at most 30 s. */
const WINDOW_SHARE = 0.1;
const WINDOW_CAP_MS = 30_000;

/**
 * A scenario's real-time length against a CSMS that behaves like the platform, estimated from its
 * steps: `wait`/`advance`, `during` and periodic MeterValues (count × interval) take their full
 * time; a CSMS act's window counts half (at most 2 min), any other window a tenth (at most 30 s).
 */
export function scenarioEstimateMs(scenario: Scenario): number {
  let total = 0;
  for (const step of scenario.steps) {
    const a = step.args;
    if ((step.kind === 'advance' || step.kind === 'wait') && typeof a === 'string') total += durationMs(a);
    else if (a && typeof a === 'object') {
      const t = a as TimedArgs;
      if (t.during) total += durationMs(t.during);
      else if (step.kind === 'expectMeterValues' && t.interval) total += (t.count ?? 3) * durationMs(t.interval);
      else if (t.within && step.kind === 'csmsAct') total += Math.min(ACT_CAP_MS, durationMs(t.within) * ACT_SHARE);
      else if (t.within) total += Math.min(WINDOW_CAP_MS, durationMs(t.within) * WINDOW_SHARE);
    }
  }
  return total;
}

/** The run's real-time length with `concurrency` scenarios at once (longest first, greedy). */
export function estimateRealTimeMs(scenarios: readonly Scenario[], concurrency: number, pauseMs: number): number {
  const lanes = new Array<number>(Math.max(1, concurrency)).fill(0);
  for (const ms of scenarios.map(scenarioEstimateMs).sort((x, y) => y - x)) {
    const i = lanes.indexOf(Math.min(...lanes));
    lanes[i] = (lanes[i] ?? 0) + ms + pauseMs;
  }
  return Math.round(Math.max(...lanes) / 1000) * 1000;
}
