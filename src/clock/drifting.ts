import type { Clock, Timer } from './clock.js';

export interface DriftOptions {
  /** Constant offset from true time, in ms (positive = ahead). */
  offsetMs?: number;
  /** Rate error in parts per million (positive = runs fast). */
  ppm?: number;
}

/**
 * A charger's own clock: true time + offset + rate error accumulated since creation or the last
 * resync. Timers run on the underlying (true) clock; only what the charger reads as "now" drifts.
 */
export class DriftingClock implements Clock {
  private anchorTrue: number;
  private anchorLocal: number;
  private ppm: number;

  constructor(
    private readonly base: Clock,
    options: DriftOptions = {},
  ) {
    this.anchorTrue = base.now();
    this.anchorLocal = this.anchorTrue + (options.offsetMs ?? 0);
    this.ppm = options.ppm ?? 0;
  }

  now(): number {
    const elapsed = this.base.now() - this.anchorTrue;
    return Math.round(this.anchorLocal + elapsed * (1 + this.ppm / 1e6));
  }

  /** How far this clock is from true time right now (ms, positive = ahead). */
  offset(): number {
    return this.now() - this.base.now();
  }

  /** Sets this clock's reading (e.g. from BootNotification.conf currentTime, or an NTP-like resync). */
  setTime(localMs: number): void {
    this.anchorTrue = this.base.now();
    this.anchorLocal = localMs;
  }

  setTimeout(fn: () => void, delayMs: number): Timer {
    return this.base.setTimeout(fn, delayMs);
  }

  setInterval(fn: () => void, periodMs: number): Timer {
    return this.base.setInterval(fn, periodMs);
  }

  hold(label: string): () => void {
    return this.base.hold(label);
  }
}
