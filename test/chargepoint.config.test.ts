import { describe, expect, it } from 'vitest';
import { ChargerModel } from '../src/chargepoint/charge-point.js';
import { VirtualClock } from '../src/clock/virtual.js';
import { isChargecheckError } from '../src/errors.js';
import { rig } from './chargepoint.harness.js';

describe('configuration', () => {
  it('answers ChangeConfiguration Accepted / Rejected / NotSupported / RebootRequired', async () => {
    const r = await rig();
    const change = async (key: string, value: string) => (await r.csms.call('ChangeConfiguration', { key, value })).status;
    expect(await change('MeterValueSampleInterval', '60')).toBe('Accepted');
    expect(await change('MeterValueSampleInterval', '-1')).toBe('Rejected');
    expect(await change('MeterValueSampleInterval', 'abc')).toBe('Rejected');
    expect(await change('Testing', '1')).toBe('NotSupported');
    expect(await change('NumberOfConnectors', '4')).toBe('Rejected'); // read-only
    expect(await change('ConnectorPhaseRotation', '0.RST,1.RTS')).toBe('RebootRequired');
    expect(await change('WebSocketPingInterval', '-5')).toBe('Rejected');
    expect(await change('WebSocketPingInterval', '0')).toBe('Accepted');
    expect(await change('metervaluesampleinterval', '120')).toBe('Accepted'); // case-insensitive
    expect(r.cp.configuration.get('MeterValueSampleInterval')).toBe('120');
    expect(await change('StopTransactionOnInvalidId', 'TRUE')).toBe('Accepted');
    expect(r.cp.configuration.get('StopTransactionOnInvalidId')).toBe('true');
  });

  it('rejects a measurand list with an unsupported measurand and changes nothing; accepts the platform pair', async () => {
    const r = await rig();
    const before = r.cp.configuration.get('MeterValuesSampledData');
    const bad = await r.csms.call('ChangeConfiguration', { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,RPM' });
    expect(bad.status).toBe('Rejected');
    expect(r.cp.configuration.get('MeterValuesSampledData')).toBe(before);
    const ok = await r.csms.call('ChangeConfiguration', { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,Power.Active.Import' });
    expect(ok.status).toBe('Accepted');
    expect(Number(r.cp.configuration.get('MeterValuesSampledDataMaxLength'))).toBeGreaterThanOrEqual(2);
  });

  it('GetConfiguration: unknown keys listed, keys matched case-insensitively, AuthorizationKey never returned', async () => {
    const reconnects: string[] = [];
    const r = await rig({ host: { reconnect: (why) => reconnects.push(why) } });
    const set = await r.csms.call('ChangeConfiguration', { key: 'AuthorizationKey', value: '4F43415F4F4354545F61646D696E5F74657374' });
    expect(set.status).toBe('Accepted');
    await r.clock.settle();
    expect(reconnects).toEqual(['authorization-key']);
    expect(r.cp.configuration.get('AuthorizationKey')).toBe('4F43415F4F4354545F61646D696E5F74657374');
    const some = await r.csms.call('GetConfiguration', { key: ['heartbeatinterval', 'Nope', 'AuthorizationKey'] });
    expect(some.configurationKey).toEqual([{ key: 'HeartbeatInterval', readonly: false, value: '300' }]);
    expect(some.unknownKey).toEqual(['Nope']);
    const all = await r.csms.call('GetConfiguration', {});
    const keys = all.configurationKey!.map((k) => k.key);
    expect(keys).not.toContain('AuthorizationKey');
    for (const k of ['HeartbeatInterval', 'MeterValueSampleInterval', 'NumberOfConnectors', 'SupportedFeatureProfiles', 'ChargeProfileMaxStackLevel', 'LocalAuthListEnabled', 'SecurityProfile']) {
      expect(keys).toContain(k);
    }
    expect(all.configurationKey!.find((k) => k.key === 'NumberOfConnectors')).toEqual({ key: 'NumberOfConnectors', readonly: true, value: '1' });
    expect((await r.csms.call('ChangeConfiguration', { key: 'AuthorizationKey', value: 'short' })).status).toBe('Rejected');
  });

  it('validates constructor overrides like ChangeConfiguration (CP_CONFIG_INVALID)', () => {
    const clock = new VirtualClock();
    let code = '';
    try {
      new ChargerModel({ id: 'X', clock, config: { MeterValuesSampledData: 'RPM' } });
    } catch (err) {
      if (isChargecheckError(err)) code = err.code;
    }
    expect(code).toBe('CP_CONFIG_INVALID');
    const cp = new ChargerModel({ id: 'X', clock, config: { ChargeProfileMaxStackLevel: '3', heartbeatinterval: '60' } });
    expect(cp.configuration.get('ChargeProfileMaxStackLevel')).toBe('3');
    expect(cp.configuration.get('HeartbeatInterval')).toBe('60');
  });

  it('answers every CSMS-initiated Core call, and the security extensions', async () => {
    const r = await rig({ connectors: 2 });
    expect((await r.csms.call('ClearCache', {})).status).toBe('Accepted');
    expect((await r.csms.call('DataTransfer', { vendorId: 'com.example' })).status).toBe('UnknownVendorId');
    expect((await r.csms.call('UnlockConnector', { connectorId: 9 })).status).toBe('NotSupported');
    expect((await r.csms.call('UnlockConnector', { connectorId: 1 })).status).toBe('Unlocked');
    expect((await r.csms.call('ChangeAvailability', { connectorId: 2, type: 'Inoperative' })).status).toBe('Accepted');
    await r.clock.settle();
    expect(r.cp.status(2)).toBe('Unavailable');
    expect((await r.csms.call('RemoteStopTransaction', { transactionId: 5 })).status).toBe('Rejected');
    expect((await r.csms.call('GetLocalListVersion', {})).listVersion).toBe(0);
    expect((await r.csms.call('CancelReservation', { reservationId: 1 })).status).toBe('Rejected');
    // no file transfer in this rig: nothing to upload a log with
    expect((await r.csms.call('GetLog', { logType: 'DiagnosticsLog', requestId: 1, log: { remoteLocation: 'https://x/' } })).status).toBe('Rejected');
    expect((await r.csms.call('GetInstalledCertificateIds', { certificateType: 'ManufacturerRootCertificate' })).status).toBe('NotFound');
  });

  it('remote start waits for the plug, applies its TxProfile, remote stop ends it', async () => {
    const r = await rig();
    const res = await r.csms.call('RemoteStartTransaction', {
      connectorId: 1,
      idTag: 'APP',
      chargingProfile: { chargingProfileId: 3, stackLevel: 0, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 3000 }] } },
    });
    expect(res.status).toBe('Accepted');
    await r.clock.settle();
    expect(r.cp.status(1)).toBe('Preparing');
    r.cp.plug(1);
    await r.clock.settle();
    expect(r.cp.status(1)).toBe('Charging');
    expect(r.cp.powerW(1)).toBe(3000);
    const id = r.cp.transaction(1)!.id!;
    expect((await r.csms.call('RemoteStopTransaction', { transactionId: id })).status).toBe('Accepted');
    await r.clock.settle();
    expect(r.of('StopTransaction')[0].payload).toMatchObject({ transactionId: id, reason: 'Remote' });
    expect(r.cp.status(1)).toBe('Finishing');
  });

  it('reserves a connector for an idTag, which then starts with the reservationId', async () => {
    const r = await rig();
    const expiry = new Date(r.clock.now() + 3600_000).toISOString();
    expect((await r.csms.call('ReserveNow', { connectorId: 1, expiryDate: expiry, idTag: 'R1', reservationId: 9 })).status).toBe('Accepted');
    await r.clock.settle();
    expect(r.cp.status(1)).toBe('Reserved');
    await r.cp.presentIdTag('OTHER', 1);
    expect(r.cp.transaction(1)).toBeUndefined();
    r.cp.plug(1);
    await r.cp.presentIdTag('R1');
    await r.clock.settle();
    expect(r.of('StartTransaction')[0].payload.reservationId).toBe(9);
  });

  it('stops transactions with SoftReset, reboots and boots again', async () => {
    const r = await rig();
    r.cp.plug(1);
    await r.cp.presentIdTag('T');
    await r.clock.settle();
    expect((await r.csms.call('Reset', { type: 'Soft' })).status).toBe('Accepted');
    await r.run(10_000);
    expect(r.of('StopTransaction')[0].payload.reason).toBe('SoftReset');
    expect(r.of('BootNotification')).toHaveLength(2);
    expect(r.cp.registration).toBe('Accepted');
  });
});

describe('availability and authorization rules', () => {
  it('schedules Inoperative for a Preparing connector and applies it when the EV leaves', async () => {
    const r = await rig();
    r.cp.plug(1);
    expect((await r.csms.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' })).status).toBe('Scheduled');
    await r.clock.settle();
    expect(r.cp.status(1)).toBe('Preparing');
    r.cp.unplug(1);
    expect(r.cp.status(1)).toBe('Unavailable');
    expect((await r.csms.call('ChangeAvailability', { connectorId: 0, type: 'Operative' })).status).toBe('Accepted');
    await r.clock.settle();
    expect(r.cp.status(1)).toBe('Available');
  });

  it('stops with DeAuthorized when StartTransaction says Invalid, or only cuts energy when StopTransactionOnInvalidId=false', async () => {
    const r = await rig();
    r.answers.StartTransaction = () => ({ idTagInfo: { status: 'Invalid' }, transactionId: 55 });
    r.cp.plug(1);
    await r.cp.presentIdTag('BAD');
    await r.clock.settle();
    expect(r.of('StopTransaction')[0].payload).toMatchObject({ transactionId: 55, reason: 'DeAuthorized' });
    const k = await rig({ config: { StopTransactionOnInvalidId: 'false' } });
    k.answers.StartTransaction = () => ({ idTagInfo: { status: 'Invalid' }, transactionId: 56 });
    k.cp.plug(1);
    await k.cp.presentIdTag('BAD');
    await k.clock.settle();
    expect(k.cp.status(1)).toBe('SuspendedEVSE');
    expect(k.cp.powerW(1)).toBe(0);
  });

  it('keeps the transaction through an EV-side disconnect when StopTransactionOnEVSideDisconnect=false', async () => {
    const r = await rig({ config: { StopTransactionOnEVSideDisconnect: 'false' } });
    r.cp.plug(1);
    await r.cp.presentIdTag('T');
    r.cp.unplug(1);
    expect(r.cp.status(1)).toBe('SuspendedEV');
    expect(r.cp.transaction(1)).toBeDefined();
    r.cp.plug(1);
    expect(r.cp.status(1)).toBe('Charging');
  });

  it('sends Heartbeats at the interval only when nothing else went out', async () => {
    const r = await rig();
    await r.run(301_000);
    expect(r.of('Heartbeat')).toHaveLength(1);
    await r.run(300_000);
    expect(r.of('Heartbeat')).toHaveLength(2);
  });
});

describe('remote start with a zero profile', () => {
  it('never shows Charging: the RemoteStart TxProfile is in force from the first watt', async () => {
    const r = await rig();
    r.cp.plug(1);
    await r.csms.call('RemoteStartTransaction', {
      connectorId: 1,
      idTag: 'APP',
      chargingProfile: { chargingProfileId: 4, stackLevel: 0, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 0 }] } },
    });
    await r.clock.settle();
    expect(r.cp.status(1)).toBe('SuspendedEVSE');
    expect(r.of('StatusNotification').map((m) => m.payload.status)).not.toContain('Charging');
    const comp = await r.csms.call('GetCompositeSchedule', { connectorId: 1, duration: 600 });
    expect(comp.chargingSchedule?.chargingSchedulePeriod[0].limit).toBe(0);
  });
});
