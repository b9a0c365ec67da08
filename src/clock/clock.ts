/** A scheduled callback; cancelling twice or after it ran is harmless. */
export interface Timer {
  cancel(): void;
}

/**
 * The one view of time in chargecheck. Everything that needs "now" or a delay takes a Clock;
 * only src/clock/ reads real time. A release function from `hold()` marks work in flight
 * (an unanswered CALL, a connect, a download) so a virtual clock does not jump past it.
 */
export interface Clock {
  /** Milliseconds since the epoch, as this clock sees it. */
  now(): number;
  setTimeout(fn: () => void, delayMs: number): Timer;
  setInterval(fn: () => void, periodMs: number): Timer;
  /** Marks work in flight until the returned function is called (idempotent). */
  hold(label: string): () => void;
}

export function isoTime(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
