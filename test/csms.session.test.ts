import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual.js';
import { Csms } from '../src/csms/csms.js';
import { sessionEnergy } from '../src/csms/transactions.js';
import { isChargecheckError } from '../src/errors.js';
import { channelPair } from '../src/rpc/channel.js';
import { RpcEndpoint } from '../src/rpc/endpoint.js';

function setup() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1, 8));
  const csms = new Csms({ clock });
  const [a, b] = channelPair();
  const cp = new RpcEndpoint({ channel: a, clock, label: 'CP1', role: 'ChargePoint' });
  const session = csms.attach(b, 'CP1');
  const changes: string[] = [];
  cp.handle('ChangeConfiguration', (p) => (changes.push(`${p.key}=${p.value}`), { status: 'Accepted' }));
  return { clock, csms, cp, session, changes };
}

const ts = (clock: VirtualClock) => new Date(clock.now()).toISOString();

describe('built-in CSMS session', () => {
  it('answers SecurityError before the first BootNotification, Accepted with time and interval after', async () => {
    const { cp, clock, session } = setup();
    const early = await cp.call('Heartbeat', {}).catch((e: unknown) => e);
    expect(isChargecheckError(early) && early.details.ocppCode).toBe('SecurityError');
    const boot = await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'M1' });
    expect(boot).toEqual({ status: 'Accepted', currentTime: ts(clock), interval: 300 });
    expect(session.boot?.chargePointVendor).toBe('Acme');
    await expect(cp.call('Heartbeat', {})).resolves.toEqual({ currentTime: ts(clock) });
  });

  it('sends the platform configuration pair after an accepted boot', async () => {
    const { cp, changes, clock } = setup();
    await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'M1' });
    await clock.settle();
    expect(changes).toEqual(['MeterValuesSampledData=Energy.Active.Import.Register,Power.Active.Import', 'MeterValueSampleInterval=60']);
  });

  it('assigns transaction ids and computes session energy three ways', async () => {
    const { cp, csms, clock } = setup();
    await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'M1' });
    const t0 = clock.now();
    const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 1000, timestamp: ts(clock) });
    expect(start.transactionId).toBeGreaterThan(0);
    for (let i = 1; i <= 3; i++) {
      await cp.call('MeterValues', {
        connectorId: 1,
        transactionId: start.transactionId,
        meterValue: [
          {
            timestamp: new Date(t0 + i * 60_000).toISOString(),
            sampledValue: [
              { value: String(1000 + i * 120), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
              { value: '7.2', measurand: 'Power.Active.Import', unit: 'kW' },
            ],
          },
        ],
      });
    }
    await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: 1360, timestamp: new Date(t0 + 180_000).toISOString() });
    const [tx] = csms.transactions();
    const energy = sessionEnergy(tx);
    expect(energy.byRegisterWh).toBe(360);
    expect(energy.bySamplesWh).toBe(360);
    expect(energy.integratedWh).toBeCloseTo(240, 6); // 7.2 kW over the 2 minutes between the three power samples
    expect(energy.decreases).toEqual([]);
    expect(tx.stopReason).toBe('Local');
  });

  it('answers a StopTransaction for an unknown id (-1) normally', async () => {
    const { cp, clock } = setup();
    await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'M1' });
    await expect(cp.call('StopTransaction', { transactionId: -1, meterStop: 5, timestamp: ts(clock), idTag: 'X' })).resolves.toEqual({ idTagInfo: { status: 'Accepted' } });
  });

  it('honours a scripted reply override once', async () => {
    const { cp, session } = setup();
    session.overrideNext('BootNotification', { kind: 'result', payload: { status: 'Pending', interval: 10 } });
    expect((await cp.call('BootNotification', { chargePointVendor: 'A', chargePointModel: 'M' })).status).toBe('Pending');
    expect((await cp.call('BootNotification', { chargePointVendor: 'A', chargePointModel: 'M' })).status).toBe('Accepted');
  });
});

describe('reply overrides can be withdrawn', () => {
  it('a cancelled override does not answer a later call', async () => {
    const { cp, session } = setup();
    const cancel = session.overrideNext('BootNotification', { kind: 'result', payload: { status: 'Rejected', interval: 10 } });
    cancel();
    expect((await cp.call('BootNotification', { chargePointVendor: 'A', chargePointModel: 'M' })).status).toBe('Accepted');
  });
});
