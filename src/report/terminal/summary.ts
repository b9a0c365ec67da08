import { showTerminalControls } from '../control-chars.js';
import { formatDuration } from '../format-time.js';
import type { RunResult } from '../../results/model.js';
import { REQUIREMENT_VERDICTS, SCENARIO_VERDICTS, requirementVerdictLabel, stepCounts, summariseRun } from '../run-summary.js';
import { renderTable, type Cell } from './text-table.js';
import type { TerminalTheme } from './terminal-theme.js';

/** The end-of-run block: scenario table, requirement table (certify) and the totals. */

const plain = (text: string, style?: (s: string) => string): Cell => ({ text: showTerminalControls(text), ...(style ? { style } : {}) });

function scenarioTable(run: RunResult, theme: TerminalTheme): string[] {
  const rows = run.scenarios.map((s) => {
    const steps = stepCounts(s);
    return [
      plain(s.name),
      plain(s.chargePointId),
      plain(`${steps.passed}/${steps.total}`),
      plain(s.status, theme.verdictStyle(s.status)),
      plain(formatDuration(s.wallDurationMs)),
      plain(formatDuration(s.clockEnd - s.clockStart)),
    ];
  });
  return renderTable(
    [
      { header: 'Scenario', maxWidth: 48 },
      { header: 'Charger', maxWidth: 20 },
      { header: 'Steps', align: 'right' },
      { header: 'Verdict' },
      { header: 'Duration', align: 'right' },
      { header: 'Clock', align: 'right' },
    ],
    rows,
    { headerStyle: theme.chalk.bold },
  );
}

function requirementTable(run: RunResult, theme: TerminalTheme): string[] {
  const rows = (run.requirements ?? []).map((r) => [
    plain(r.id),
    plain(r.title),
    plain(requirementVerdictLabel(r.verdict), theme.verdictStyle(r.verdict)),
    plain((r.evidence[0]?.text ?? '').replace(/\s+/g, ' '), theme.chalk.dim),
  ]);
  return renderTable(
    [
      { header: 'Requirement', maxWidth: 14 },
      { header: 'Title', maxWidth: 44 },
      { header: 'Verdict' },
      { header: 'Evidence', maxWidth: 60 },
    ],
    rows,
    { headerStyle: theme.chalk.bold },
  );
}

function countsLine(label: string, counts: Readonly<Record<string, number>>, order: readonly string[], theme: TerminalTheme, total: number): string {
  const parts = order
    .filter((k) => (counts[k] ?? 0) > 0)
    .map((k) => theme.verdictStyle(k as Parameters<TerminalTheme['verdictStyle']>[0])(`${counts[k]} ${k.replace('-', ' ')}`));
  return `  ${theme.chalk.bold(label.padEnd(13))}${parts.length > 0 ? parts.join(theme.chalk.dim(' · ')) : '0'} ${theme.chalk.dim(`(${total})`)}`;
}

export function summaryLines(run: RunResult, theme: TerminalTheme): string[] {
  const summary = summariseRun(run);
  const c = theme.chalk;
  const out: string[] = [''];
  if (run.scenarios.length > 0) out.push(...scenarioTable(run, theme), '');
  if (run.requirements !== undefined && run.requirements.length > 0) out.push(...requirementTable(run, theme), '');
  for (const p of run.profiles ?? []) {
    const counts = { pass: p.pass, fail: p.fail, 'not-applicable': p.notApplicable, 'needs-operator': p.needsOperator, 'not-tested': p.notTested };
    out.push(countsLine(`  ${p.profile}`.padEnd(26), counts, REQUIREMENT_VERDICTS, theme, p.total));
  }
  if (summary.requirements) {
    out.push(countsLine(run.cases ? 'Cases' : 'Requirements', summary.requirements, REQUIREMENT_VERDICTS, theme, summary.requirements.total));
  }
  out.push(countsLine('Scenarios', summary.scenarios, SCENARIO_VERDICTS, theme, summary.scenarios.total));
  out.push(`  ${c.bold('Duration'.padEnd(13))}${formatDuration(run.wallDurationMs)}`);
  const verdict = summary.overall.toUpperCase();
  out.push('', `  ${theme.verdictStyle(summary.overall === 'error' ? 'error' : summary.overall)(c.bold(verdict))}`, '');
  return out;
}
