import type { RequirementVerdict, RunResult, ScenarioResult } from '../../results/model.js';
import { formatSeconds, formatWallDate } from '../format-time.js';
import { requirementVerdictLabel, scenarioTimeFor } from '../run-summary.js';
import { evidenceBody, scenarioFailureBody, scenarioFailureMessage, scenarioStepLog } from './junit-body.js';
import { escapeXmlAttr, escapeXmlText } from './xml-escape.js';

/**
 * JUnit XML in the common dialect GitLab, Jenkins (JUnit plugin) and the GitHub test-report
 * actions read: `<testsuites>` › `<testsuite>` › `<testcase classname name time>` with at most one
 * `<failure>`, `<error>` or `<skipped>` child, and `<system-out>` for the step log.
 *
 * `run`: one testsuite per scenario file, one testcase per scenario.
 * `certify`: one testsuite, one testcase per requirement (fail → failure; not-applicable,
 * needs-operator, not-tested → skipped with the reason).
 */

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  ms: number;
}

type Attrs = Readonly<Record<string, string | number>>;

function attrs(a: Attrs): string {
  return Object.entries(a).map(([k, v]) => ` ${k}="${escapeXmlAttr(String(v))}"`).join('');
}

function countAttrs(c: Counts): Attrs {
  return { tests: c.tests, failures: c.failures, errors: c.errors, skipped: c.skipped, time: formatSeconds(c.ms) };
}

function element(tag: string, a: Attrs, body: string | undefined, pad: string): string {
  if (body === undefined || body === '') return `${pad}<${tag}${attrs(a)}/>`;
  return `${pad}<${tag}${attrs(a)}>${escapeXmlText(body)}</${tag}>`;
}

function scenarioCase(s: ScenarioResult): string {
  const head = `    <testcase${attrs({ classname: s.file, name: s.name, time: formatSeconds(s.wallDurationMs), file: s.file })}>`;
  const inner: string[] = [];
  if (s.status === 'failed' || s.status === 'error') {
    const { message, type } = scenarioFailureMessage(s);
    inner.push(element(s.status === 'failed' ? 'failure' : 'error', { message, type }, scenarioFailureBody(s), '      '));
  } else if (s.status === 'skipped') {
    inner.push(element('skipped', { message: 'scenario skipped' }, undefined, '      '));
  }
  const log = scenarioStepLog(s);
  if (log !== '') inner.push(element('system-out', {}, `charger ${s.chargePointId}\n${log}`, '      '));
  return [head, ...inner, '    </testcase>'].join('\n');
}

function requirementCase(run: RunResult, r: RequirementVerdict): string {
  const head = `    <testcase${attrs({ classname: r.id, name: r.title, time: formatSeconds(scenarioTimeFor(run, r.id)) })}>`;
  const first = r.evidence[0]?.text ?? '';
  const reason = first !== '' ? `${requirementVerdictLabel(r.verdict)}: ${first}` : requirementVerdictLabel(r.verdict);
  const inner: string[] = [];
  if (r.verdict === 'fail') {
    inner.push(element('failure', { message: first !== '' ? first : 'requirement not met', type: r.level }, evidenceBody(r.evidence), '      '));
  } else if (r.verdict !== 'pass') {
    inner.push(element('skipped', { message: reason }, undefined, '      '));
  }
  if (r.verdict !== 'fail' && r.evidence.length > 0) inner.push(element('system-out', {}, evidenceBody(r.evidence), '      '));
  return [head, ...inner, '    </testcase>'].join('\n');
}

function suite(name: string, run: RunResult, counts: Counts, cases: readonly string[], properties: Attrs): string {
  const props = Object.entries(properties).map(([k, v]) => `      <property${attrs({ name: k, value: v })}/>`);
  return [
    `  <testsuite${attrs({ name, ...countAttrs(counts), timestamp: new Date(run.wallStart).toISOString().slice(0, 19) })}>`,
    '    <properties>',
    ...props,
    '    </properties>',
    ...cases,
    '  </testsuite>',
  ].join('\n');
}

function runSuites(run: RunResult): { suites: string[]; total: Counts } {
  const files = [...new Set(run.scenarios.map((s) => s.file))];
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  const suites = files.map((file) => {
    const scenarios = run.scenarios.filter((s) => s.file === file);
    const c: Counts = {
      tests: scenarios.length,
      failures: scenarios.filter((s) => s.status === 'failed').length,
      errors: scenarios.filter((s) => s.status === 'error').length,
      skipped: scenarios.filter((s) => s.status === 'skipped').length,
      ms: scenarios.reduce((sum, s) => sum + s.wallDurationMs, 0),
    };
    for (const k of ['tests', 'failures', 'errors', 'skipped', 'ms'] as const) total[k] += c[k];
    const chargers = [...new Set(scenarios.map((s) => s.chargePointId))].join(', ');
    return suite(file, run, c, scenarios.map(scenarioCase), { command: run.command, mode: run.mode, target: run.target, chargers });
  });
  return { suites, total };
}

function certifySuites(run: RunResult): { suites: string[]; total: Counts } {
  const reqs = run.requirements ?? [];
  const total: Counts = {
    tests: reqs.length,
    failures: reqs.filter((r) => r.verdict === 'fail').length,
    errors: 0,
    skipped: reqs.filter((r) => r.verdict !== 'pass' && r.verdict !== 'fail').length,
    ms: run.wallDurationMs,
  };
  const props = { command: run.command, mode: run.mode, target: run.target, scenarios: run.scenarios.length };
  return { suites: [suite(`certify ${run.target}`, run, total, reqs.map((r) => requirementCase(run, r)), props)], total };
}

/** The text of junit.xml. */
export function renderJunit(run: RunResult): string {
  const { suites, total } = run.command === 'certify' ? certifySuites(run) : runSuites(run);
  const name = `chargecheck ${run.command} ${run.target} (${formatWallDate(run.wallStart)})`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name, ...countAttrs({ ...total, ms: run.wallDurationMs }) })}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
