import type { FrameRecord } from '../results/model.js';

/**
 * How a raw OCPP-J frame is shown in a line: compacted (a pretty-printed frame would take a screen)
 * and cut at a length with a note of how much was left out.
 */

/** `→` for frames chargecheck sent, `←` for frames it received. */
export function directionArrow(direction: FrameRecord['direction']): string {
  return direction === 'out' ? '→' : '←';
}

/** The frame as compact JSON when it parses, else its text with whitespace runs collapsed. */
export function compactFrame(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw) as unknown);
  } catch {
    return raw.replace(/\s+/g, ' ').trim();
  }
}

/** Cuts `text` to at most `max` characters (code points), ending with `… (+N chars)`. */
export function truncateText(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  let keep = max;
  for (let i = 0; i < 3; i++) keep = Math.max(1, max - ` … (+${chars.length - keep} chars)`.length);
  return chars.slice(0, keep).join('') + ` … (+${chars.length - keep} chars)`;
}

/** The frames shown beside a failure: compacted and cut to `max` characters each. */
export function frameSnippet(frame: FrameRecord, max: number): string {
  return truncateText(compactFrame(frame.raw), max);
}
