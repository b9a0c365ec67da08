import { describe, expect, it } from 'vitest';
import { DriftingClock } from '../src/clock/drifting.js';
import { VirtualClock } from '../src/clock/virtual.js';

describe('VirtualClock', () => {
  it('fires timers in due order, intervals repeatedly, and skips cancelled ones', () => {
    const c = new VirtualClock(0);
    const log: string[] = [];
    c.setTimeout(() => log.push(`b@${c.now()}`), 2000);
    c.setTimeout(() => log.push(`a@${c.now()}`), 1000);
    const t = c.setTimeout(() => log.push('never'), 1500);
    t.cancel();
    c.setInterval(() => log.push(`i@${c.now()}`), 700);
    c.advance(2100);
    expect(log).toEqual(['i@700', 'a@1000', 'i@1400', 'b@2000', 'i@2100']);
    expect(c.now()).toBe(2100);
  });

  it('runUntil jumps to the next timer only when nothing is in flight', async () => {
    const c = new VirtualClock(0);
    const release = c.hold('call');
    let fired = false;
    c.setTimeout(() => (fired = true), 60_000);
    // release the hold from real I/O a little later; the clock must not have jumped before
    setTimeout(() => {
      expect(fired).toBe(false);
      release();
    }, 5);
    const why = await c.runUntil(() => fired);
    expect(why).toBe('done');
    expect(c.now()).toBe(60_000);
  });

  it('stops at a deadline and reports idle when no timers remain', async () => {
    const c = new VirtualClock(0);
    c.setTimeout(() => {}, 10_000);
    expect(await c.runUntil(() => false, 5000)).toBe('deadline');
    expect(c.now()).toBe(5000);
    expect(await c.runUntilIdle()).toBe('idle');
    expect(c.now()).toBe(10_000);
  });
});

describe('DriftingClock', () => {
  it('adds an offset and a rate error to true time, and resyncs', () => {
    const base = new VirtualClock(1_000_000);
    const d = new DriftingClock(base, { offsetMs: 5000, ppm: 100 });
    expect(d.now()).toBe(1_005_000);
    base.advance(1_000_000); // 1000 s of true time → 100 ms of rate error
    expect(d.offset()).toBe(5100);
    d.setTime(base.now());
    expect(d.offset()).toBe(0);
  });
});
