/** Writing an `expected` / `actual` value (anything the runner recorded) as one line or a block. */

/** Compact, one line: strings as they are, everything else as JSON; `undefined` as `(nothing)`. */
export function formatValueInline(value: unknown): string {
  if (value === undefined) return '(nothing)';
  if (typeof value === 'string') return value;
  return safeStringify(value, 0);
}

/** Pretty JSON for blocks (HTML, JUnit bodies); strings as they are. */
export function formatValueBlock(value: unknown): string {
  if (value === undefined) return '(nothing)';
  if (typeof value === 'string') return value;
  return safeStringify(value, 2);
}

function safeStringify(value: unknown, indent: number): string {
  try {
    const seen = new WeakSet<object>();
    const text = JSON.stringify(
      value,
      (_key, v: unknown) => {
        if (typeof v === 'bigint') return `${v.toString()}n`;
        if (typeof v === 'object' && v !== null) {
          if (seen.has(v)) return '[circular]';
          seen.add(v);
        }
        return v;
      },
      indent,
    );
    return text ?? String(value);
  } catch {
    return String(value);
  }
}
