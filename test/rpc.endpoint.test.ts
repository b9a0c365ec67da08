import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual.js';
import { isChargecheckError } from '../src/errors.js';
import { OcppCallError } from '../src/rpc/call-error.js';
import { channelPair } from '../src/rpc/channel.js';
import { RpcEndpoint } from '../src/rpc/endpoint.js';
import type { FrameEvent } from '../src/rpc/frames.js';

function pair(opts: { maxBadFrames?: number; callTimeoutMs?: number } = {}) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const [a, b] = channelPair();
  const cp = new RpcEndpoint({ channel: a, clock, label: 'CP1', role: 'ChargePoint', ...opts });
  const cs = new RpcEndpoint({ channel: b, clock, label: 'CP1', role: 'Csms', ...opts });
  const csFrames: FrameEvent[] = [];
  cs.onFrame((e) => csFrames.push(e));
  return { clock, cp, cs, csFrames };
}

const boot = { chargePointVendor: 'Acme', chargePointModel: 'Home-1' };

async function rejection(p: Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    if (isChargecheckError(err)) return { code: err.code, details: err.details };
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('RpcEndpoint', () => {
  it('round-trips a CALL to a typed result and publishes frames both ways', async () => {
    const { cp, cs, csFrames, clock } = pair();
    cs.handle('BootNotification', () => ({ status: 'Accepted', currentTime: new Date(clock.now()).toISOString(), interval: 300 }));
    const res = await cp.call('BootNotification', boot);
    expect(res.status).toBe('Accepted');
    expect(csFrames.map((f) => [f.direction, f.frame?.[0]])).toEqual([['in', 2], ['out', 3]]);
    expect(csFrames[0].clockTime).toBe(clock.now());
  });

  it('keeps one CALL in flight and sends the rest in order, while answering crossing CALLs', async () => {
    const { cp, cs, csFrames, clock } = pair();
    const order: string[] = [];
    let releaseFirst!: () => void;
    const gate = new Promise<void>((r) => (releaseFirst = r));
    cs.handle('Heartbeat', async () => {
      order.push('hb');
      await gate;
      return { currentTime: new Date(clock.now()).toISOString() };
    });
    cs.handle('StatusNotification', () => (order.push('sn'), {}));
    cp.handle('GetConfiguration', () => ({ configurationKey: [], unknownKey: [] }));
    const first = cp.call('Heartbeat', {});
    const second = cp.call('StatusNotification', { connectorId: 0, errorCode: 'NoError', status: 'Available' });
    await clock.settle();
    expect(order).toEqual(['hb']); // the second waits for the first
    const crossing = await cs.call('GetConfiguration', {}); // calls may cross
    expect(crossing.unknownKey).toEqual([]);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['hb', 'sn']);
    const ids = csFrames.filter((f) => f.direction === 'in' && f.frame?.[0] === 2).map((f) => f.frame![1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(String(id).length).toBeLessThanOrEqual(36);
  });

  it('times out a CALL on the clock with RPC_TIMEOUT and moves on', async () => {
    const { cp, cs, clock } = pair({ callTimeoutMs: 30_000 });
    cs.handle('Heartbeat', () => new Promise(() => {})); // never answers
    cs.handle('StatusNotification', () => ({}));
    const hb = rejection(cp.call('Heartbeat', {}));
    const next = cp.call('StatusNotification', { connectorId: 0, errorCode: 'NoError', status: 'Available' });
    const start = clock.now();
    await clock.runUntil(() => false, start + 31_000);
    expect((await hb).code).toBe('RPC_TIMEOUT');
    await expect(next).resolves.toEqual({});
  });

  it('answers unknown action NotImplemented, unhandled NotSupported, invalid payload with the mapped code', async () => {
    const { cp, cs } = pair();
    cs.handle('StatusNotification', () => ({}));
    const codes = async (action: string, payload: object) =>
      (await rejection(cp.call(action as 'Heartbeat', payload as Record<string, never>, { unvalidated: true }))).details.ocppCode;
    expect(await codes('Sneeze', {})).toBe('NotImplemented');
    expect(await codes('Authorize', { idTag: 'A' })).toBe('NotSupported');
    expect(await codes('StatusNotification', { connectorId: 1, status: 'Available' })).toBe('OccurenceConstraintViolation');
    expect(await codes('StatusNotification', { connectorId: '1', errorCode: 'NoError', status: 'Available' })).toBe('TypeConstraintViolation');
    expect(await codes('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Napping' })).toBe('PropertyConstraintViolation');
    expect(await codes('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', mood: 'ok' })).toBe('FormationViolation');
  });

  it('maps a handler throw to InternalError and an OcppCallError to its code', async () => {
    const { cp, cs } = pair();
    cs.handle('Authorize', () => {
      throw new Error('db down');
    });
    cs.handle('DataTransfer', () => {
      throw new OcppCallError('SecurityError', 'not accepted yet');
    });
    expect((await rejection(cp.call('Authorize', { idTag: 'A' }))).details.ocppCode).toBe('InternalError');
    expect((await rejection(cp.call('DataTransfer', { vendorId: 'x' }))).details.ocppCode).toBe('SecurityError');
  });

  it('refuses invalid outgoing payloads unless fault injection asks for them', async () => {
    const { cp, cs } = pair();
    cs.handle('BootNotification', () => ({ status: 'Accepted', currentTime: '2026-01-01T00:00:00Z', interval: 1 }));
    expect((await rejection(cp.call('BootNotification', { chargePointVendor: 'x' } as never))).code).toBe('RPC_INVALID_OUTGOING');
    expect((await rejection(cp.call('Reset', { type: 'Hard' }))).code).toBe('RPC_WRONG_DIRECTION');
    const injected = await rejection(cp.call('BootNotification', { chargePointVendor: 'x' } as never, { unvalidated: true }));
    expect(injected.details.ocppCode).toBe('OccurenceConstraintViolation');
  });

  it('runs afterReply work only after the reply went out', async () => {
    const { cp, cs, csFrames } = pair();
    cs.handle('StatusNotification', () => ({}));
    cp.handle('TriggerMessage', (_p, ctx) => {
      ctx.afterReply(() => void cp.call('StatusNotification', { connectorId: 0, errorCode: 'NoError', status: 'Available' }));
      return { status: 'Accepted' };
    });
    await cs.call('TriggerMessage', { requestedMessage: 'StatusNotification' });
    await new Promise((r) => setImmediate(r));
    const seen = csFrames.map((f) => (f.frame?.[0] === 2 ? `${f.direction}:${f.frame[2]}` : `${f.direction}:${f.frame?.[0]}`));
    expect(seen.indexOf('in:3')).toBeLessThan(seen.indexOf('in:StatusNotification'));
  });

  it('answers malformed CALL frames when the id is readable, and closes with 1002 past the limit', async () => {
    const { cp, cs, csFrames } = pair({ maxBadFrames: 3 });
    let closedWith = 0;
    cs.onClose((code) => (closedWith = code));
    cp.sendRaw('[2,"abc","Heartbeat",{]');
    cp.sendRaw('[2,"def","Heartbeat"]');
    cp.sendRaw('hello');
    await new Promise((r) => setImmediate(r));
    const errors = csFrames.filter((f) => f.direction === 'out').map((f) => [f.frame?.[1], f.frame?.[2]]);
    expect(errors).toEqual([['abc', 'FormationViolation'], ['def', 'ProtocolError']]);
    expect(cs.badFrames).toBe(3);
    cp.sendRaw('[5,"x"]'); // unknown message type: ignored, not counted
    cp.sendRaw('{}');
    await new Promise((r) => setImmediate(r));
    expect(closedWith).toBe(1002);
    expect(cs.isOpen).toBe(false);
  });

  it('rejects pending calls with RPC_CLOSED when the channel closes', async () => {
    const { cp, cs } = pair();
    cs.handle('Heartbeat', () => new Promise(() => {}));
    const hb = rejection(cp.call('Heartbeat', {}));
    const queued = rejection(cp.call('Heartbeat', {}));
    await new Promise((r) => setImmediate(r));
    cs.close(1001, 'going away');
    expect((await hb).code).toBe('RPC_CLOSED');
    expect((await queued).code).toBe('RPC_CLOSED');
  });
});
