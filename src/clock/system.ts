import type { Clock, Timer } from './clock.js';

/** Wall-clock time and Node's timers. Holds are no-ops: real time never jumps. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, delayMs: number): Timer {
    const t = setTimeout(fn, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(t) };
  }

  setInterval(fn: () => void, periodMs: number): Timer {
    const t = setInterval(fn, Math.max(1, periodMs));
    return { cancel: () => clearInterval(t) };
  }

  hold(_label: string): () => void {
    return () => {};
  }
}

export const systemClock = new SystemClock();

/** Real time, for the few places that must measure it (benchmarks, progress lines). */
export function wallNow(): number {
  return Date.now();
}

/** Waits one real event-loop turn (used by the virtual clock to let I/O settle). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Waits real milliseconds (less when `signal` aborts first); for the CLI's real-time mode, never for tests. */
export function realDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
