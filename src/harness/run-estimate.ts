import { durationMs } from '../scenario/duration.js';
import type { Scenario } from '../scenario/model.js';

interface TimedArgs {
  readonly within?: string;
  readonly during?: string;
}

/**
 * A scenario's real-time length, estimated from its steps: `advance`/`wait` and `during` take
 * their full time; an expectation or a CSMS act is counted at a quarter of its window (most
 * arrive early), at least a second.
 */
export function scenarioEstimateMs(scenario: Scenario): number {
  let total = 0;
  for (const step of scenario.steps) {
    const a = step.args;
    if ((step.kind === 'advance' || step.kind === 'wait') && typeof a === 'string') total += durationMs(a);
    else if (a && typeof a === 'object') {
      const t = a as TimedArgs;
      if (t.during) total += durationMs(t.during);
      else if (t.within) total += Math.max(1_000, durationMs(t.within) / 4);
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
