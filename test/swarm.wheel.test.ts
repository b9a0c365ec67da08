import { describe, expect, it } from 'vitest';
import { WheelClock, type TickSource } from '../src/clock/wheel.js';

/** A fake real time: `advance` moves it and runs the wheel's interval as a real one would. */
function fakeSource(start = 1_000_000) {
  let now = start;
  let tickFn: (() => void) | undefined;
  let starts = 0;
  let stops = 0;
  const source: TickSource = {
    now: () => now,
    precise: () => now,
    every: (_ms, fn) => {
      starts++;
      tickFn = fn;
      return () => {
        stops++;
        tickFn = undefined;
      };
    },
  };
  return {
    source,
    get running() {
      return tickFn !== undefined;
    },
    get starts() {
      return starts;
    },
    get stops() {
      return stops;
    },
    /** Moves time in steps of `step` ms, ticking after each (like the real interval). */
    advance(ms: number, step = 100) {
      const end = now + ms;
      while (now < end) {
        now = Math.min(end, now + step);
        tickFn?.();
      }
    },
    jump(ms: number) {
      now += ms;
      tickFn?.();
    },
  };
}

describe('WheelClock', () => {
  it('fires one-shot timers in due order, never early, on a coarse tick', () => {
    const f = fakeSource();
    const wheel = new WheelClock({ resolutionMs: 100, slots: 16, source: f.source });
    const fired: string[] = [];
    const at: Record<string, number> = {};
    const t0 = wheel.now();
    for (const [name, delay] of [['c', 950], ['a', 150], ['b', 420], ['zero', 0]] as const) {
      wheel.setTimeout(() => {
        fired.push(name);
        at[name] = wheel.now() - t0;
      }, delay);
    }
    f.advance(2_000, 10);
    expect(fired).toEqual(['zero', 'a', 'b', 'c']);
    expect(at.a).toBeGreaterThanOrEqual(150);
    expect(at.a).toBeLessThanOrEqual(250);
    expect(at.b).toBeGreaterThanOrEqual(420);
    expect(at.c).toBeGreaterThanOrEqual(950);
    expect(at.c).toBeLessThanOrEqual(1_050);
  });

  it('handles delays longer than one revolution', () => {
    const f = fakeSource();
    const wheel = new WheelClock({ resolutionMs: 100, slots: 8, source: f.source }); // 800 ms revolution
    let firedAt = -1;
    const t0 = wheel.now();
    wheel.setTimeout(() => (firedAt = wheel.now() - t0), 5_000);
    f.advance(4_900);
    expect(firedAt).toBe(-1);
    f.advance(200);
    expect(firedAt).toBeGreaterThanOrEqual(5_000);
    expect(firedAt).toBeLessThanOrEqual(5_100);
  });

  it('runs intervals without drift and stops them on cancel', () => {
    const f = fakeSource(0);
    const wheel = new WheelClock({ resolutionMs: 100, slots: 64, source: f.source });
    const times: number[] = [];
    const timer = wheel.setInterval(() => times.push(wheel.now()), 60_000 / 100); // 600 ms
    f.advance(6_050, 50);
    expect(times).toEqual([600, 1200, 1800, 2400, 3000, 3600, 4200, 4800, 5400, 6000]);
    timer.cancel();
    timer.cancel();
    f.advance(2_000);
    expect(times).toHaveLength(10);
    expect(wheel.size).toBe(0);
  });

  it('runs its single real timer only while timers are live', () => {
    const f = fakeSource();
    const wheel = new WheelClock({ resolutionMs: 100, source: f.source });
    expect(f.running).toBe(false);
    const timers = Array.from({ length: 1_000 }, (_, i) => wheel.setTimeout(() => {}, 1_000 + i));
    expect(f.starts).toBe(1);
    expect(wheel.size).toBe(1_000);
    for (const t of timers.slice(0, 500)) t.cancel();
    expect(wheel.size).toBe(500);
    f.advance(3_000);
    expect(wheel.size).toBe(0);
    expect(f.running).toBe(false);
    expect(f.stops).toBe(1);
    let again = false;
    wheel.setTimeout(() => (again = true), 100);
    expect(f.running).toBe(true);
    f.advance(300);
    expect(again).toBe(true);
  });

  it('catches up after event-loop lag, firing everything overdue once, and records the lag', () => {
    const f = fakeSource(0);
    const wheel = new WheelClock({ resolutionMs: 100, slots: 16, source: f.source });
    const fired: number[] = [];
    for (let i = 1; i <= 50; i++) wheel.setTimeout(() => fired.push(i), i * 100);
    let ticks = 0;
    wheel.setInterval(() => ticks++, 1_000);
    f.jump(10_050);
    expect(fired).toHaveLength(50);
    expect(ticks).toBe(1); // an interval that fell behind fires once, then resumes from now
    expect(wheel.maxLagMs).toBe(50);
    f.advance(1_100); // resumed from 10 050: next at 11 050, fired on the 11 100 tick
    expect(ticks).toBe(2);
  });

  it('a callback that throws does not stop the others due on the same tick', () => {
    const f = fakeSource();
    const errors: unknown[] = [];
    const wheel = new WheelClock({ resolutionMs: 100, source: f.source, onError: (e) => errors.push(e) });
    const fired: number[] = [];
    wheel.setTimeout(() => fired.push(1), 100);
    wheel.setTimeout(() => {
      throw new Error('boom');
    }, 100);
    wheel.setTimeout(() => fired.push(3), 100);
    f.advance(200);
    expect(fired).toEqual([1, 3]);
    expect(errors).toHaveLength(1);
  });

  it('timers scheduled from a callback land on a later tick', () => {
    const f = fakeSource(0);
    const wheel = new WheelClock({ resolutionMs: 100, source: f.source });
    const log: number[] = [];
    wheel.setTimeout(() => {
      log.push(wheel.now());
      wheel.setTimeout(() => log.push(wheel.now()), 0);
    }, 100);
    f.advance(500);
    expect(log).toEqual([100, 200]);
  });

  it('hold is a no-op and stop drops everything', () => {
    const f = fakeSource();
    const wheel = new WheelClock({ source: f.source });
    wheel.hold('x')();
    let fired = false;
    wheel.setInterval(() => (fired = true), 100);
    wheel.stop();
    expect(f.running).toBe(false);
    f.advance(1_000);
    expect(fired).toBe(false);
    expect(wheel.size).toBe(0);
  });
});
