import type { Evidence, RequirementVerdictValue } from '../results/model.js';
import type { CertificationRecord } from './record.js';

/** What one requirement check finds: a verdict and the evidence a person can read it from. */
export interface CheckResult {
  readonly verdict: RequirementVerdictValue;
  readonly evidence: readonly Evidence[];
}

/** One requirement's check: a pure function of the recorded session (Schemathesis style). */
export type Check = (record: CertificationRecord) => CheckResult;

export function note(text: string, data?: Readonly<Record<string, unknown>>): Evidence {
  return data ? { kind: 'note', text, data } : { kind: 'note', text };
}

/**
 * The verdict when the evidence a check needs is absent: `needs-operator` when an act of a
 * scenario covering `id` was skipped by the operator, `fail` when such a scenario ran to the end
 * (the charger did not produce the evidence), otherwise `not-tested`. Never `pass`.
 */
export function missing(record: CertificationRecord, id: string, what: string, extra: readonly Evidence[] = []): CheckResult {
  const covering = record.scenarios.filter((s) => s.requirements.includes(id));
  const names = new Set(covering.map((s) => s.name));
  const skipped = record.acts.filter((a) => a.outcome === 'skipped' && names.has(a.scenario));
  if (skipped.length) {
    const acts = [...new Set(skipped.map((a) => a.kind))].join(', ');
    return { verdict: 'needs-operator', evidence: [...extra, note(`${what}: the operator step (${acts}) in ${quoted(skipped.map((a) => a.scenario))} was not done`)] };
  }
  const ran = covering.filter((s) => s.status === 'passed' || s.status === 'failed');
  if (ran.length) {
    return { verdict: 'fail', evidence: [...extra, note(`${what}, although ${quoted(ran.map((s) => s.name))} ran (${ran.map((s) => s.status).join(', ')})`)] };
  }
  const why = covering.length ? `${quoted(covering.map((s) => s.name))} did not run to the end (${covering.map((s) => s.status).join(', ')})` : `no scenario covering ${id} ran`;
  return { verdict: 'not-tested', evidence: [...extra, note(`${what}: ${why}`)] };
}

function quoted(names: readonly string[]): string {
  return [...new Set(names)].map((n) => `'${n}'`).join(', ');
}

/** The worst of several verdicts for one requirement: fail > needs-operator > not-tested > not-applicable > pass. */
export function combine(parts: readonly CheckResult[]): CheckResult {
  const order: RequirementVerdictValue[] = ['fail', 'needs-operator', 'not-tested', 'not-applicable', 'pass'];
  const verdict = order.find((v) => parts.some((p) => p.verdict === v)) ?? 'not-tested';
  return { verdict, evidence: parts.flatMap((p) => marked(p)) };
}

/**
 * Each evidence item with its own finding: an item of a passing part shows the requirement met,
 * one of a failing part shows it broken (unless the check marked it itself).
 */
export function marked(part: CheckResult): readonly Evidence[] {
  const ok = part.verdict === 'pass' ? true : part.verdict === 'fail' ? false : undefined;
  if (ok === undefined) return part.evidence;
  return part.evidence.map((e) => (e.ok === undefined ? { ...e, ok } : e));
}

/** Failing items first (stable), so the first line of a verdict is what decided it. */
export function failingFirst(evidence: readonly Evidence[]): Evidence[] {
  return [...evidence.filter((e) => e.ok === false), ...evidence.filter((e) => e.ok !== false)];
}
