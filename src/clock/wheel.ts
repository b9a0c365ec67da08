import { performance } from 'node:perf_hooks';
import type { Clock, Timer } from './clock.js';

/** Where a WheelClock gets real time and its one repeating real timer; tests pass a fake. */
export interface TickSource {
  /** Wall time, ms since the epoch. */
  now(): number;
  /** Sub-millisecond wall time, for latency measurement. */
  precise(): number;
  /** Starts a repeating real timer; returns its stop function. */
  every(periodMs: number, fn: () => void): () => void;
}

export const realTickSource: TickSource = {
  now: () => Date.now(),
  precise: () => performance.timeOrigin + performance.now(),
  every: (periodMs, fn) => {
    const t = setInterval(fn, periodMs);
    return () => clearInterval(t);
  },
};

export interface WheelOptions {
  /** Tick length in ms: timers fire on the first tick at or after their due time. Default 100. */
  resolutionMs?: number;
  /** Slots in the wheel (one revolution = slots × resolution). Default 1024. */
  slots?: number;
  source?: TickSource;
  /** A timer callback threw; default: rethrown on a microtask (like Node's timers, after the tick). */
  onError?: (err: unknown) => void;
}

class WheelTimer implements Timer {
  cancelled = false;
  constructor(
    readonly wheel: WheelClock,
    readonly fn: () => void,
    public dueMs: number,
    public dueTick: number,
    readonly periodMs: number,
  ) {}

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.wheel.released();
  }
}

/**
 * A real-time Clock whose timers all live in one hashed timing wheel driven by a single real
 * interval: ten thousand chargers' heartbeats, meter intervals and call timeouts cost one Node
 * timer, not ten thousand. Resolution is coarse (default 100 ms) and a timer never fires early.
 * The real interval stops on the first tick with no live timers, so an idle wheel lets the process exit.
 * Holds are no-ops: real time never jumps.
 */
export class WheelClock implements Clock {
  readonly resolutionMs: number;
  private readonly slots: WheelTimer[][];
  private readonly source: TickSource;
  private readonly onError: (err: unknown) => void;
  private lastTick: number;
  private live = 0;
  private stopReal: (() => void) | undefined;
  /** Largest delay seen between a tick's due time and its processing (event-loop lag), ms. */
  maxLagMs = 0;
  /** Timer callbacks fired so far. */
  fired = 0;

  constructor(options: WheelOptions = {}) {
    this.resolutionMs = Math.max(1, options.resolutionMs ?? 100);
    this.source = options.source ?? realTickSource;
    this.onError =
      options.onError ??
      ((err) =>
        queueMicrotask(() => {
          throw err;
        }));
    this.slots = Array.from({ length: Math.max(1, options.slots ?? 1024) }, () => []);
    this.lastTick = Math.floor(this.source.now() / this.resolutionMs);
  }

  now(): number {
    return this.source.now();
  }

  /** Wall time with sub-millisecond precision (latency measurement). */
  preciseNow(): number {
    return this.source.precise();
  }

  /** Live (scheduled, not cancelled, not finished) timers. */
  get size(): number {
    return this.live;
  }

  setTimeout(fn: () => void, delayMs: number): Timer {
    return this.add(fn, this.source.now() + Math.max(0, delayMs), 0);
  }

  setInterval(fn: () => void, periodMs: number): Timer {
    const p = Math.max(1, periodMs);
    return this.add(fn, this.source.now() + p, p);
  }

  hold(_label: string): () => void {
    return noop;
  }

  /** Fires everything due up to the source's current time. The real interval calls this. */
  tick(): void {
    const nowMs = this.source.now();
    const target = Math.floor(nowMs / this.resolutionMs);
    if (target <= this.lastTick) return;
    const lag = nowMs - target * this.resolutionMs;
    if (lag > this.maxLagMs) this.maxLagMs = lag;
    const n = this.slots.length;
    // After a lag longer than a revolution, one visit per slot fires everything overdue in it.
    let t = Math.max(this.lastTick + 1, target - n + 1);
    for (; t <= target; t++) {
      this.lastTick = t;
      this.visit(t, nowMs);
    }
    // Idle: stop the real timer on a tick rather than on the last cancel, so a call timeout set and
    // cancelled per CALL does not start and stop a Node timer every time.
    if (this.live <= 0) {
      this.live = 0;
      this.stopSource();
      for (const slot of this.slots) slot.length = 0; // only cancelled or finished entries remain
    }
  }

  /** Stops the real interval and drops every timer. */
  stop(): void {
    for (const slot of this.slots) {
      for (const timer of slot) timer.cancelled = true;
      slot.length = 0;
    }
    this.live = 0;
    this.stopSource();
  }

  /** Called by a timer when it stops being live. */
  released(): void {
    this.live--;
  }

  private add(fn: () => void, dueMs: number, periodMs: number): Timer {
    const timer = new WheelTimer(this, fn, dueMs, 0, periodMs);
    this.place(timer);
    this.live++;
    if (!this.stopReal) {
      this.lastTick = Math.max(this.lastTick, Math.floor(this.source.now() / this.resolutionMs));
      this.stopReal = this.source.every(this.resolutionMs, () => this.tick());
    }
    return timer;
  }

  private place(timer: WheelTimer): void {
    timer.dueTick = Math.max(Math.ceil(timer.dueMs / this.resolutionMs), this.lastTick + 1);
    this.slots[timer.dueTick % this.slots.length].push(timer);
  }

  private visit(t: number, nowMs: number): void {
    const index = t % this.slots.length;
    const list = this.slots[index];
    if (list.length === 0) return;
    this.slots[index] = [];
    for (let i = 0; i < list.length; i++) {
      const timer = list[i];
      if (timer.cancelled) continue;
      if (timer.dueTick > t) {
        this.slots[index].push(timer); // a later revolution
        continue;
      }
      if (timer.periodMs > 0) {
        timer.dueMs += timer.periodMs;
        if (timer.dueMs <= nowMs) timer.dueMs = nowMs + timer.periodMs; // fell behind: resume from now
        this.place(timer);
      } else {
        timer.cancelled = true;
        this.released();
      }
      this.fired++;
      try {
        timer.fn();
      } catch (err) {
        this.onError(err);
      }
    }
  }

  private stopSource(): void {
    const stop = this.stopReal;
    this.stopReal = undefined;
    stop?.();
  }
}

function noop(): void {}
