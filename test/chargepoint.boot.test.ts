import { describe, expect, it } from 'vitest';
import { rig } from './chargepoint.harness.js';

describe('ChargePoint boot and status', () => {
  it('boots, then reports connector 0 and every connector', async () => {
    const r = await rig({ connectors: 2 });
    expect(r.cp.registration).toBe('Accepted');
    expect(r.received.map((m) => m.action)).toEqual(['BootNotification', 'StatusNotification', 'StatusNotification', 'StatusNotification']);
    expect(r.of('StatusNotification').map((m) => m.payload.connectorId)).toEqual([0, 1, 2]);
    expect(r.of('BootNotification')[0].payload).toMatchObject({ chargePointVendor: 'chargecheck', firmwareVersion: '1.0.0' });
  });

  it('charges after plug + idTag and stops with the same idTag without Authorize', async () => {
    const r = await rig();
    r.cp.plug(1);
    await r.cp.presentIdTag('TAG1');
    await r.clock.settle();
    expect(r.cp.status(1)).toBe('Charging');
    expect(r.cp.powerW(1)).toBeCloseTo(11_000, 0);
    expect(r.of('StartTransaction')).toHaveLength(1);
    await r.run(3600_000);
    await r.cp.presentIdTag('TAG1');
    await r.clock.settle();
    expect(r.of('Authorize')).toHaveLength(1);
    const stop = r.of('StopTransaction')[0].payload;
    expect(stop).toMatchObject({ transactionId: 100, reason: 'Local', idTag: 'TAG1' });
    expect(stop.meterStop as number).toBeGreaterThan(10_900);
    expect(r.cp.status(1)).toBe('Finishing');
    r.cp.unplug(1);
    expect(r.cp.status(1)).toBe('Available');
  });
});

describe('a reset while the BootNotification is unanswered', () => {
  it('boots again after the reset: the late Accepted belongs to the registration before the reset', async () => {
    const r = await rig({}, false);
    let answer: (v: { status: 'Accepted'; currentTime: string; interval: number }) => void = () => {};
    r.answers.BootNotification = () => new Promise((resolve) => (answer = resolve));
    await r.reconnect();
    expect(r.of('BootNotification')).toHaveLength(1);
    r.cp.reboot('HardReset');
    answer({ status: 'Accepted', currentTime: new Date(r.clock.now()).toISOString(), interval: 300 });
    await r.clock.settle();
    delete r.answers.BootNotification;
    await r.run(120_000);
    expect(r.of('BootNotification')).toHaveLength(2);
    expect(r.cp.registration).toBe('Accepted');
  });
});
