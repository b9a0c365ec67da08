import type { Evidence, FrameRecord, ScenarioResult, StepResult } from '../../results/model.js';
import { formatClockOffset } from '../format-time.js';
import { formatValueBlock } from '../format-value.js';
import { directionArrow, frameSnippet } from '../frame-text.js';

/**
 * The plain-text bodies of JUnit `<failure>`, `<error>` and `<system-out>` elements: CI systems show
 * them verbatim, so they read like the terminal's failure block. Escaping is the caller's job.
 */

const FRAME_CHARS = 2000;

function frameLines(frames: readonly FrameRecord[], origin: number): string[] {
  return frames.map((f) => `  ${directionArrow(f.direction)} ${formatClockOffset(f.clockTime - origin)} ${f.connection}  ${frameSnippet(f, FRAME_CHARS)}`);
}

function indent(text: string, prefix: string): string {
  return text.split('\n').map((l) => prefix + l).join('\n');
}

/** What failed in a scenario: each failed or errored step with expected, actual and its frames. */
export function scenarioFailureBody(scenario: ScenarioResult): string {
  const out: string[] = [];
  const sf = scenario.failure;
  if (sf) {
    out.push(`${sf.code}: ${sf.message}`);
    if (sf.expected !== undefined || sf.actual !== undefined) {
      out.push('expected:', indent(formatValueBlock(sf.expected), '  '), 'actual:', indent(formatValueBlock(sf.actual), '  '));
    }
    out.push('');
  }
  for (const step of scenario.steps.filter((s) => s.status === 'failed' || s.status === 'error')) {
    out.push(...stepFailureLines(scenario, step), '');
  }
  return out.join('\n').trimEnd();
}

function stepFailureLines(scenario: ScenarioResult, step: StepResult): string[] {
  const where = step.line !== undefined ? `${scenario.file}:${step.line}` : scenario.file;
  const lines = [`step ${step.index + 1} (${step.kind}) at ${formatClockOffset(step.clockEnd - scenario.clockStart)}: ${step.title}`, `  at ${where}`];
  const f = step.failure;
  if (f) {
    lines.push(`  ${f.code}: ${f.message}`);
    if (f.expected !== undefined || f.actual !== undefined) {
      lines.push('  expected:', indent(formatValueBlock(f.expected), '    '), '  actual:', indent(formatValueBlock(f.actual), '    '));
    }
  }
  for (const a of step.assertions.filter((x) => !x.passed)) {
    lines.push(`  ✗ ${a.description}`);
    if (a.expected !== undefined || a.actual !== undefined) {
      lines.push(`    expected: ${formatValueBlock(a.expected)}`, `    actual:   ${formatValueBlock(a.actual)}`);
    }
  }
  if (step.frames.length > 0) lines.push('  frames (→ sent, ← received):', ...frameLines(step.frames, scenario.clockStart));
  return lines;
}

/** The first failing step's message, for the `message` attribute. */
export function scenarioFailureMessage(scenario: ScenarioResult): { message: string; type: string } {
  const step = scenario.steps.find((s) => s.status === 'failed' || s.status === 'error');
  if (scenario.failure && !step) return { message: scenario.failure.message, type: scenario.failure.code };
  if (!step) return { message: `scenario ${scenario.status}`, type: scenario.status };
  const text = step.failure ? step.failure.message : (step.assertions.find((a) => !a.passed)?.description ?? `${step.status}`);
  return { message: `step ${step.index + 1} ${step.title}: ${text}`, type: step.failure?.code ?? step.status };
}

/** Every step as one line, for `<system-out>`. */
export function scenarioStepLog(scenario: ScenarioResult): string {
  const mark: Record<StepResult['status'], string> = { passed: '✓', failed: '✗', error: '✗', skipped: '-' };
  return scenario.steps.map((s) => `${mark[s.status]} ${formatClockOffset(s.clockEnd - scenario.clockStart)} ${s.title}`).join('\n');
}

/** Evidence of a requirement verdict, with its frames. */
export function evidenceBody(evidence: readonly Evidence[]): string {
  const out: string[] = [];
  for (const e of evidence) {
    out.push(`${e.ok === false ? 'FAIL ' : e.ok === true ? 'ok   ' : ''}[${e.kind}] ${e.text}`);
    if (e.data !== undefined) out.push(indent(formatValueBlock(e.data), '  '));
    const frames = e.frames ?? [];
    if (frames.length > 0) out.push(...frameLines(frames, frames[0].clockTime));
  }
  return out.join('\n');
}
