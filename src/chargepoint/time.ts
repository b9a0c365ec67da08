import type { Clock, Timer } from '../clock/clock.js';

/**
 * The charger's view of time over the clock it was given. `now()` is what the firmware believes
 * (timestamps, schedules, clock-aligned intervals): the given clock plus the offset from a
 * `currentTime` sync. `mono()` is the given clock untouched: physics (energy = ∫P dt) and
 * elapsed times never jump when the firmware resets its clock.
 */
export class ChargerTime {
  private syncOffset = 0;

  constructor(readonly clock: Clock) {}

  now(): number {
    return this.clock.now() + this.syncOffset;
  }

  iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }

  mono(): number {
    return this.clock.now();
  }

  /** Sets the firmware clock so that now() reads `ms` (BootNotification/Heartbeat currentTime). */
  syncTo(ms: number): void {
    this.syncOffset = ms - this.clock.now();
  }

  /** A timer `delayMs` from now; delays are elapsed time, the same on every clock. */
  after(delayMs: number, fn: () => void): Timer {
    return this.clock.setTimeout(fn, Math.max(0, delayMs));
  }
}
