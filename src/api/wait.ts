import type { Clock } from '../clock/clock.js';
import { VirtualClock } from '../clock/virtual.js';
import { ChargecheckError } from '../errors.js';

/** How long `waitFor` waits, in ms of the handle's clock (virtual or real). Default 30 000. */
export interface WaitOptions {
  readonly timeout?: number;
}

export const DEFAULT_WAIT_MS = 30_000;

/** Subscribes a listener; returns the unsubscribe function. */
export type Subscribe<T> = (listener: (value: T) => void) => () => void;

/**
 * Resolves with the first value that `predicate` accepts: among `current` (the state as it is
 * now, for events that are states), else the next ones the subscription delivers. On a
 * VirtualClock it runs the clock (timers fire, loopback I/O settles) until then; on any other
 * clock it waits, with the timeout on that clock. Rejects with API_WAIT_TIMEOUT when the time is
 * up (or, on a virtual clock, when nothing is left that could happen). On a virtual clock, work in
 * flight settles before `current` is read.
 */
export async function waitForValue<T>(clock: Clock, subscribe: Subscribe<T>, predicate: (value: T) => boolean, options: WaitOptions, what: string, current?: () => readonly T[]): Promise<T> {
  const timeoutMs = options.timeout ?? DEFAULT_WAIT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new ChargecheckError('API_BAD_OPTION', `timeout must be a non-negative number of ms, not ${String(timeoutMs)}`, { timeout: timeoutMs });
  // on virtual time, work in flight (an unanswered CALL) lands before the state is read
  if (current) {
    if (clock instanceof VirtualClock) await clock.settle();
    for (const value of current()) if (predicate(value)) return value;
  }
  let hit: { value: T } | undefined;
  let failure: unknown;
  let wake: () => void = () => {};
  const woken = new Promise<void>((resolve) => (wake = resolve));
  const off = subscribe((value) => {
    if (hit || failure !== undefined) return;
    try {
      if (!predicate(value)) return;
      hit = { value };
    } catch (err) {
      failure = err;
    }
    wake();
  });
  const started = clock.now();
  let why = 'deadline';
  try {
    if (clock instanceof VirtualClock) {
      why = await clock.runUntil(() => hit !== undefined || failure !== undefined, started + timeoutMs);
    } else {
      const timer = clock.setTimeout(wake, timeoutMs);
      await woken;
      timer.cancel();
    }
  } finally {
    off();
  }
  if (failure !== undefined) throw failure;
  if (hit) return hit.value;
  const idle = why === 'idle' ? ' (nothing left to happen on the virtual clock)' : '';
  throw new ChargecheckError('API_WAIT_TIMEOUT', `no ${what} within ${timeoutMs} ms${idle}`, { what, timeoutMs, waitedMs: clock.now() - started });
}

/** A promise that settles when `close` is done once; later calls get the same promise. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
