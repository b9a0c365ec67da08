import { showTerminalControls } from '../control-chars.js';
import { formatClockOffset } from '../format-time.js';
import { formatValueInline } from '../format-value.js';
import { directionArrow, frameSnippet, truncateText } from '../frame-text.js';
import type { StepResult } from '../../results/model.js';
import type { TerminalTheme } from './terminal-theme.js';

/**
 * The lines under a failed step: the error code and message, what was expected and what came
 * instead, failed assertions, and the frames around the failure, each on one cut line.
 */
export interface FailureBlockOptions {
  readonly theme: TerminalTheme;
  /** Clock time the offsets count from (the scenario's start). */
  readonly origin: number;
  /** Characters of a frame shown before it is cut. */
  readonly frameWidth: number;
  readonly indent: string;
}

const VALUE_WIDTH = 400;

export function failureBlock(step: StepResult, o: FailureBlockOptions): string[] {
  const c = o.theme.chalk;
  const safe = (s: string, max = VALUE_WIDTH): string => showTerminalControls(truncateText(s, max));
  const lines: string[] = [];
  const f = step.failure;
  if (f) {
    lines.push(`${c.red(f.code)} ${safe(f.message)}`);
    if (f.expected !== undefined || f.actual !== undefined) {
      lines.push(`${c.green('expected')} ${safe(formatValueInline(f.expected))}`);
      lines.push(`${c.red('actual  ')} ${safe(formatValueInline(f.actual))}`);
    }
  }
  for (const a of step.assertions.filter((x) => !x.passed)) {
    lines.push(`${c.red('✗')} ${safe(a.description)}`);
    if (a.expected !== undefined || a.actual !== undefined) {
      lines.push(`  ${c.green('expected')} ${safe(formatValueInline(a.expected))}`);
      lines.push(`  ${c.red('actual  ')} ${safe(formatValueInline(a.actual))}`);
    }
  }
  if (step.frames.length > 0) {
    lines.push(c.dim('frames (→ sent, ← received):'));
    for (const fr of step.frames) {
      const arrow = fr.direction === 'out' ? c.cyan(directionArrow(fr.direction)) : c.magenta(directionArrow(fr.direction));
      const raw = showTerminalControls(frameSnippet(fr, o.frameWidth));
      lines.push(`${arrow} ${c.dim(formatClockOffset(fr.clockTime - o.origin))} ${raw}`);
    }
  }
  return lines.map((l) => o.indent + l);
}
