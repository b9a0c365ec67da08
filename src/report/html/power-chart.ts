import type { TimelinePoint } from '../../results/model.js';
import { linearScale, niceAxis, round, tickLabel } from './chart-scale.js';
import { escapeHtml } from './escape-html.js';
import { statusColor } from './status-colors.js';

/**
 * One inline SVG chart of a connector's session: import power as a line, the limit in force as a
 * step line (gaps where there is none), the connector status as coloured bands behind them, and a
 * legend. X: minutes of clock time since `origin`; Y: kW.
 */
export interface PowerChartInput {
  /** Points of one connector, any order. */
  readonly points: readonly TimelinePoint[];
  /** Clock time of x = 0 (the scenario's start). */
  readonly origin: number;
  /** Clock time the x axis must reach at least (the scenario's end). */
  readonly end: number;
  /** Accessible title, e.g. `Scenario — connector 1`. */
  readonly title: string;
}

const W = 920;
const M = { left: 56, right: 20, top: 16 };
const PLOT_HEIGHT = 210;
const PX = { x0: M.left, x1: W - M.right, y0: M.top + PLOT_HEIGHT, y1: M.top };
const LEGEND_Y = PX.y0 + 60;
const LEGEND_ROW = 20;
const POWER = '#0969da';
const LIMIT = '#bc4c00';

interface Band {
  readonly from: number;
  readonly to: number;
  readonly status: string;
}

function bandsOf(points: readonly TimelinePoint[], endMin: number, toMin: (t: number) => number): Band[] {
  const bands: Band[] = [];
  points.forEach((p, i) => {
    const from = toMin(p.clockTime);
    const to = i + 1 < points.length ? toMin(points[i + 1].clockTime) : endMin;
    const last = bands[bands.length - 1];
    if (last !== undefined && last.status === p.status) bands[bands.length - 1] = { ...last, to };
    else bands.push({ from, to, status: p.status });
  });
  return bands;
}

function limitPath(points: readonly TimelinePoint[], endMin: number, toMin: (t: number) => number, x: (v: number) => number, y: (v: number) => number): string {
  const parts: string[] = [];
  let drawing = false;
  points.forEach((p, i) => {
    const to = i + 1 < points.length ? toMin(points[i + 1].clockTime) : endMin;
    if (p.limitW === undefined) {
      drawing = false;
      return;
    }
    const yy = round(y(p.limitW / 1000));
    parts.push(`${drawing ? 'L' : 'M'}${round(x(toMin(p.clockTime)))} ${yy}`, `L${round(x(to))} ${yy}`);
    drawing = true;
  });
  return parts.join(' ');
}

/** The legend, wrapped onto as many rows as it needs; returns its markup and the rows used. */
function legend(statuses: readonly string[], hasLimit: boolean): { svg: string; rows: number } {
  const items: string[] = [];
  let at = M.left;
  let row = 0;
  const add = (swatch: string, label: string): void => {
    const width = 34 + Math.min(40, Array.from(label).length) * 6.6;
    if (at > M.left && at + width > W - M.right) {
      at = M.left;
      row += 1;
    }
    items.push(`<g transform="translate(${round(at)} ${LEGEND_Y + row * LEGEND_ROW})">${swatch}<text x="22" y="4">${escapeHtml(label)}</text></g>`);
    at += width;
  };
  add(`<line x1="0" y1="0" x2="16" y2="0" stroke="${POWER}" stroke-width="2.5"/>`, 'Power (kW)');
  if (hasLimit) add(`<line x1="0" y1="0" x2="16" y2="0" stroke="${LIMIT}" stroke-width="2" stroke-dasharray="5 3"/>`, 'Limit (kW)');
  for (const s of statuses) add(`<rect x="2" y="-6" width="12" height="12" rx="2" fill="${statusColor(s)}" fill-opacity="0.45"/>`, s);
  return { svg: `<g class="legend">${items.join('')}</g>`, rows: row + 1 };
}

