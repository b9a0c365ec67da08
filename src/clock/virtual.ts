import type { Clock, Timer } from './clock.js';
import { nextTurn } from './system.js';
import { TimerQueue, type QueuedTimer } from './timer-queue.js';

/** How many quiet event-loop turns count as "nothing in flight". */
const QUIET_TURNS = 4;
/** Real ms that held work may show no progress before time moves on regardless. */
const STUCK_MS = 5_000;

/**
 * A discrete-event clock. Time moves only by `advance(ms)` (manual) or, with `runUntil` /
 * `runUntilIdle`, by jumping to the next timer whenever nothing is in flight: no holds are
 * open and the event loop has been quiet for a few turns (so loopback I/O has landed).
 */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new TimerQueue();
  private readonly holds = new Map<number, string>();
  private holdSeq = 0;
  /** Bumped by every schedule, fire, hold and release: the loop is quiet while it stays put. */
  private activity = 0;

  private readonly stuckMs: number;

  /**
   * @param startMs the clock's first reading
   * @param options.stuckMs real ms that held work may show no progress before time moves on
   *   regardless (default 5 s), so a peer that never answers cannot freeze a run.
   */
  constructor(startMs = Date.UTC(2026, 0, 1, 8, 0, 0), options: { stuckMs?: number } = {}) {
    this.current = startMs;
    this.stuckMs = options.stuckMs ?? STUCK_MS;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, delayMs: number): Timer {
    return this.schedule(fn, Math.max(0, delayMs), 0);
  }

  setInterval(fn: () => void, periodMs: number): Timer {
    const p = Math.max(1, periodMs);
    return this.schedule(fn, p, p);
  }

  hold(label: string): () => void {
    const id = ++this.holdSeq;
    this.holds.set(id, label);
    this.activity++;
    return () => {
      if (this.holds.delete(id)) this.activity++;
    };
  }

  /** Labels of the work in flight, for diagnosing a run that will not settle. */
  inFlight(): string[] {
    return [...this.holds.values()];
  }

  /** Time of the next live timer, if any. */
  nextDue(): number | undefined {
    return this.timers.peek()?.due;
  }

  /** Moves time forward by `ms`, firing due timers in order; synchronous (no I/O settles between). */
  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  advanceTo(target: number): void {
    for (;;) {
      const next = this.timers.peek();
      if (!next || next.due > target) break;
      this.fireNext();
    }
    if (target > this.current) this.current = target;
  }

  /**
   * Waits (in real event-loop turns) until nothing is in flight. Work held open with no progress
   * for `stuckMs` of real time (a peer that never answers) no longer blocks time: the clock moves
   * on so that the caller's own timeouts can fire.
   */
  async settle(stuckMs = this.stuckMs): Promise<void> {
    let quiet = 0;
    let seen = this.activity;
    let lastProgress = Date.now();
    for (;;) {
      await nextTurn();
      if (this.activity !== seen) {
        quiet = 0;
        seen = this.activity;
        lastProgress = Date.now();
        continue;
      }
      if (this.holds.size === 0) {
        if (++quiet >= QUIET_TURNS) return;
        continue;
      }
      if (Date.now() - lastProgress > stuckMs) return;
      await waitRealTick();
    }
  }

  /**
   * Runs the discrete-event loop until `done()` is true, virtual time reaches `untilMs`, or there
   * is nothing left to do. Returns why it stopped.
   */
  async runUntil(done: () => boolean, untilMs = Number.POSITIVE_INFINITY): Promise<'done' | 'deadline' | 'idle'> {
    for (;;) {
      await this.settle();
      if (done()) return 'done';
      const next = this.timers.peek();
      if (!next) return 'idle';
      if (next.due > untilMs) {
        this.current = Math.max(this.current, untilMs);
        return 'deadline';
      }
      this.fireNext();
    }
  }

  /** Runs until there are no timers left, or until `untilMs`. */
  runUntilIdle(untilMs?: number): Promise<'done' | 'deadline' | 'idle'> {
    return this.runUntil(() => false, untilMs);
  }

  private schedule(fn: () => void, delay: number, period: number): Timer {
    const t: QueuedTimer = { due: this.current + delay, seq: ++this.seq, fn, period, cancelled: false };
    this.timers.push(t);
    this.activity++;
    return {
      cancel: () => {
        t.cancelled = true;
      },
    };
  }

  private fireNext(): void {
    const t = this.timers.pop();
    if (!t || t.cancelled) return;
    if (t.due > this.current) this.current = t.due;
    this.activity++;
    if (t.period > 0) {
      t.due += t.period;
      t.seq = ++this.seq;
      this.timers.push(t);
    }
    t.fn();
  }
}

/** While work is in flight, give the kernel a real millisecond instead of spinning. */
function waitRealTick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1));
}
