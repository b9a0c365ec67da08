import { PLATFORM_16J } from '../conformance/requirements.js';
import type { RequirementVerdict, ScenarioResult } from '../report/model.js';

/**
 * Verdicts per requirement from the scenarios tagged with it (for `run`): pass when every tagged
 * scenario passed, fail when one failed. Requirements no scenario covers are left out.
 */
export function requirementsFromScenarios(scenarios: readonly ScenarioResult[]): RequirementVerdict[] {
  return PLATFORM_16J.filter((req) => scenarios.some((s) => s.requirements.includes(req.id))).map((req) => {
    const tagged = scenarios.filter((s) => s.requirements.includes(req.id));
    const failed = tagged.filter((s) => s.status !== 'passed');
    return {
      id: req.id,
      title: req.title,
      level: req.level,
      verdict: failed.length ? 'fail' : 'pass',
      evidence: (failed.length ? failed : tagged).map((s) => ({ kind: 'note' as const, text: `${s.status === 'passed' ? 'passed' : s.status}: ${s.name} (${s.file})` })),
    };
  });
}
