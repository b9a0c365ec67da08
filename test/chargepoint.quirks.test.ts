import { describe, expect, it } from 'vitest';
import { ChargerModel } from '../src/chargepoint/charge-point.js';
import { CLOCK_OFF_MS, QUIRK_NAMES, transportBehaviour, type QuirkName, CATALOGUE_ONLY_QUIRKS } from '../src/chargepoint/quirks.js';
import type { FileTransfer } from '../src/chargepoint/types.js';
import { DriftingClock } from '../src/clock/drifting.js';
import { VirtualClock } from '../src/clock/virtual.js';
import { isChargecheckError } from '../src/errors.js';
import type { ChargingProfile, MeterValue } from '../src/ocpp/types.js';
import { measurand, rig, type Rig } from './chargepoint.harness.js';

async function charging(r: Rig, ev: Parameters<Rig['cp']['plug']>[1] = {}): Promise<number> {
  r.cp.plug(1, ev);
  await r.cp.presentIdTag('TAG');
  await r.clock.settle();
  return r.cp.transaction(1)?.id ?? -1;
}

function profile(r: Rig, purpose: ChargingProfile['chargingProfilePurpose'], limit: number, transactionId?: number): ChargingProfile {
  const p: ChargingProfile = {
    chargingProfileId: 1,
    stackLevel: 0,
    chargingProfilePurpose: purpose,
    chargingProfileKind: 'Absolute',
    chargingSchedule: { startSchedule: new Date(r.clock.now()).toISOString(), chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
  };
  if (transactionId !== undefined) p.transactionId = transactionId;
  return p;
}

const with1 = (q: QuirkName, extra: Record<string, string> = {}) => rig({ quirks: [q], config: { MeterValueSampleInterval: '60', ...extra } });

describe('quirks', () => {
  it('refuses an unknown quirk name (CP_UNKNOWN_QUIRK)', () => {
    let code = '';
    try {
      new ChargerModel({ id: 'X', clock: new VirtualClock(), quirks: ['nope' as QuirkName] });
    } catch (err) {
      if (isChargecheckError(err)) code = err.code;
    }
    expect(code).toBe('CP_UNKNOWN_QUIRK');
    // 21 platform quirks (docs/quirks.md, first table; ev-disconnect-inverted came with the catalogue, four real-mode quirks with issue 10), 9 of the security whitepaper, and the catalogue's own
    expect(QUIRK_NAMES).toHaveLength(21 + 9 + CATALOGUE_ONLY_QUIRKS.length);
  });

  it('no-power-measurand: no Power.Active.Import, Current.Import or Voltage even when configured', async () => {
    const r = await with1('no-power-measurand', { MeterValuesSampledData: 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage' });
    await charging(r);
    await r.run(61_000);
    const mv = (r.of('MeterValues')[0].payload.meterValue as MeterValue[])[0];
    expect(mv.sampledValue.map((s) => s.measurand)).toEqual(['Energy.Active.Import.Register']);
    expect(r.cp.powerW(1)).toBe(11_000); // it still charges
  });

  it('reject-txprofile / reject-maxprofile: Rejected for that purpose only', async () => {
    const r = await rig({ quirks: ['reject-txprofile'] });
    const tx = await charging(r);
    expect((await r.csms.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: profile(r, 'TxProfile', 5000, tx) })).status).toBe('Rejected');
    expect((await r.csms.call('SetChargingProfile', { connectorId: 0, csChargingProfiles: profile(r, 'ChargePointMaxProfile', 5000) })).status).toBe('Accepted');
    const m = await rig({ quirks: ['reject-maxprofile'] });
    const tx2 = await charging(m);
    expect((await m.csms.call('SetChargingProfile', { connectorId: 0, csChargingProfiles: profile(m, 'ChargePointMaxProfile', 5000) })).status).toBe('Rejected');
    expect((await m.csms.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: profile(m, 'TxProfile', 5000, tx2) })).status).toBe('Accepted');
  });

  it('ignore-limit: accepts a 0 W profile and keeps charging at full power', async () => {
    const r = await with1('ignore-limit');
    const tx = await charging(r);
    expect((await r.csms.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: profile(r, 'TxProfile', 0, tx) })).status).toBe('Accepted');
    await r.clock.settle();
    expect(r.cp.status(1)).toBe('Charging');
    expect(r.cp.powerW(1)).toBe(11_000);
    expect(r.cp.limitW(1)).toBe(0);
  });

  it('ignore-trigger-boot / ignore-trigger-status: Accepted, then nothing', async () => {
    const r = await rig({ quirks: ['ignore-trigger-boot', 'ignore-trigger-status'] });
    const before = r.received.length;
    expect((await r.csms.call('TriggerMessage', { requestedMessage: 'BootNotification' })).status).toBe('Accepted');
    expect((await r.csms.call('TriggerMessage', { requestedMessage: 'StatusNotification' })).status).toBe('Accepted');
    expect((await r.csms.call('TriggerMessage', { requestedMessage: 'Heartbeat' })).status).toBe('Accepted');
    await r.run(1000);
    expect(r.received.slice(before).map((m) => m.action)).toEqual(['Heartbeat']);
  });

  it('hidden-import: under limit 0 reports 0 W and SuspendedEVSE while the register keeps counting', async () => {
    const r = await with1('hidden-import', { MeterValuesSampledData: 'Energy.Active.Import.Register,Power.Active.Import' });
    const tx = await charging(r);
    expect((await r.csms.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: profile(r, 'TxProfile', 0, tx) })).status).toBe('Accepted');
    await r.clock.settle();
    expect(r.cp.status(1)).toBe('SuspendedEVSE');
    const before = r.of('MeterValues').length;
    await r.run(120_000);
    const samples = r.of('MeterValues').slice(before).map((m) => (m.payload.meterValue as MeterValue[])[0]);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.map((mv) => measurand(mv, 'Power.Active.Import')[0])).toEqual(samples.map(() => 0));
    const energy = samples.map((mv) => measurand(mv, 'Energy.Active.Import.Register')[0]);
    expect(energy.at(-1)! - energy[0]).toBeGreaterThan(100);
  });

  it('reset-no-reboot: Reset Accepted, then no reboot and no BootNotification', async () => {
    const r = await rig({ quirks: ['reset-no-reboot'] });
    const boots = r.of('BootNotification').length;
    expect((await r.csms.call('Reset', { type: 'Hard' })).status).toBe('Accepted');
    await r.run(300_000);
    expect(r.of('BootNotification')).toHaveLength(boots);
    expect(r.cp.registration).toBe('Accepted');
  });

  it('reject-trigger-boot-accepted: Rejected once Accepted, Accepted (and a boot) while Pending', async () => {
    const r = await rig({ quirks: ['reject-trigger-boot-accepted'] }, false);
    r.bootStatus.value = 'Pending';
    await r.reconnect();
    expect(r.cp.registration).toBe('Pending');
    r.bootStatus.value = 'Accepted';
    expect((await r.csms.call('TriggerMessage', { requestedMessage: 'BootNotification' })).status).toBe('Accepted');
    await r.run(1000);
    expect(r.cp.registration).toBe('Accepted');
    expect((await r.csms.call('TriggerMessage', { requestedMessage: 'BootNotification' })).status).toBe('Rejected');
  });

  it('no-status-timestamp: StatusNotification without timestamp', async () => {
    const r = await rig({ quirks: ['no-status-timestamp'] });
    expect(r.of('StatusNotification').length).toBeGreaterThan(0);
    expect(r.of('StatusNotification').every((m) => m.payload.timestamp === undefined)).toBe(true);
  });

  it('reject-sample-interval: MeterValueSampleInterval Rejected', async () => {
    const r = await rig({ quirks: ['reject-sample-interval'] });
    expect((await r.csms.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '60' })).status).toBe('Rejected');
    expect((await r.csms.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: '60' })).status).toBe('Accepted');
  });

  it('wrong-sample-interval: samples every 90 s after accepting 60', async () => {
    const r = await rig({ quirks: ['wrong-sample-interval'] });
    expect((await r.csms.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '60' })).status).toBe('Accepted');
    await charging(r);
    await r.run(5 * 60_000);
    const stamps = r.of('MeterValues').map((m) => Date.parse((m.payload.meterValue as MeterValue[])[0].timestamp));
    expect(stamps.length).toBe(3);
    expect(stamps[1] - stamps[0]).toBe(90_000);
  });

  it('energy-backwards: every transaction starts its register at 0', async () => {
    const r = await with1('energy-backwards');
    await charging(r);
    await r.run(600_000);
    await r.cp.presentIdTag('TAG');
    r.cp.unplug(1);
    await charging(r);
    await r.run(61_000);
    const starts = r.of('StartTransaction').map((m) => m.payload.meterStart);
    expect(starts).toEqual([0, 0]);
    expect(r.of('StopTransaction')[0].payload.meterStop).toBeGreaterThan(1000);
    const last = (r.of('MeterValues').at(-1)!.payload.meterValue as MeterValue[])[0];
    expect(measurand(last, 'Energy.Active.Import.Register')[0]).toBeLessThan(1000);
    expect(r.cp.energyWh()).toBeGreaterThan(1900); // the real meter still counts on
  });

  it('charging-without-power: stays Charging at 0 W when the EV is full', async () => {
    const r = await with1('charging-without-power');
    await charging(r, { socPercent: 99.9 });
    await r.run(600_000);
    expect(r.cp.powerW(1)).toBe(0);
    expect(r.cp.status(1)).toBe('Charging');
    const ok = await rig();
    await charging(ok, { socPercent: 99.9 });
    await ok.run(600_000);
    expect(ok.cp.status(1)).toBe('SuspendedEV');
  });

  it('never-faulted: a fault is reported as a warning on the current status', async () => {
    const r = await rig({ quirks: ['never-faulted'] });
    r.cp.fault(1, 'GroundFailure');
    await r.clock.settle();
    const last = r.of('StatusNotification').at(-1)!.payload;
    expect(last).toMatchObject({ connectorId: 1, status: 'Available', errorCode: 'GroundFailure' });
    expect(r.cp.status(1)).toBe('Available');
  });

  it('clock-off: timestamps hours off, not synced from the CSMS; the transport is told the offset', async () => {
    const off = transportBehaviour(['clock-off']).clockOffsetMs;
    const r = await rig({ quirks: ['clock-off'] }, true, (run) => new DriftingClock(run, { offsetMs: off }));
    const stamp = Date.parse(r.of('StatusNotification')[0].payload.timestamp as string);
    expect(stamp - r.clock.now()).toBe(CLOCK_OFF_MS); // the BootNotification's currentTime did not fix it
    await r.run(301_000); // nor did a Heartbeat
    expect(r.of('Heartbeat')).toHaveLength(1);
    expect(r.cp.clockNow() - r.clock.now()).toBe(CLOCK_OFF_MS);
    expect(transportBehaviour(['clock-off']).clockOffsetMs).toBe(CLOCK_OFF_MS);
    expect(transportBehaviour([])).toEqual({ useTls: true, sendBasicAuth: true, sendClientCertificate: true, clockOffsetMs: 0 });
  });

  it('no-tls / no-basic-auth: transport behaviour', () => {
    expect(transportBehaviour(['no-tls']).useTls).toBe(false);
    expect(transportBehaviour(['no-basic-auth']).sendBasicAuth).toBe(false);
    expect(transportBehaviour(['no-tls']).sendBasicAuth).toBe(true);
  });

  it('lose-queue: transaction messages queued offline are gone after reconnect', async () => {
    const r = await with1('lose-queue', { AllowOfflineTxForUnknownId: 'true' });
    await r.disconnect();
    await charging(r);
    await r.run(130_000);
    expect(r.cp.queueLength).toBe(3);
    await r.reconnect();
    await r.run(1000);
    expect(r.of('StartTransaction')).toHaveLength(0);
    expect(r.cp.queueLength).toBe(0);
    await r.run(60_000);
    expect(r.of('MeterValues').at(-1)!.payload.transactionId).toBe(-1);
  });

  it('firmware-stalls: Downloading, then nothing', async () => {
    const files: FileTransfer = { download: async () => ({ bytes: 10, name: 'fw-9.9.bin' }), upload: async () => {} };
    const r = await rig({ quirks: ['firmware-stalls'], files });
    await r.csms.call('UpdateFirmware', { location: 'https://fw/fw-9.9.bin', retrieveDate: new Date(r.clock.now()).toISOString() });
    await r.run(600_000);
    expect(r.of('FirmwareStatusNotification').map((m) => m.payload.status)).toEqual(['Downloading']);
    expect(r.cp.firmwareVersion).toBe('1.0.0');
  });
});
