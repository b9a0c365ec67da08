import { LineCounter } from 'yaml';

/** A 1-based line and column in a scenario file. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** A scenario file's text with fast offset → line:col lookup (eemeli/yaml LineCounter). */
export class SourceText {
  readonly lineCounter = new LineCounter();
  private readonly lines: string[];

  constructor(
    /** The path as the user gave it (reported as is, so golden files hold relative paths). */
    readonly path: string,
    readonly text: string,
  ) {
    this.lines = text.split(/\r?\n/);
  }

  /** Line and column (1-based) of a character offset. */
  position(offset: number): Position {
    const p = this.lineCounter.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line: Math.max(1, p.line), col: Math.max(1, p.col) };
  }

  /** The text of a 1-based line without its line break ('' past the end). */
  line(n: number): string {
    return this.lines[n - 1] ?? '';
  }
}
