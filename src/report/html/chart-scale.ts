/** Axis arithmetic for the inline SVG charts: round tick steps (1, 2, 5 × 10^n) and linear scales. */

export interface Axis {
  readonly max: number;
  readonly ticks: readonly number[];
}

/** Ticks from 0 to a round maximum ≥ `max`, about `target` of them. */
export function niceAxis(max: number, target = 5): Axis {
  const top = max > 0 && Number.isFinite(max) ? max : 1;
  const raw = top / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
  const count = Math.ceil(top / step - 1e-9);
  const ticks = Array.from({ length: count + 1 }, (_, i) => round(i * step));
  return { max: round(count * step), ticks };
}

/** Maps [0, domainMax] onto [from, to]. */
export function linearScale(domainMax: number, from: number, to: number): (v: number) => number {
  const span = domainMax > 0 ? domainMax : 1;
  return (v) => from + ((to - from) * v) / span;
}

/** A number for an SVG attribute or tick label: at most 2 decimals, no trailing zeros. */
export function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** A tick label: `0`, `2.5`, `10`. */
export function tickLabel(v: number): string {
  return String(round(v));
}
