import type { ScenarioError, ScenarioErrorCode } from './errors.js';
import type { SourceText } from './source.js';
import { locate, type Span, type YamlTree } from './yaml-tree.js';

/**
 * A problem found by a check, addressed by JSON pointer into the scenario data. `at: 'key'` puts
 * the caret under the mapping key (unknown key, missing field), `'value'` under the value.
 */
export interface Issue {
  readonly code: ScenarioErrorCode;
  readonly pointer: string;
  readonly at: 'key' | 'value';
  readonly message: string;
  readonly expected?: string;
  readonly hint?: string;
}

/** An error at a source span (YAML syntax errors come with offsets, not pointers). */
export function errorAtSpan(source: SourceText, span: Span, fields: Omit<ScenarioError, 'file' | 'line' | 'col' | 'width' | 'sourceLine'>): ScenarioError & { offset: number } {
  const { line, col } = source.position(span[0]);
  const sourceLine = source.line(line);
  const end = span[1] > span[0] ? source.position(span[1]) : { line, col: col + 1 };
  const width = end.line === line ? Math.max(1, end.col - col) : Math.max(1, sourceLine.length - col + 1);
  return { file: source.path, line, col, width, sourceLine, offset: span[0], ...fields };
}

export function issueToError(source: SourceText, tree: YamlTree, issue: Issue): ScenarioError & { offset: number } {
  const where = locate(tree, issue.pointer);
  // A missing top-level field has no key to point at: a single caret at the start of the file.
  const span: Span = issue.at === 'key' && where.key ? where.key : issue.pointer === '' ? [where.value[0], where.value[0]] : where.value;
  const { code, message, expected, hint } = issue;
  return errorAtSpan(source, span, { code, message, ...(expected ? { expected } : {}), ...(hint ? { hint } : {}) });
}

/** Errors in reading order (by offset), the offset helper field removed. */
export function sortErrors(errors: readonly (ScenarioError & { offset: number })[]): ScenarioError[] {
  return [...errors]
    .sort((a, b) => a.offset - b.offset)
    .map(({ offset: _offset, ...e }) => e);
}
