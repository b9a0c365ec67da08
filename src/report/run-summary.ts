import type { RequirementVerdictValue, RunResult, ScenarioResult, Verdict } from '../results/model.js';

/** Counts and the overall verdict every reporter shows in its header or summary line. */
export interface RunSummary {
  readonly overall: 'passed' | 'failed' | 'error';
  readonly scenarios: Readonly<Record<Verdict, number>> & { readonly total: number };
  readonly requirements?: Readonly<Record<RequirementVerdictValue, number>> & { readonly total: number };
}

export const REQUIREMENT_VERDICTS: readonly RequirementVerdictValue[] = ['pass', 'fail', 'not-applicable', 'needs-operator', 'not-tested'];
export const SCENARIO_VERDICTS: readonly Verdict[] = ['passed', 'failed', 'error', 'skipped'];

/**
 * The overall verdict follows the exit code the runner chose (0 passed, 1 a check failed, other
 * codes could not judge), and falls back to the results if the two disagree in the passing case.
 */
export function summariseRun(run: RunResult): RunSummary {
  const scenarios = { passed: 0, failed: 0, error: 0, skipped: 0, total: run.scenarios.length };
  for (const s of run.scenarios) scenarios[s.status] += 1;
  let requirements: RunSummary['requirements'];
  if (run.requirements !== undefined) {
    const counts = { pass: 0, fail: 0, 'not-applicable': 0, 'needs-operator': 0, 'not-tested': 0, total: run.requirements.length };
    for (const r of run.requirements) counts[r.verdict] += 1;
    requirements = counts;
  }
  const anyFailed = scenarios.failed > 0 || scenarios.error > 0 || (requirements?.fail ?? 0) > 0;
  let overall: RunSummary['overall'];
  if (run.exitCode === 1) overall = 'failed';
  else if (run.exitCode !== 0) overall = 'error';
  else overall = anyFailed ? 'failed' : 'passed';
  return { overall, scenarios, ...(requirements ? { requirements } : {}) };
}

/** Steps passed / all steps of a scenario. */
export function stepCounts(scenario: ScenarioResult): { passed: number; total: number } {
  return { passed: scenario.steps.filter((s) => s.status === 'passed').length, total: scenario.steps.length };
}

/** Human words for a requirement verdict: `not applicable`, `needs operator`. */
export function requirementVerdictLabel(verdict: RequirementVerdictValue): string {
  return verdict.replace('-', ' ');
}

/** The requirement ids' scenarios: wall time spent on them (for JUnit `time`). */
export function scenarioTimeFor(run: RunResult, requirementId: string): number {
  return run.scenarios.filter((s) => s.requirements.includes(requirementId)).reduce((sum, s) => sum + s.wallDurationMs, 0);
}
