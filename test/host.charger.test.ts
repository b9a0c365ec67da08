import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual.js';
import { startCsmsServer, type CsmsServer } from '../src/csms/server.js';
import { setTransactionLimit } from '../src/csms/platform.js';
import { ChargerHost } from '../src/host/charger-host.js';
import { createPki } from '../src/transport/pki.js';
import type { FrameEvent } from '../src/rpc/frames.js';

let csms: CsmsServer | undefined;
let host: ChargerHost | undefined;
afterEach(async () => {
  host?.stop();
  await csms?.close();
  csms = undefined;
  host = undefined;
});

async function setup(extra: { quirks?: string[] } = {}) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 5, 8));
  const pki = await createPki();
  csms = await startCsmsServer({ clock, chargers: { CP1: 'secret-password' }, cert: pki.server });
  host = new ChargerHost({
    id: 'CP1',
    clock,
    csmsUrl: csms.url,
    ca: pki.ca.cert,
    authorizationKey: 'secret-password',
    quirks: extra.quirks as never,
    random: () => 0.5,
  });
  const frames: FrameEvent[] = [];
  host.onFrame((f) => frames.push(f));
  return { clock, host, csms, frames };
}

const calls = (frames: FrameEvent[], action: string) => frames.filter((f) => f.direction === 'out' && f.frame?.[0] === 2 && f.frame[2] === action);

describe('ChargerHost over WSS against the built-in CSMS', () => {
  it('boots, is configured by the platform, charges with 60-s MeterValues, and obeys a TxProfile limit of 0', async () => {
    const { clock, host, csms, frames } = await setup();
    host.start();
    await clock.runUntil(() => host.model.registration === 'Accepted' && host.model.configuration.get('MeterValueSampleInterval') === '60', clock.now() + 120_000);
    expect(host.connection?.tls?.version).toBe('TLSv1.2');
    expect(csms.csms.session('CP1')?.connection.authForm).toBe('text');
    host.model.plug(1);
    await host.model.presentIdTag('TAG1', 1);
    await clock.runUntil(() => host!.model.status(1) === 'Charging', clock.now() + 60_000);
    expect(host.model.powerW(1)).toBeGreaterThan(0);
    await clock.runUntil(() => false, clock.now() + 200_000);
    const mv = calls(frames, 'MeterValues');
    expect(mv.length).toBeGreaterThanOrEqual(3);
    const session = csms.csms.session('CP1')!;
    const res = await setTransactionLimit(session, 1, 0);
    expect(res.status).toBe('Accepted');
    await clock.runUntil(() => host!.model.status(1) === 'SuspendedEVSE', clock.now() + 30_000);
    expect(host.model.powerW(1)).toBe(0);
  });

  it('survives a network drop mid-transaction and delivers the queued messages in order', async () => {
    const { clock, host, csms } = await setup();
    host.start();
    await clock.runUntil(() => host.model.registration === 'Accepted', clock.now() + 60_000);
    host.model.plug(1);
    await host.model.presentIdTag('TAG1', 1);
    await clock.runUntil(() => host!.model.status(1) === 'Charging', clock.now() + 60_000);
    await clock.runUntil(() => false, clock.now() + 70_000);
    host.dropNetwork();
    await clock.runUntil(() => false, clock.now() + 300_000);
    expect(host.connected).toBe(false);
    host.restoreNetwork();
    await clock.runUntil(() => host!.connected && host!.model.queueLength === 0, clock.now() + 300_000);
    const [tx] = csms.csms.transactions();
    const times = tx.readings.map((r) => r.timestamp);
    expect(times.length).toBeGreaterThanOrEqual(6);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('disconnects cleanly (close 1000), stays off through back-off, and reconnects without a new boot when resumed', async () => {
    const { clock, host, csms, frames } = await setup();
    host.start();
    await clock.runUntil(() => host.model.registration === 'Accepted', clock.now() + 60_000);
    const closes: number[] = [];
    csms.csms.session('CP1')!.subscribe({ closed: (code) => closes.push(code) });
    host.disconnect();
    await clock.runUntil(() => false, clock.now() + 300_000);
    expect(closes).toEqual([1000]);
    expect(host.connected).toBe(false);
    host.resume();
    await clock.runUntil(() => host!.connected, clock.now() + 120_000);
    expect(host.connected).toBe(true);
    expect(calls(frames, 'BootNotification')).toHaveLength(1);
  });
});

