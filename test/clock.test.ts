import { pbkdf2 } from 'node:crypto';
import { connect, createServer, type AddressInfo } from 'node:net';
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

  it('runUntil jumps to the next timer only when nothing is in flight: a hold released by real loopback I/O is waited for', async () => {
    const c = new VirtualClock(0);
    const server = createServer((s) => s.on('data', (d) => s.end(d)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const release = c.hold('echo');
    let fired = false;
    let echoedBeforeTimer = false;
    c.setTimeout(() => (fired = true), 60_000);
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.write('ping'));
    socket.on('data', () => {
      echoedBeforeTimer = !fired;
      release();
    });
    const why = await c.runUntil(() => fired);
    socket.destroy();
    server.close();
    expect(echoedBeforeTimer).toBe(true);
    expect(why).toBe('done');
    expect(c.now()).toBe(60_000);
  });

  it('never depends on wall time: a hold released by slow thread-pool work is waited for however long it takes', async () => {
    // The old clock gave held work `stuckMs` of real time (50 ms in tests) before jumping anyway.
    const c = new VirtualClock(0, { stuckMs: 1 });
    const release = c.hold('key derivation');
    let derived = false;
    let firedBeforeDerived = false;
    c.setTimeout(() => (firedBeforeDerived = !derived), 1_000);
    const started = performance.now();
    pbkdf2('secret', 'salt', 300_000, 32, 'sha256', () => {
      derived = true;
      release();
    });
    await c.runUntilIdle();
    expect(performance.now() - started).toBeGreaterThan(5); // it did take real time
    expect(derived).toBe(true);
    expect(firedBeforeDerived).toBe(false);
    expect(c.stuck()).toEqual([]);
  });

  it('a hold nobody will release does not freeze time: once the process is idle it is stuck, and the holder\'s own timeout fires', async () => {
    const c = new VirtualClock(0);
    const started = performance.now();
    const release = c.hold('CALL Heartbeat (peer never answers)');
    let timedOut = false;
    c.setTimeout(() => {
      timedOut = true;
      release();
    }, 30_000);
    expect(await c.runUntil(() => timedOut)).toBe('done');
    expect(c.now()).toBe(30_000);
    expect(c.inFlight()).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1_000); // the old clock waited 5 s of wall time
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
