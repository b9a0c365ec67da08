import { Chalk, type ChalkInstance } from 'chalk';
import type { RequirementVerdictValue, Verdict } from '../../results/model.js';

/** Symbols and colours of the terminal reporter; with colour off every style is the identity. */
export interface TerminalTheme {
  readonly chalk: ChalkInstance;
  verdictStyle(verdict: Verdict | RequirementVerdictValue | 'passed' | 'failed'): (s: string) => string;
  stepMark(status: Verdict): string;
}

export function createTerminalTheme(color: boolean): TerminalTheme {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const styles: Record<Verdict | RequirementVerdictValue, (s: string) => string> = {
    passed: chalk.green,
    pass: chalk.green,
    failed: chalk.red,
    fail: chalk.red,
    error: chalk.magenta,
    skipped: chalk.dim,
    'not-applicable': chalk.dim,
    'not-tested': chalk.dim,
    'needs-operator': chalk.yellow,
  };
  const marks: Record<Verdict, string> = { passed: '✓', failed: '✗', error: '✗', skipped: '-' };
  return {
    chalk,
    verdictStyle: (v) => styles[v],
    stepMark: (status) => styles[status](marks[status]),
  };
}
