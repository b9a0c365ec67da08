import { describe, expect, it } from 'vitest';
import type { MeterEvent } from '../src/chargepoint/types.js';
import type { ChargingProfile, MeterValue } from '../src/ocpp/types.js';
import type { Clock } from '../src/clock/clock.js';
import type { VirtualClock } from '../src/clock/virtual.js';
import { measurand, rig, type Rig } from './chargepoint.harness.js';

function txProfile(r: Rig, transactionId: number, periods: { startPeriod: number; limit: number }[]): ChargingProfile {
  return {
    chargingProfileId: 7,
    transactionId,
    stackLevel: 1,
    chargingProfilePurpose: 'TxProfile',
    chargingProfileKind: 'Absolute',
    chargingSchedule: { startSchedule: new Date(r.clock.now()).toISOString(), chargingRateUnit: 'W', chargingSchedulePeriod: periods },
  };
}

async function charging(r: Rig, ev: Parameters<Rig['cp']['plug']>[1] = {}): Promise<number> {
  r.cp.plug(1, ev);
  await r.cp.presentIdTag('TAG');
  await r.clock.settle();
  return r.cp.transaction(1)!.id!;
}

describe('meter', () => {
  it('∫P dt equals ΔE within 0.1 % over a session with a taper and a limit change', async () => {
    const r = await rig();
    const events: MeterEvent[] = [];
    r.cp.on('meter', (e) => events.push(e));
    const e0 = r.cp.energyWh();
    const t0 = r.clock.now();
    events.push({ timeMs: t0, connectorId: 1, powerW: 0, offeredW: 0, energyWh: e0 });
    const txId = await charging(r, { socPercent: 70, capacityWh: 40_000 });
    const res = await r.csms.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: txProfile(r, txId, [{ startPeriod: 0, limit: 7000 }, { startPeriod: 1800, limit: 4000 }]) });
    expect(res.status).toBe('Accepted');
    await r.clock.settle();
    expect(r.cp.powerW(1)).toBe(7000);
    await r.run(4 * 3600_000);
    const tEnd = r.clock.now();
    const dE = r.cp.energyWh() - e0;
    let integral = 0;
    const ordered = events.filter((e) => e.connectorId === 1);
    for (let i = 0; i < ordered.length; i++) {
      const until = i + 1 < ordered.length ? ordered[i + 1].timeMs : tEnd;
      integral += (ordered[i].powerW * (until - ordered[i].timeMs)) / 3_600_000;
    }
    expect(dE).toBeGreaterThan(11_000); // 70 % -> 100 % of 40 kWh = 12 kWh
    expect(Math.abs(integral - dE) / dE).toBeLessThan(0.001);
    const powers = new Set(ordered.map((e) => Math.round(e.powerW)));
    expect(powers.has(7000) && powers.has(4000)).toBe(true); // the limit change
    expect([...powers].some((p) => p > 0 && p < 4000)).toBe(true); // the taper
    expect(r.cp.status(1)).toBe('SuspendedEV'); // full
    expect(r.cp.powerW(1)).toBe(0);
  });

  it('keeps the register rising across transactions and a reboot', async () => {
    const r = await rig();
    await charging(r);
    await r.run(600_000);
    await r.cp.presentIdTag('TAG');
    r.cp.unplug(1);
    await charging(r);
    await r.run(600_000);
    r.cp.reboot();
    await r.run(60_000);
    expect(r.cp.registration).toBe('Accepted');
    r.cp.unplug(1);
    await charging(r);
    await r.run(600_000);
    await r.cp.presentIdTag('TAG');
    await r.clock.settle();
    const readings: number[] = [];
    for (const m of r.received) {
      if (m.action === 'StartTransaction') readings.push(m.payload.meterStart as number);
      if (m.action === 'MeterValues') for (const mv of m.payload.meterValue as MeterValue[]) readings.push(...measurand(mv, 'Energy.Active.Import.Register'));
      if (m.action === 'StopTransaction') readings.push(m.payload.meterStop as number);
    }
    expect(r.of('StopTransaction').map((m) => m.payload.reason)).toEqual(['Local', 'Reboot', 'Local']);
    expect(readings.length).toBeGreaterThan(6);
    for (let i = 1; i < readings.length; i++) expect(readings[i]).toBeGreaterThanOrEqual(readings[i - 1]);
    expect(readings.at(-1)!).toBeGreaterThan(5000);
  });

  it('sends each 60-s sample once even when its timer fires a millisecond early (real-time timers do)', async () => {
    // the charger's clock fires every timer 1 ms before its mark, as Node's timers may against Date.now()
    const early = (run: VirtualClock): Clock => ({
      now: () => run.now(),
      setTimeout: (fn, ms) => run.setTimeout(fn, Math.max(0, ms - 1)),
      setInterval: (fn, ms) => run.setInterval(fn, ms),
      hold: (label) => run.hold(label),
    });
    const r = await rig({}, true, early);
    expect((await r.csms.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '60' })).status).toBe('Accepted');
    await charging(r);
    await r.run(3 * 60_000 + 1000);
    expect(r.of('MeterValues')).toHaveLength(3);
  });

  it('samples every 60 s from the transaction start after MeterValueSampleInterval=60, with both measurands', async () => {
    const r = await rig();
    expect((await r.csms.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '60' })).status).toBe('Accepted');
    expect((await r.csms.call('ChangeConfiguration', { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,Power.Active.Import' })).status).toBe('Accepted');
    await r.run(7_000);
    await charging(r);
    const start = Date.parse(r.of('StartTransaction')[0].payload.timestamp as string);
    await r.run(5 * 60_000 + 1000);
    const mvs = r.of('MeterValues').map((m) => (m.payload.meterValue as MeterValue[])[0]);
    expect(mvs.length).toBe(5);
    mvs.forEach((mv, i) => {
      expect(Date.parse(mv.timestamp) - start).toBe((i + 1) * 60_000);
      expect(measurand(mv, 'Power.Active.Import')).toEqual([11_000]);
      expect(measurand(mv, 'Energy.Active.Import.Register')[0]).toBe(Math.floor(((i + 1) * 60 * 11_000) / 3600));
      expect(mv.sampledValue.every((s) => s.context === 'Sample.Periodic')).toBe(true);
    });
    expect(r.of('MeterValues').every((m) => m.payload.transactionId === 100)).toBe(true);
  });

  it('sends Current.Import and Voltage per phase with P = Σ V·I', async () => {
    const r = await rig({ config: { MeterValuesSampledData: 'Power.Active.Import,Current.Import,Voltage,SoC', MeterValueSampleInterval: '60' }, random: () => 0.9 });
    await charging(r);
    await r.run(61_000);
    const mv = (r.of('MeterValues')[0].payload.meterValue as MeterValue[])[0];
    const volts = measurand(mv, 'Voltage');
    const amps = measurand(mv, 'Current.Import');
    expect(volts).toHaveLength(3);
    expect(mv.sampledValue.filter((s) => s.measurand === 'Voltage').map((s) => s.phase)).toEqual(['L1-N', 'L2-N', 'L3-N']);
    const p = volts.reduce((sum, v, i) => sum + v * amps[i], 0);
    expect(Math.abs(p - measurand(mv, 'Power.Active.Import')[0])).toBeLessThan(5);
    expect(volts[0]).not.toBe(230);
  });

  it('limit 0 → SuspendedEVSE with no energy; raised → Charging again', async () => {
    const r = await rig();
    const txId = await charging(r);
    await r.csms.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: txProfile(r, txId, [{ startPeriod: 0, limit: 0 }]) });
    await r.clock.settle();
    expect(r.cp.status(1)).toBe('SuspendedEVSE');
    expect(r.cp.powerW(1)).toBe(0);
    expect(r.cp.limitW(1)).toBe(0);
    const e = r.cp.energyWh();
    await r.run(600_000);
    expect(r.cp.energyWh()).toBe(e);
    await r.csms.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: txProfile(r, txId, [{ startPeriod: 0, limit: 5000 }]) });
    await r.clock.settle();
    expect(r.cp.status(1)).toBe('Charging');
    expect(r.cp.powerW(1)).toBe(5000);
    const statuses = r.of('StatusNotification').map((m) => m.payload.status);
    expect(statuses.slice(-2)).toEqual(['SuspendedEVSE', 'Charging']);
  });

  it('caps the draw with a ChargePointMaxProfile in A and reports the composite schedule', async () => {
    const r = await rig();
    await charging(r);
    const res = await r.csms.call('SetChargingProfile', {
      connectorId: 0,
      csChargingProfiles: { chargingProfileId: 1, stackLevel: 0, chargingProfilePurpose: 'ChargePointMaxProfile', chargingProfileKind: 'Absolute', chargingSchedule: { startSchedule: new Date(r.clock.now()).toISOString(), chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] } },
    });
    expect(res.status).toBe('Accepted');
    await r.clock.settle();
    expect(r.cp.powerW(1)).toBe(10 * 230 * 3);
    const comp = await r.csms.call('GetCompositeSchedule', { connectorId: 1, duration: 3600, chargingRateUnit: 'A' });
    expect(comp.status).toBe('Accepted');
    expect(comp.chargingSchedule?.chargingSchedulePeriod[0]).toMatchObject({ startPeriod: 0, limit: 10 });
    expect((await r.csms.call('GetCompositeSchedule', { connectorId: 5, duration: 60 })).status).toBe('Rejected');
  });
});

describe('two connectors', () => {
  it('share a ChargePointMaxProfile equally while both charge', async () => {
    const r = await rig({ connectors: 2 });
    await r.csms.call('SetChargingProfile', {
      connectorId: 0,
      csChargingProfiles: { chargingProfileId: 1, stackLevel: 0, chargingProfilePurpose: 'ChargePointMaxProfile', chargingProfileKind: 'Absolute', chargingSchedule: { startSchedule: new Date(r.clock.now()).toISOString(), chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 14_000 }] } },
    });
    r.cp.plug(1);
    await r.cp.presentIdTag('A');
    await r.clock.settle();
    expect(r.cp.powerW(1)).toBe(11_000);
    r.cp.plug(2);
    await r.cp.presentIdTag('B');
    await r.clock.settle();
    expect(r.cp.powerW(1)).toBe(7000);
    expect(r.cp.powerW(2)).toBe(7000);
    await r.cp.presentIdTag('A');
    await r.clock.settle();
    expect(r.cp.powerW(2)).toBe(11_000);
  });
});
