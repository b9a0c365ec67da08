/**
 * Issue 3 "must show": our virtual charger over WSS + Basic auth against a third-party CSMS
 * (ocpp-rpc's RPCServer in strict mode, which validates every frame both ways against the 1.6
 * schemas): boot, configuration, a transaction with MeterValues, a TxProfile limit 0
 * (SuspendedEVSE, 0 W) then a higher one (Charging), TriggerMessage, remote stop.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual.js';
import { ChargerHost } from '../src/host/charger-host.js';
import { createPki } from '../src/transport/pki.js';
import { startTlsRpcServer, type TlsRpcServer } from './helpers/ocpp-rpc.js';

type Rec = { method: string; params: Record<string, unknown> };
let server: TlsRpcServer | undefined;
let host: ChargerHost | undefined;
afterAll(async () => {
  host?.stop();
  await server?.close();
});

describe('the virtual charger against ocpp-rpc strict CSMS', () => {
  it('boots, is configured, charges, obeys limit 0 and a raised limit, answers triggers, stops remotely — all frames strict-valid', async () => {
    const pki = await createPki();
    const password = 'e2e-third-party-key';
    server = await startTlsRpcServer(pki.server, { 'CP-E2E': Buffer.from(password) });
    const received: Rec[] = [];
    const strictErrors: unknown[] = [];
    let txId = 0;
    const clientP = server.nextClient();
    const clock = new VirtualClock(Date.UTC(2026, 2, 1, 9));
    host = new ChargerHost({ id: 'CP-E2E', clock, csmsUrl: server.url, authorizationKey: password, passwordForm: 'text', ca: pki.ca.cert, random: () => 0.5 });
    host.start();
    const client = await clientP;
    client.on('badMessage', (e: unknown) => strictErrors.push(e));
    client.on('strictValidationFailure', (e: unknown) => strictErrors.push(e));
    const on = (method: string, answer: (params: Record<string, unknown>) => Record<string, unknown>) =>
      client.handle(method, async ({ params }) => {
        received.push({ method, params: params ?? {} });
        return answer(params ?? {});
      });
    on('BootNotification', () => ({ status: 'Accepted', currentTime: new Date(clock.now()).toISOString(), interval: 300 }));
    on('StatusNotification', () => ({}));
    on('Heartbeat', () => ({ currentTime: new Date(clock.now()).toISOString() }));
    on('Authorize', () => ({ idTagInfo: { status: 'Accepted' } }));
    on('StartTransaction', () => ({ transactionId: (txId = 4711), idTagInfo: { status: 'Accepted' } }));
    on('MeterValues', () => ({}));
    on('StopTransaction', () => ({ idTagInfo: { status: 'Accepted' } }));

    const until = (pred: () => boolean, ms: number) => clock.runUntil(pred, clock.now() + ms);
    await until(() => host!.model.registration === 'Accepted', 60_000);
    // the platform's configuration pair
    expect(await client.call('ChangeConfiguration', { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,Power.Active.Import' })).toEqual({ status: 'Accepted' });
    expect(await client.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '60' })).toEqual({ status: 'Accepted' });

    host.model.plug(1);
    await host.model.presentIdTag('RFID-E2E', 1);
    await until(() => host!.model.status(1) === 'Charging' && txId > 0, 60_000);
    await until(() => false, 185_000);
    const samples = received.filter((r) => r.method === 'MeterValues');
    expect(samples.length).toBeGreaterThanOrEqual(3);
    const measurands = (samples.at(-1)!.params.meterValue as { sampledValue: { measurand?: string }[] }[])[0].sampledValue.map((s) => s.measurand);
    expect(measurands).toEqual(expect.arrayContaining(['Energy.Active.Import.Register', 'Power.Active.Import']));

    const profile = (limit: number, id: number) => ({
      connectorId: 1,
      csChargingProfiles: { chargingProfileId: id, transactionId: txId, stackLevel: 1, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit }] } },
    });
    expect(await client.call('SetChargingProfile', profile(0, 1))).toEqual({ status: 'Accepted' });
    await until(() => host!.model.status(1) === 'SuspendedEVSE', 30_000);
    await until(() => false, 65_000);
    expect(host.model.powerW(1)).toBe(0);
    const lastPower = () => Number((received.filter((r) => r.method === 'MeterValues').at(-1)!.params.meterValue as { sampledValue: { measurand?: string; value: string }[] }[])[0].sampledValue.find((s) => s.measurand === 'Power.Active.Import')!.value);
    expect(lastPower()).toBe(0);
    expect(await client.call('SetChargingProfile', profile(7000, 1))).toEqual({ status: 'Accepted' });
    await until(() => host!.model.status(1) === 'Charging', 30_000);
    await until(() => false, 65_000);
    expect(host.model.powerW(1)).toBeGreaterThan(6000);
    expect(host.model.powerW(1)).toBeLessThanOrEqual(7000);

    const before = received.filter((r) => r.method === 'StatusNotification').length;
    expect(await client.call('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 1 })).toEqual({ status: 'Accepted' });
    await until(() => received.filter((r) => r.method === 'StatusNotification').length > before, 10_000);
    expect(received.filter((r) => r.method === 'StatusNotification').at(-1)!.params).toMatchObject({ connectorId: 1, status: 'Charging' });

    expect(await client.call('RemoteStopTransaction', { transactionId: txId })).toEqual({ status: 'Accepted' });
    await until(() => received.some((r) => r.method === 'StopTransaction'), 30_000);
    const stop = received.find((r) => r.method === 'StopTransaction')!.params;
    expect(stop).toMatchObject({ transactionId: txId, reason: 'Remote' });
    const start = received.find((r) => r.method === 'StartTransaction')!.params;
    expect(Number(stop.meterStop)).toBeGreaterThan(Number(start.meterStart));
    expect(strictErrors).toEqual([]);
  });
});
