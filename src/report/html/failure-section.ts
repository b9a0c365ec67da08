import { formatClockOffset } from '../format-time.js';
import { formatValueBlock } from '../format-value.js';
import { truncateText } from '../frame-text.js';
import type { ScenarioResult, StepResult } from '../../results/model.js';
import { escapeHtml } from './escape-html.js';
import { frameTable } from './frame-table.js';

/** Each failed step: where, the error code and message, expected beside actual, and its frames. */

const VALUE_CHARS = 6000;

function diff(expected: unknown, actual: unknown): string {
  const block = (v: unknown): string => `<pre>${escapeHtml(truncateText(formatValueBlock(v), VALUE_CHARS))}</pre>`;
  return `<div class="diff"><div class="expected"><div class="label">expected</div>${block(expected)}</div><div class="actual"><div class="label">actual</div>${block(actual)}</div></div>`;
}

function stepCard(s: ScenarioResult, step: StepResult, anchor: string): string {
  const where = step.line !== undefined ? `${s.file}:${step.line}` : s.file;
  const parts = [
    `<div class="failure ${step.status}"${anchor !== '' ? ` id="${anchor}"` : ''}>`,
    `<h3>${escapeHtml(s.name)} — step ${step.index + 1}: ${escapeHtml(step.title)}</h3>`,
    `<div class="sub">${escapeHtml(where)} · ${escapeHtml(step.kind)} · charger <span class="id">${escapeHtml(s.chargePointId)}</span> · at ${escapeHtml(formatClockOffset(step.clockEnd - s.clockStart))} clock time</div>`,
  ];
  const f = step.failure;
  if (f) {
    parts.push(`<p><span class="code">${escapeHtml(f.code)}</span> ${escapeHtml(f.message)}</p>`);
    if (f.expected !== undefined || f.actual !== undefined) parts.push(diff(f.expected, f.actual));
  }
  // An assertion that only repeats the step's failure (same text, same values) is not shown twice.
  const repeats = (a: StepResult['assertions'][number]) =>
    f !== undefined && a.description === f.message && formatValueBlock(a.expected) === formatValueBlock(f.expected) && formatValueBlock(a.actual) === formatValueBlock(f.actual);
  for (const a of step.assertions.filter((x) => !x.passed && !repeats(x))) {
    parts.push(`<p>✗ ${escapeHtml(a.description)}</p>`);
    if (a.expected !== undefined || a.actual !== undefined) parts.push(diff(a.expected, a.actual));
  }
  if (step.frames.length > 0) parts.push('<div class="sub">Frames around the failure (→ sent by chargecheck, ← received):</div>', frameTable(step.frames, s.clockStart));
  parts.push('</div>');
  return parts.join('\n');
}

/** Empty when nothing failed. Anchors `failure-<scenario index>` match the scenario table's links. */
/** Not failures of the peer: an act nobody did, a run stopped on purpose (their requirements say so). */
const NOT_FAILURES = new Set(['CERTIFY_NEEDS_OPERATOR', 'CERTIFY_INTERRUPTED']);

export function failureSection(scenarios: readonly ScenarioResult[]): string {
  const cards: string[] = [];
  scenarios.forEach((s, i) => {
    const failedSteps = s.steps.filter((st) => (st.status === 'failed' || st.status === 'error') && !NOT_FAILURES.has(st.failure?.code ?? ''));
    const f = s.failure && !NOT_FAILURES.has(s.failure.code) ? s.failure : undefined;
    if (s.status === 'skipped' || (!f && !failedSteps.length && s.steps.some((st) => NOT_FAILURES.has(st.failure?.code ?? '')))) return;
    if (f || (failedSteps.length === 0 && (s.status === 'failed' || s.status === 'error'))) {
      const why = f
        ? `<p><span class="code">${escapeHtml(f.code)}</span> ${escapeHtml(f.message)}</p>${f.expected !== undefined || f.actual !== undefined ? diff(f.expected, f.actual) : ''}`
        : `<p>The scenario ${s.status === 'error' ? 'could not run' : 'failed'} before any step reported.</p>`;
      const cls = s.status === 'error' ? 'error' : 'failed';
      cards.push(`<div class="failure ${cls}" id="failure-${i}"><h3>${escapeHtml(s.name)}</h3><div class="sub">${escapeHtml(s.file)} · charger <span class="id">${escapeHtml(s.chargePointId)}</span></div>${why}</div>`);
    }
    const anchored = f !== undefined || failedSteps.length === 0;
    failedSteps.forEach((st, k) => cards.push(stepCard(s, st, k === 0 && !anchored ? `failure-${i}` : '')));
  });
  if (cards.length === 0) return '';
  return ['<section id="failures">', '<h2>Failures</h2>', ...cards, '</section>'].join('\n');
}
