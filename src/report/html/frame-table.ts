import { formatClockOffset } from '../format-time.js';
import { compactFrame, directionArrow, truncateText } from '../frame-text.js';
import type { FrameRecord } from '../../results/model.js';
import { escapeHtml } from './escape-html.js';

/** Characters of one frame shown in the report before it is cut (a firmware URL list can be long). */
const FRAME_CHARS = 4000;

/** Evidence frames as a table: direction, clock offset, connection, the raw frame (compacted). */
export function frameTable(frames: readonly FrameRecord[], origin: number): string {
  const rows = frames.map((f) => {
    const label = f.direction === 'out' ? 'sent by chargecheck' : 'received by chargecheck';
    return [
      '<tr>',
      `<td class="dir ${f.direction}" title="${label}">${directionArrow(f.direction)}</td>`,
      `<td class="t">${escapeHtml(formatClockOffset(f.clockTime - origin))}</td>`,
      `<td class="t">${escapeHtml(f.connection)}</td>`,
      `<td><pre>${escapeHtml(truncateText(compactFrame(f.raw), FRAME_CHARS))}</pre></td>`,
      '</tr>',
    ].join('');
  });
  return `<table class="frames">${rows.join('')}</table>`;
}

/** Frames folded into a `<details>` (no script needed), with their count in the summary. */
export function foldedFrames(frames: readonly FrameRecord[], origin: number, open = false): string {
  if (frames.length === 0) return '';
  const n = `${frames.length} frame${frames.length === 1 ? '' : 's'} (→ sent, ← received)`;
  return `<details${open ? ' open' : ''}><summary>${n}</summary>${frameTable(frames, origin)}</details>`;
}
