/**
 * Durations in scenario files: one or more `<integer><unit>` parts, largest unit first, units
 * h, m, s, ms: `500ms`, `60s`, `2m`, `1h30m`, `1m30s`. A signed variant (`-5m`) is for clock offsets.
 */
export const DURATION_PATTERN = '^(?=\\d)(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$';
export const SIGNED_DURATION_PATTERN = '^[-+]?(?=\\d)(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$';

const PART = /(\d+)(ms|h|m|s)/g;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

export function isDuration(text: unknown, signed = false): text is string {
  return typeof text === 'string' && new RegExp(signed ? SIGNED_DURATION_PATTERN : DURATION_PATTERN).test(text);
}

/** Milliseconds of a duration already checked by the loader; throws on malformed text. */
export function durationMs(text: string): number {
  if (!isDuration(text, true)) throw new RangeError(`not a duration: '${text}'`);
  const sign = text.startsWith('-') ? -1 : 1;
  let total = 0;
  for (const m of text.matchAll(PART)) total += Number(m[1]) * UNIT_MS[m[2]];
  return sign * total;
}

/** `90000` → `1m30s`, `500` → `500ms`, `0` → `0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms));
  let out = '';
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return sign + out;
}
