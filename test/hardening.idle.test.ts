/**
 * Issue 12, idle sockets: TCP connections that never start TLS, TLS connections that never send
 * the WebSocket upgrade, and chargers that never send a BootNotification are closed after
 * configurable timeouts, and counted. Real sockets and TLS on loopback, the timeouts on virtual time.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual.js';
import { startCsmsServer, type CsmsServer } from '../src/csms/server.js';
import { createPki, type Pki } from '../src/transport/pki.js';
import { openRaw } from './helpers/raw-ws.js';
import { runMain } from './helpers/cli.js';

let pki: Pki;
let clock: VirtualClock;
let server: CsmsServer;
const refused: string[] = [];
const tlsErrors: string[] = [];

beforeAll(async () => {
  pki = await createPki();
  clock = new VirtualClock(Date.UTC(2026, 0, 1, 8));
  server = await startCsmsServer({ clock, chargers: { CP1: 'idle-password-1' }, cert: pki.server, handshakeTimeoutMs: 5_000, upgradeTimeoutMs: 7_000, bootTimeoutMs: 60_000 });
  server.server.on('refused', (r) => void refused.push(`${r.status} ${r.reason}`));
  server.server.on('tlsError', (f) => void tlsErrors.push(`${f.kind} ${f.code}`));
});

afterAll(async () => {
  await server?.close();
});

function closedPromise(socket: Socket): { closed: boolean; done: Promise<void> } {
  const state = { closed: false, done: Promise.resolve() };
  state.done = new Promise((resolve) => socket.once('close', () => ((state.closed = true), resolve())));
  return state;
}

describe('idle connections are closed and counted', () => {
  it('20 TCP sockets that send nothing are closed at the handshake timeout (5 s of virtual time)', async () => {
    const start = clock.now();
    const sockets = await Promise.all(Array.from({ length: 20 }, () => new Promise<Socket>((resolve) => {
      const s = tcpConnect(server.server.port, '127.0.0.1', () => resolve(s));
    })));
    const states = sockets.map(closedPromise);
    expect(await clock.runUntil(() => states.every((s) => s.closed), start + 60_000)).toBe('done');
    expect(clock.now() - start).toBe(5_000);
    expect(server.server.idle.handshakeTimeouts).toBe(20);
    expect(tlsErrors.filter((e) => e === 'timeout ERR_TLS_HANDSHAKE_TIMEOUT')).toHaveLength(20);
  });

  it('20 connections that finish TLS and never upgrade are closed at the upgrade timeout (7 s), with HTTP 408 upgrade-timeout', async () => {
    const start = clock.now();
    const sockets = await Promise.all(Array.from({ length: 20 }, () => new Promise<Socket>((resolve) => {
      const s = tlsConnect({ host: '127.0.0.1', port: server.server.port, ca: pki.ca.cert, servername: 'localhost' }, () => resolve(s));
    })));
    const states = sockets.map(closedPromise);
    expect(await clock.runUntil(() => states.every((s) => s.closed), start + 60_000)).toBe('done');
    expect(clock.now() - start).toBe(7_000);
    expect(server.server.idle.upgradeTimeouts).toBe(20);
    expect(refused.filter((r) => r === '408 upgrade-timeout')).toHaveLength(20);
  });

  it('a charger that upgrades but never boots is closed with 1008 at the boot timeout; one that boots stays', async () => {
    const auth = { user: 'CP1', password: 'idle-password-1' };
    const silent = await openRaw(`${server.url}/CP1`, { ca: pki.ca.cert, auth });
    let code: number | undefined;
    void silent.closed.then((c) => (code = c.code));
    const start = clock.now();
    expect(await clock.runUntil(() => code !== undefined, start + 10 * 60_000)).toBe('done');
    expect(code).toBe(1008);
    expect(clock.now() - start).toBe(60_000);
    expect(server.csms.bootTimeouts).toBe(1);

    const booted = await openRaw(`${server.url}/CP1`, { ca: pki.ca.cert, auth });
    booted.send(JSON.stringify([2, 'b', 'BootNotification', { chargePointVendor: 'v', chargePointModel: 'm' }]));
    await clock.runUntil(() => booted.received.length > 0);
    await clock.runUntil(() => false, clock.now() + 5 * 60_000);
    expect(booted.ws.readyState).toBe(booted.ws.OPEN);
    expect(server.csms.bootTimeouts).toBe(1);
    await booted.close();
  });

  it('csms --help documents every limit: the timeouts and the malformed-frame limit', async () => {
    const r = await runMain(['csms', '--help']);
    for (const flag of ['--handshake-timeout', '--upgrade-timeout', '--boot-timeout', '--max-bad-frames']) expect(r.stdout).toContain(flag);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/--max-bad-frames <n> malformed frames tolerated per connection; the next one closes it with 1002/);
  });
});

describe('a connection limit below the fd limit', () => {
  it('past maxConnections new connections are closed at once and counted; the open charger keeps working', async () => {
    const limited = await startCsmsServer({ clock, chargers: { CP1: 'idle-password-1' }, cert: pki.server, maxConnections: 1 });
    try {
      const dropped: string[] = [];
      limited.server.on('refused', (r) => void dropped.push(`${r.status} ${r.reason}`));
      const charger = await openRaw(`${limited.url}/CP1`, { ca: pki.ca.cert, auth: { user: 'CP1', password: 'idle-password-1' } });
      const extra = Array.from({ length: 5 }, () => closedPromise(tcpConnect(limited.server.port, '127.0.0.1')));
      await Promise.all(extra.map((e) => e.done));
      expect(limited.server.idle.dropped).toBe(5);
      expect(dropped).toEqual(Array.from({ length: 5 }, () => '503 connection-limit'));
      charger.send(JSON.stringify([2, 'b', 'BootNotification', { chargePointVendor: 'v', chargePointModel: 'm' }]));
      await clock.runUntil(() => charger.received.length > 0);
      expect(JSON.parse(charger.received[0])[0]).toBe(3);
      await charger.close();
    } finally {
      await limited.close();
    }
  });
});
