/**
 * Issue 14: `startCharger` from the package entry against a CSMS we did not write — ocpp-rpc's
 * RPCServer in strict mode (every frame validated both ways against the 1.6 schemas) behind TLS
 * with Basic auth: the charger boots, charges, obeys a TxProfile, is stopped remotely; waitFor
 * and the frame stream see it all; close() ends the link cleanly.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createPki, startCharger, VirtualClock, type VirtualCharger } from 'chargecheck';
import { startTlsRpcServer, type TlsRpcServer } from './helpers/ocpp-rpc.js';

let server: TlsRpcServer | undefined;
let cp: VirtualCharger | undefined;
afterAll(async () => {
  await cp?.close();
  await server?.close();
});

describe('startCharger against ocpp-rpc (strict, WSS, Basic auth)', () => {
  it('boots, charges, obeys a limit, stops remotely, closes — every frame strict-valid', async () => {
    const pki = await createPki();
    const password = 'api-third-party-key';
    server = await startTlsRpcServer(pki.server, { 'CP-LIB': Buffer.from(password) });
    const clock = new VirtualClock(Date.UTC(2026, 2, 2, 9), { stuckMs: 300 });
    const calls: string[] = [];
    const strictErrors: unknown[] = [];
    let txId = 0;
    const clientP = server.nextClient();
    cp = await startCharger({ csms: server.url, id: 'CP-LIB', password, passwordForm: 'text', ca: pki.ca.cert, clock, random: () => 0.5, waitForConnection: false });
    const client = await clientP;
    client.on('badMessage', (e: unknown) => strictErrors.push(e));
    client.on('strictValidationFailure', (e: unknown) => strictErrors.push(e));
    const on = (method: string, answer: () => Record<string, unknown>) =>
      client.handle(method, async () => {
        calls.push(method);
        return answer();
      });
    on('BootNotification', () => ({ status: 'Accepted', currentTime: new Date(clock.now()).toISOString(), interval: 300 }));
    on('StatusNotification', () => ({}));
    on('Heartbeat', () => ({ currentTime: new Date(clock.now()).toISOString() }));
    on('Authorize', () => ({ idTagInfo: { status: 'Accepted' } }));
    on('StartTransaction', () => ({ transactionId: (txId = 8123), idTagInfo: { status: 'Accepted' } }));
    on('MeterValues', () => ({}));
    on('StopTransaction', () => ({ idTagInfo: { status: 'Accepted' } }));

    expect(await cp.waitFor('boot', (b) => b.status === 'Accepted', { timeout: 60_000 })).toMatchObject({ status: 'Accepted' });
    expect(cp.connected).toBe(true);

    cp.plug(1);
    await cp.presentIdTag('RFID-LIB', 1);
    await cp.waitFor('status', (s) => s.connectorId === 1 && s.status === 'Charging');
    expect(txId).toBe(8123);
    expect(cp.transactions()).toEqual([expect.objectContaining({ id: 8123, idTag: 'RFID-LIB' })]);

    const profile = { chargingProfileId: 1, transactionId: txId, stackLevel: 1, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 4_000 }] } };
    expect(await client.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: profile })).toEqual({ status: 'Accepted' });
    expect(cp.limit(1)).toBe(4_000);
    expect(cp.power(1)).toBeLessThanOrEqual(4_000);
    expect(cp.power(1)).toBeGreaterThan(3_000);

    const stopped = cp.waitFor('transactionStopped', (t) => t.transactionId === 8123);
    expect(await client.call('RemoteStopTransaction', { transactionId: txId })).toEqual({ status: 'Accepted' });
    expect(await stopped).toMatchObject({ reason: 'Remote' });
    // on virtual time waitFor lets work in flight land: StopTransaction was already answered
    expect(calls).toContain('StopTransaction');
    // the frame stream holds both directions, in order
    const actions = cp.frames.filter((f) => f.frame?.[0] === 2).map((f) => (f.frame as [2, string, string, unknown])[2]);
    expect(actions.indexOf('BootNotification')).toBe(0);
    expect(actions).toEqual(expect.arrayContaining(['StartTransaction', 'SetChargingProfile', 'RemoteStopTransaction', 'StopTransaction']));

    const closed = new Promise<number>((resolve) => client.once('close', ({ code }: { code: number }) => resolve(code)));
    await cp.close();
    expect(await closed).toBe(1000);
    expect(strictErrors).toEqual([]);
  });
});