export function renderPowerChart(input: PowerChartInput): string {
  const points = [...input.points].sort((a, b) => a.clockTime - b.clockTime);
  const toMin = (t: number): number => (t - input.origin) / 60_000;
  const lastT = points.length > 0 ? points[points.length - 1].clockTime : input.origin;
  const xAxis = niceAxis(Math.max(toMin(lastT), toMin(input.end), 0), 8);
  const peakKw = points.reduce((m, p) => Math.max(m, p.powerW / 1000, (p.limitW ?? 0) / 1000), 0);
  const yAxis = niceAxis(peakKw * 1.05, 5);
  const x = linearScale(xAxis.max, PX.x0, PX.x1);
  const y = linearScale(yAxis.max, PX.y0, PX.y1);
  const endMin = Math.max(toMin(input.end), toMin(lastT));

  const bands = bandsOf(points, endMin, toMin)
    .map((b) => `<rect x="${round(x(b.from))}" y="${PX.y1}" width="${round(Math.max(0, x(b.to) - x(b.from)))}" height="${PX.y0 - PX.y1}" fill="${statusColor(b.status)}" fill-opacity="0.16"><title>${escapeHtml(b.status)}</title></rect>`)
    .join('');
  const yGrid = yAxis.ticks
    .map((t) => `<line class="grid" x1="${PX.x0}" x2="${PX.x1}" y1="${round(y(t))}" y2="${round(y(t))}"/><text class="tick" x="${PX.x0 - 8}" y="${round(y(t)) + 4}" text-anchor="end">${tickLabel(t)}</text>`)
    .join('');
  const xTicks = xAxis.ticks
    .map((t) => `<line class="axis" x1="${round(x(t))}" x2="${round(x(t))}" y1="${PX.y0}" y2="${PX.y0 + 5}"/><text class="tick" x="${round(x(t))}" y="${PX.y0 + 19}" text-anchor="middle">${tickLabel(t)}</text>`)
    .join('');
  // A meter reports power at its samples: between two it is drawn as the earlier value (a step), not a ramp.
  const power = points.flatMap((p, i) => {
    const here = `${round(x(toMin(p.clockTime)))},${round(y(p.powerW / 1000))}`;
    const prev = points[i - 1];
    return prev && prev.powerW !== p.powerW ? [`${round(x(toMin(p.clockTime)))},${round(y(prev.powerW / 1000))}`, here] : [here];
  }).join(' ');
  const limit = limitPath(points, endMin, toMin, x, y);
  const statuses = [...new Set(points.map((p) => p.status))];
  const key = legend(statuses, limit !== '');
  const height = LEGEND_Y + (key.rows - 1) * LEGEND_ROW + 14;

  return [
    `<svg class="chart" viewBox="0 0 ${W} ${height}" role="img" font-size="12">`,
    `<title>${escapeHtml(input.title)}</title>`,
    `<g class="bands">${bands}</g>`,
    `<g class="y-axis">${yGrid}</g>`,
    `<line class="axis" x1="${PX.x0}" x2="${PX.x1}" y1="${PX.y0}" y2="${PX.y0}"/><line class="axis" x1="${PX.x0}" x2="${PX.x0}" y1="${PX.y1}" y2="${PX.y0}"/>`,
    `<g class="x-axis">${xTicks}</g>`,
    `<text class="axis-label" x="${(PX.x0 + PX.x1) / 2}" y="${PX.y0 + 38}" text-anchor="middle">clock time (min)</text>`,
    `<text class="axis-label" transform="translate(16 ${(PX.y0 + PX.y1) / 2}) rotate(-90)" text-anchor="middle">kW</text>`,
    limit !== '' ? `<path class="limit" d="${limit}" fill="none" stroke="${LIMIT}" stroke-width="2" stroke-dasharray="5 3"/>` : '',
    points.length > 0 ? `<polyline class="power" points="${power}" fill="none" stroke="${POWER}" stroke-width="2.5" stroke-linejoin="round"/>` : '',
    key.svg,
    '</svg>',
  ].join('');
}

/** Energy over the points by the trapezoid rule, in kWh (a cross-check, not a meter reading). */
export function energyKwh(points: readonly TimelinePoint[]): number {
  const sorted = [...points].sort((a, b) => a.clockTime - b.clockTime);
  let wh = 0;
  for (let i = 1; i < sorted.length; i++) {
    wh += ((sorted[i - 1].powerW + sorted[i].powerW) / 2) * ((sorted[i].clockTime - sorted[i - 1].clockTime) / 3_600_000);
  }
  return wh / 1000;
}
