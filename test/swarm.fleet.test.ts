import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WheelClock } from '../src/clock/wheel.js';
import { systemClock } from '../src/clock/system.js';
import { Csms } from '../src/csms/csms.js';
import { setTransactionLimit, triggerMessage } from '../src/csms/platform.js';
import { startCsmsServer, type CsmsServer } from '../src/csms/server.js';
import { channelPair } from '../src/rpc/channel.js';
import { createPki, type Pki } from '../src/transport/pki.js';
import { runSwarm, type SwarmProgress } from '../src/swarm/fleet.js';

const BUSY = { occupancyByHour: Array(24).fill(0.95), initialSpreadSec: 0.3, meterIntervalSec: 1, meanSessionMinutes: 600 };

let pki: Pki;
beforeAll(async () => {
  pki = await createPki();
});

describe('runSwarm over WSS', () => {
  let server: CsmsServer;
  beforeAll(async () => {
    server = await startCsmsServer({ chargers: { '*': 'swarm-secret' }, cert: pki.server, platform: { configureOnBoot: false } });
  });
  afterAll(() => server.close());

  it('connects, boots and charges a small fleet, then closes it and summarises', async () => {
    const progress: SwarmProgress[] = [];
    const summary = await runSwarm(
      { csms: server.url, count: 12, rampPerSecond: 200, password: 'swarm-secret', ca: pki.ca.cert, durationSec: 3, progressIntervalMs: 500, pattern: BUSY },
      (p) => progress.push(p),
    );
    expect(summary).toMatchObject({ chargers: 12, connected: 12, booted: 12, errors: 0, fleetSize: 12, idPrefix: 'P' });
    expect(summary.transactions.started).toBeGreaterThanOrEqual(6);
    expect(summary.calls.MeterValues.answered).toBeGreaterThanOrEqual(6);
    expect(summary.calls.BootNotification).toEqual({ sent: 12, answered: 12, errors: 0 });
    expect(summary.latencyMs.count).toBe(summary.latencyHistogram.count);
    expect(summary.latencyMs.p99).toBeGreaterThan(0);
    expect(summary.connectMs.count).toBe(12);
    expect(summary.messages).toBe(summary.messagesSent + summary.messagesReceived);
    expect(summary.rssBytes).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...progress.map((p) => p.connected))).toBe(12);
    expect(progress[progress.length - 1].connected).toBe(0);
    expect(server.csms.sessions().map((s) => s.chargePointId).sort()[0]).toBe('P00001');
    // the CSMS saw the same transactions
    expect(server.csms.transactions().length).toBe(summary.transactions.started);
  });

  it('connects from the given source addresses in turn (past one address\'s ephemeral ports)', async () => {
    const summary = await runSwarm({ csms: server.url, count: 4, idPrefix: 'LA', rampPerSecond: 200, password: 'swarm-secret', ca: pki.ca.cert, durationSec: 1, localAddresses: ['127.0.0.2', '127.0.0.3'] });
    expect(summary.connected).toBe(4);
    const from = server.csms.sessions().filter((s) => s.chargePointId.startsWith('LA')).map((s) => `${s.chargePointId} ${s.connection.remoteAddress}`).sort();
    expect(from).toEqual(['LA00001 127.0.0.3', 'LA00002 127.0.0.2', 'LA00003 127.0.0.3', 'LA00004 127.0.0.2']);
  });

  it('counts refused credentials by code and keeps going', async () => {
    const summary = await runSwarm({ csms: server.url, count: 3, rampPerSecond: 100, password: 'wrong', ca: pki.ca.cert, durationSec: 0.6 });
    expect(summary.connected).toBe(0);
    // every charger was refused at least once (and retried with back-off, refused again)
    expect(summary.errorsByCode.TRANSPORT_AUTH_REJECTED).toBeGreaterThanOrEqual(3);
    expect(Object.keys(summary.errorsByCode)).toEqual(['TRANSPORT_AUTH_REJECTED']);
  });
});

describe('runSwarm charger behaviour', () => {
  it('obeys the platform configuration and a TxProfile limit', async () => {
    const csms = new Csms({ clock: systemClock });
    const clock = new WheelClock({ resolutionMs: 20 });
    // Event-driven waits (no sleeps): the charger charging, then the triggered MeterValues arriving.
    const charging = new Promise<void>((resolve) => csms.onSession((s) => s.subscribe({ status: (c, st) => c === 1 && st.status === 'Charging' && resolve() })));
    let meterReadings = 0;
    const meterArrived: (() => void)[] = [];
    csms.onSession((s) => s.subscribe({ transaction: (_tx, phase) => phase === 'meter' && (meterReadings++, meterArrived.splice(0).forEach((f) => f())) }));
    const run = runSwarm({
      csms: 'memory://',
      count: 1,
      durationSec: 2.5,
      clock,
      pattern: { ...BUSY, initialSpreadSec: 0 },
      open: async (id) => {
        const [a, b] = channelPair();
        csms.attach(b, id);
        return { channel: a };
      },
    });
    // wait until the transaction runs, then limit it
    await charging;
    const session = csms.session('P00001')!;
    const res = await setTransactionLimit(session, 1, 1_500, 'W');
    expect(res.status).toBe('Accepted');
    const before = meterReadings;
    const triggered = new Promise<void>((resolve) => meterArrived.push(resolve));
    expect((await triggerMessage(session, 'MeterValues', 1)).status).toBe('Accepted');
    if (meterReadings === before) await triggered;
    const config = await session.call('GetConfiguration', {});
    const summary = await run;
    clock.stop();
    expect(summary.errors).toBe(0);
    // the platform's configuration after boot: energy + power, every 60 s
    expect(config.configurationKey).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'MeterValueSampleInterval', value: '60' }),
        expect.objectContaining({ key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,Power.Active.Import' }),
      ]),
    );
    const tx = csms.transactions()[0];
    const powers = tx.readings.filter((r) => r.powerW !== undefined).map((r) => r.powerW);
    expect(powers[powers.length - 1]).toBe(1_500);
    expect(summary.calls.MeterValues.sent).toBe(1); // only the triggered one within 2.5 s at 60 s intervals
  });
});
