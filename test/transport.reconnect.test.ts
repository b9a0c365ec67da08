import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual.js';
import { backoffDelay } from '../src/transport/backoff.js';
import { createPki, type Pki } from '../src/transport/pki.js';
import { ReconnectingClient } from '../src/transport/reconnect.js';
import { startOcppServer, type OcppServer } from '../src/transport/server.js';

let pki: Pki;
const servers: OcppServer[] = [];
const clients: ReconnectingClient[] = [];
beforeAll(async () => {
  pki = await createPki();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.stop();
  for (const s of servers.splice(0)) await s.close();
});

async function server(port = 0, clock?: VirtualClock): Promise<OcppServer> {
  const s = await startOcppServer({ certs: [pki.server], port, clock });
  servers.push(s);
  return s;
}

describe('back-off', () => {
  it('grows exponentially, is capped, and jitter only shortens it', () => {
    const policy = { baseMs: 1000, capMs: 30_000, factor: 2, jitter: 0.5 };
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, () => 0))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect([0, 1, 2, 5].map((n) => backoffDelay(n, policy, () => 0.999999))).toEqual([500, 1000, 2000, 15000]);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(6000);
  });
});

describe('ReconnectingClient on the virtual clock', () => {
  it('retries with growing, capped, jittered delays on the clock, then reconnects when the server is back', async () => {
    const clock = new VirtualClock();
    const first = await server();
    const port = first.port;
    const jitter = [0.2, 0.4, 0.6, 0.8, 0.1, 0.3, 0.5, 0.7];
    let draw = 0;
    const client = new ReconnectingClient({
      endpoint: first.url,
      id: 'CP001',
      clock,
      ca: pki.ca.cert,
      backoff: { baseMs: 1000, capMs: 8000, factor: 2, jitter: 0.5 },
      random: () => jitter[draw++ % jitter.length],
    });
    clients.push(client);
    const retries: { attempt: number; delayMs: number; at: number }[] = [];
    const errors: string[] = [];
    let opens = 0;
    client.on('open', () => opens++);
    client.on('retry', (r) => retries.push({ ...r, at: clock.now() }));
    client.on('error', (e) => errors.push(e.code));
    client.start();
    expect(await clock.runUntil(() => opens === 1, clock.now() + 60_000)).toBe('done');

    await first.close();
    servers.splice(0);
    // Five failed attempts while the server is gone: 1 s, 2 s, 4 s, 8 s (cap), 8 s, each shortened by jitter.
    expect(await clock.runUntil(() => errors.length === 5, clock.now() + 120_000)).toBe('done');
    expect(errors).toEqual(Array(5).fill('TRANSPORT_UNREACHABLE'));
    expect(retries.map((r) => r.delayMs)).toEqual([900, 1600, 2800, 4800, 7600, 6800]);
    expect(retries.map((r) => r.attempt)).toEqual([0, 1, 2, 3, 4, 5]);
    // The delays were spent on the virtual clock: consecutive attempts are exactly the delay apart.
    for (let i = 1; i < retries.length; i++) expect(retries[i].at - retries[i - 1].at).toBe(retries[i - 1].delayMs);

    await server(port);
    expect(await clock.runUntil(() => opens === 2, clock.now() + 60_000)).toBe('done');
    expect(client.status).toBe('open');
    expect(client.connection?.tls?.version).toBe('TLSv1.2');
  });

  it('pings every WebSocketPingInterval seconds on the clock, and the interval can change or stop', async () => {
    const clock = new VirtualClock();
    const s = await server(0, clock);
    const pings: number[] = [];
    s.on('ping', (p) => pings.push(p.at));
    const client = new ReconnectingClient({ endpoint: s.url, id: 'CP001', clock, ca: pki.ca.cert, pingIntervalSec: 30 });
    clients.push(client);
    let opened = false;
    client.on('open', () => (opened = true));
    client.start();
    await clock.runUntil(() => opened, clock.now() + 10_000);
    const t0 = clock.now();
    await clock.runUntil(() => pings.length >= 3, t0 + 100_000);
    expect(pings.map((t) => t - t0)).toEqual([30_000, 60_000, 90_000]);

    client.setPingInterval(10);
    const t1 = clock.now();
    await clock.runUntil(() => pings.length >= 5, t1 + 100_000);
    expect(pings.slice(3).map((t) => t - t1)).toEqual([10_000, 20_000]);

    client.setPingInterval(0);
    expect(await clock.runUntil(() => pings.length > 5, clock.now() + 300_000)).toBe('idle');
  });

  it('stop() closes the connection and cancels retries', async () => {
    const clock = new VirtualClock();
    const s = await server();
    const client = new ReconnectingClient({ endpoint: s.url, id: 'CP001', clock, ca: pki.ca.cert });
    let closes = 0;
    let opens = 0;
    client.on('open', () => opens++);
    client.on('close', () => closes++);
    client.start();
    await clock.runUntil(() => opens === 1, clock.now() + 10_000);
    client.stop();
    await clock.runUntil(() => closes === 1, clock.now() + 10_000);
    expect(await clock.runUntil(() => opens > 1, clock.now() + 600_000)).toBe('idle');
    expect(client.status).toBe('stopped');
  });
});
