import type { Clock, Timer } from './clock.js';
import { loopActivity } from './loop-activity.js';
import { TimerQueue, type QueuedTimer } from './timer-queue.js';

/**
 * Consecutive loop turns with no callback at all (no socket read or write, no TLS step, no timer,
 * nothing pending on the thread pool) before the process counts as idle. One such turn already
 * means every loopback write has been read (the kernel delivers it before the next poll); the
 * second covers close callbacks, which run after the turn's own immediate.
 */
const IDLE_TURNS = 2;

/**
 * A discrete-event clock. Time moves only by `advance(ms)` (manual) or, with `runUntil` /
 * `runUntilIdle`, by jumping to the next timer when this process has nothing left to do: the event
 * loop ran whole turns without a single I/O, timer or thread-pool callback, and no request is in
 * flight (src/clock/loop-activity.ts). Progress never depends on wall time: slow work (a loaded
 * machine, a thread-pool job) is waited for however long it takes, because it is seen as pending.
 *
 * Holds (`hold(label)`) name work in flight for diagnosis (`inFlight()`). A hold still open once
 * the process is idle cannot be released by anything but a timer: it is *stuck* (a peer that will
 * not answer), so time moves on to the next timer — which is the holder's own timeout on this clock
 * (a CALL's timeout, a connect timeout). `stuck()` lists such holds for diagnosis.
 */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new TimerQueue();
  private readonly holds = new Map<number, string>();
  private holdSeq = 0;
  /** Bumped by every schedule, fire, hold and release: the loop is quiet while it stays put. */
  private activity = 0;

  /** Holds that were open when time last moved on with the process idle. */
  private stuckLabels: string[] = [];

  /**
   * @param startMs the clock's first reading
   * @param _options accepted for compatibility and ignored: `stuckMs` (real ms before held work
   *   stopped blocking) is gone, since time no longer depends on wall time at all.
   */
  constructor(startMs = Date.UTC(2026, 0, 1, 8, 0, 0), _options: { /** @deprecated no effect */ stuckMs?: number } = {}) {
    this.current = startMs;
    // From now on requests are tracked (one created before this would be invisible to settle()).
    loopActivity.enable();
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

  /** Holds that were still open the last time the process went idle and time moved on anyway. */
  stuck(): string[] {
    return [...this.stuckLabels];
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
   * Waits until this process has nothing left to do (see the class comment): loop turns go by
   * while callbacks run; pending thread-pool or fs work is awaited by its completion, not polled.
   * Holds still open afterwards are recorded as `stuck()`.
   */
  async settle(): Promise<void> {
    let idle = 0;
    let seenClock = this.activity;
    let seenLoop = loopActivity.events;
    for (;;) {
      await loopActivity.turn();
      if (this.activity !== seenClock || loopActivity.events !== seenLoop) {
        idle = 0;
        seenClock = this.activity;
        seenLoop = loopActivity.events;
        continue;
      }
      if (loopActivity.pending > 0) {
        idle = 0;
        await loopActivity.requestsDone();
        continue;
      }
      if (++idle >= IDLE_TURNS) break;
    }
    this.stuckLabels = [...this.holds.values()];
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
