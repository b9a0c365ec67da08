/**
 * A plain-text table for the terminal summary. Cells are given as plain text plus an optional
 * style (a chalk function), so widths and truncation are computed on the text, never on ANSI codes.
 */
export interface Cell {
  readonly text: string;
  readonly style?: (s: string) => string;
}

export interface Column {
  readonly header: string;
  /** Longer cells are cut with `…`. */
  readonly maxWidth?: number;
  readonly align?: 'left' | 'right';
}

function width(text: string): number {
  return Array.from(text).length;
}

function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

function pad(text: string, w: number, align: Column['align']): string {
  const fill = ' '.repeat(Math.max(0, w - width(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** Lines of the table (header, rule, rows), each starting with `indent`, no trailing spaces. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly Cell[])[], options: { indent?: string; headerStyle?: (s: string) => string } = {}): string[] {
  const indent = options.indent ?? '  ';
  const headerStyle = options.headerStyle ?? ((s: string) => s);
  const texts = rows.map((row) => columns.map((c, i) => cut(row[i]?.text ?? '', c.maxWidth ?? Infinity)));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...texts.map((t) => width(t[i]))));
  const line = (cells: readonly string[]): string => (indent + cells.join('  ')).trimEnd();
  const out = [
    line(columns.map((c, i) => headerStyle(pad(c.header, widths[i], c.align)))),
    line(widths.map((w) => headerStyle('─'.repeat(w)))),
  ];
  texts.forEach((t, r) => {
    out.push(line(columns.map((c, i) => {
      const style = rows[r][i]?.style ?? ((s: string) => s);
      const padded = pad(t[i], widths[i], c.align);
      const body = padded.trimEnd();
      return style(body) + padded.slice(body.length);
    })));
  });
  return out;
}
