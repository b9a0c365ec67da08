import type { Clock, Timer } from '../clock/clock.js';

/** Where prompts go: a stream, told whether a person watches it (a TTY) or a log collects it. */
export interface PromptOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Seconds as `m:ss`. */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Shows `text` with a visible countdown until stopped: on a TTY one line rewritten every second;
 * in a log (no TTY) a line at once and then every 10 s, so CI output never goes quiet.
 */
export function showCountdown(out: PromptOutput, clock: Clock, text: string, windowMs: number): () => void {
  const end = clock.now() + windowMs;
  const tty = out.isTTY === true;
  const line = (): string => `${text} — ${countdown(end - clock.now())} left`;
  if (tty) out.write(`\r\x1b[2K${line()}`);
  else out.write(`${line()}\n`);
  const timer: Timer = clock.setInterval(
    () => {
      if (clock.now() >= end) return;
      out.write(tty ? `\r\x1b[2K${line()}` : `${line()}\n`);
    },
    tty ? 1_000 : 10_000,
  );
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    timer.cancel();
    if (tty) out.write('\r\x1b[2K');
  };
}
