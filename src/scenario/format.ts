import { Chalk } from 'chalk';
import { showTerminalControls as safe } from '../report/control-chars.js';
import type { ScenarioError } from './errors.js';

export interface FormatOptions {
  readonly color: boolean;
}

/**
 * Renders scenario errors the way Hurl and rustc do: a headline with the code, the location, the
 * source line with a caret under the problem, then what was expected and a hint.
 *
 *     error[SCENARIO_UNKNOWN_KEY]: unknown key 'conector' in step 'plug'
 *       --> scenarios/plug.yaml:7:15
 *        |
 *      7 |   - plug: { conector: 1 }
 *        |             ^^^^^^^^
 *        = expected: one of connector
 *        = hint: did you mean 'connector'?
 */
export function formatError(error: ScenarioError, options: FormatOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  // Everything here may come from the file (a binary one, even): control characters are shown, not obeyed.
  const head = `${c.bold.red(`error[${error.code}]`)}${c.bold(`: ${safe(error.message)}`)}`;
  if (error.line === 0) {
    return [head, `  ${c.blue('-->')} ${safe(error.file)}`, ...(error.expected ? [`  ${c.blue('=')} expected: ${safe(error.expected)}`] : [])].join('\n');
  }
  const num = String(error.line);
  const pad = ' '.repeat(num.length);
  const bar = c.blue('|');
  const raw = error.sourceLine.replace(/\t/g, ' ');
  const rawWidth = Math.max(1, Math.min(error.width, raw.length - error.col + 1));
  // The caret goes under the same characters once controls are shown as \uXXXX.
  const before = safe(raw.slice(0, error.col - 1));
  const marked = safe(raw.slice(error.col - 1, error.col - 1 + rawWidth));
  const text = safe(raw);
  const width = Math.max(1, Math.min(marked.length, text.length - before.length));
  const lines = [
    head,
    `${pad}${c.blue('-->')} ${safe(error.file)}:${error.line}:${error.col}`,
    `${pad} ${bar}`,
    `${c.blue(num)} ${bar} ${text}`.trimEnd(),
    `${pad} ${bar} ${' '.repeat(before.length)}${c.red('^'.repeat(width))}`,
  ];
  if (error.expected) lines.push(`${pad} ${c.blue('=')} expected: ${safe(error.expected)}`);
  if (error.hint) lines.push(`${pad} ${c.blue('=')} hint: ${safe(error.hint)}`);
  return lines.join('\n');
}

/** All errors, in the order given, separated by blank lines; ends with a newline when non-empty. */
export function formatErrors(errors: readonly ScenarioError[], options: FormatOptions): string {
  if (errors.length === 0) return '';
  return errors.map((e) => formatError(e, options)).join('\n\n') + '\n';
}

/** `3 errors in 2 files` (for the end of `chargecheck validate`). */
export function formatSummary(errors: readonly ScenarioError[], fileCount: number): string {
  const files = new Set(errors.map((e) => e.file)).size;
  if (errors.length === 0) return `${fileCount} scenario file${fileCount === 1 ? '' : 's'} valid`;
  return `${errors.length} error${errors.length === 1 ? '' : 's'} in ${files} of ${fileCount} file${fileCount === 1 ? '' : 's'}`;
}
