import { wallNow } from '../../clock/system.js';
import { showTerminalControls } from '../control-chars.js';
import { formatClockOffset, formatDuration } from '../format-time.js';
import { truncateText } from '../frame-text.js';
import type { Reporter, RunResult, ScenarioResult, StepResult } from '../../results/model.js';
import { stepCounts } from '../run-summary.js';
import { failureBlock } from './failure-block.js';
import { LiveLine } from './live-line.js';
import { summaryLines } from './summary.js';
import { createTerminalTheme } from './terminal-theme.js';

export interface TerminalReporterOptions {
  readonly stream: NodeJS.WritableStream;
  readonly color: boolean;
  /** Redraw a "waiting for …" line; false when the stream is not a TTY or in CI. */
  readonly live: boolean;
}

/** In a log (no live line) a waiting scenario prints a progress line this often, so CI output never goes quiet. */
export const LOG_PROGRESS_MS = 10_000;

/** Width assumed when the stream does not say (a pipe, a CI log). */
const DEFAULT_COLUMNS = 120;

/**
 * Progress while the run goes (one line per step, with the failure block under a failed step),
 * a live waiting line in real-time runs, and the summary tables at the end.
 */
export function createTerminalReporter(options: TerminalReporterOptions): Reporter {
  const theme = createTerminalTheme(options.color);
  const c = theme.chalk;
  const live = new LiveLine(options.stream);
  const columns = (options.stream as { columns?: number }).columns ?? DEFAULT_COLUMNS;
  const origins = new Map<string, number>();
  let current: string | undefined;
  const lastLogged = new Map<string, number>();

  const write = (lines: readonly string[]): void => {
    live.clear();
    options.stream.write(lines.map((l) => `${l}\n`).join(''));
  };
  const keyOf = (s: { name: string; chargePointId: string }): string => `${s.name}\u0000${s.chargePointId}`;
  const heading = (s: { name: string; chargePointId: string }): string =>
    `${c.bold(showTerminalControls(s.name))} ${c.dim(showTerminalControls(s.chargePointId))}`;

  return {
    name: 'terminal',

    onRunStart(info): void {
      const what = `${info.scenarioCount} scenario${info.scenarioCount === 1 ? '' : 's'}`;
      write([`${c.bold(`chargecheck ${info.command}`)} ${c.dim('·')} ${info.mode} ${c.dim('·')} ${showTerminalControls(info.target)} ${c.dim('·')} ${what}`]);
    },

    onScenarioStart(scenario): void {
      const key = keyOf(scenario);
      if (scenario.clockStart !== undefined) origins.set(key, scenario.clockStart);
      current = key;
      write(['', `${c.cyan('▶')} ${heading(scenario)} ${c.dim(showTerminalControls(scenario.file))}`]);
    },

    onStepEnd(scenario, step: StepResult): void {
      const key = keyOf(scenario);
      if (!origins.has(key)) origins.set(key, step.clockStart);
      const origin = origins.get(key) ?? step.clockStart;
      const lines: string[] = [];
      if (current !== key) {
        current = key;
        lines.push(`${c.cyan('▶')} ${heading(scenario)}`);
      }
      const title = showTerminalControls(truncateText(step.title, Math.max(20, columns - 30)));
      const shown = step.status === 'failed' || step.status === 'error' ? c.red(title) : step.status === 'skipped' ? c.dim(title) : title;
      lines.push(`  ${theme.stepMark(step.status)} ${c.dim(formatClockOffset(step.clockEnd - origin))} ${shown} ${c.dim(`(${formatDuration(step.wallDurationMs)})`)}`);
      if (step.status === 'failed' || step.status === 'error') {
        lines.push(...failureBlock(step, { theme, origin, indent: '      ', frameWidth: Math.max(40, columns - 20) }));
      }
      write(lines);
    },

    onWaiting(scenario, what, msLeft): void {
      const left = Math.max(0, Math.ceil(msLeft / 1000));
      if (!options.live) {
        const now = wallNow();
        if (now - (lastLogged.get(scenario.name) ?? -Infinity) < LOG_PROGRESS_MS) return;
        lastLogged.set(scenario.name, now);
        write([showTerminalControls(`  … ${scenario.name} · waiting for ${what} — ${left} s left`)]);
        return;
      }
      const text = showTerminalControls(`  … ${scenario.name} · waiting for ${what} — ${left} s left`);
      const chars = Array.from(text);
      live.draw(c.yellow(chars.length < columns ? text : `${chars.slice(0, columns - 2).join('')}…`));
    },

    onScenarioEnd(scenario: ScenarioResult): void {
      const steps = stepCounts(scenario);
      const verdict = theme.verdictStyle(scenario.status)(scenario.status);
      current = undefined;
      origins.delete(keyOf(scenario));
      const lines = [`  ${verdict} ${heading(scenario)} ${c.dim(`${steps.passed}/${steps.total} steps · ${formatDuration(scenario.wallDurationMs)}`)}`];
      const f = scenario.failure;
      if (f) {
        const asStep: StepResult = { index: -1, kind: 'scenario', title: scenario.name, status: scenario.status, wallDurationMs: 0, clockStart: scenario.clockStart, clockEnd: scenario.clockEnd, assertions: [], failure: f, frames: [] };
        lines.push(...failureBlock(asStep, { theme, origin: scenario.clockStart, indent: '      ', frameWidth: Math.max(40, columns - 20) }));
      }
      write(lines);
    },

    onRunEnd(result: RunResult): void {
      write(summaryLines(result, theme));
    },
  };
}
