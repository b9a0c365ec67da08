/**
 * Interop, our charger side against a third-party CSMS: connectOcpp + RpcEndpoint (role ChargePoint)
 * talking to ocpp-rpc 2.2.1's RPCServer in strict 1.6 mode, over real TLS on 127.0.0.1:0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../src/clock/system.js';
import { isChargecheckError } from '../src/errors.js';
import type { ActionName } from '../src/ocpp/catalogue.js';
import { RpcEndpoint } from '../src/rpc/endpoint.js';
import type { FrameEvent } from '../src/rpc/frames.js';
import { connectOcpp, type OcppConnection } from '../src/transport/client.js';
import { createPki, type Pki } from '../src/transport/pki.js';
import { isPolicyCipher } from '../src/transport/tls-policy.js';
import { startTlsRpcServer, type TlsRpcServer } from './helpers/ocpp-rpc.js';

const clock = new SystemClock();
/** An AuthorizationKey in the spec's hex form: the Basic password is the 20 decoded bytes. */
const KEY = '0001020304050607FFFFFFFFFFFFFFFFFFFFFFFF';
let pki: Pki;
let server: TlsRpcServer;
let conn: OcppConnection;
let cp: RpcEndpoint;
let peer: Awaited<ReturnType<TlsRpcServer['nextClient']>>;
const frames: FrameEvent[] = [];
const received: { method: string; params: unknown }[] = [];
const strictFailures: unknown[] = [];

beforeAll(async () => {
  pki = await createPki();
  server = await startTlsRpcServer(pki.server, { CP1: Buffer.from(KEY, 'hex') });
  const accepted = server.nextClient();
  conn = await connectOcpp({ endpoint: server.url, id: 'CP1', clock, authorizationKey: KEY, ca: pki.ca.cert });
  peer = await accepted;
  peer.on('strictValidationFailure', (e: unknown) => strictFailures.push(e));
  const now = () => new Date().toISOString();
  let tx = 0;
  const record = (method: string, reply: () => Record<string, unknown>) =>
    peer.handle(method, async ({ params }) => {
      received.push({ method, params });
      return reply();
    });
  record('BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
  record('Heartbeat', () => ({ currentTime: now() }));
  record('StatusNotification', () => ({}));
  record('Authorize', () => ({ idTagInfo: { status: 'Accepted' } }));
  record('StartTransaction', () => ({ transactionId: ++tx, idTagInfo: { status: 'Accepted' } }));
  record('MeterValues', () => ({}));
  record('StopTransaction', () => ({}));
  cp = new RpcEndpoint({ channel: conn.channel, clock, label: 'CP1', role: 'ChargePoint', callTimeoutMs: 10_000 });
  cp.onFrame((e) => frames.push(e));
});

afterAll(async () => {
  cp?.close();
  await server?.close();
});

/** The CALLERROR the peer answered `action` with, as our endpoint surfaced it. */
async function callError(action: string, payload: unknown): Promise<{ ocppCode: string; non16Spelling?: boolean; raw: string }> {
  const before = frames.length;
  const err = await cp.call(action as ActionName, payload as never, { unvalidated: true }).then(
    () => {
      throw new Error(`${action} was accepted`);
    },
    (e: unknown) => e,
  );
  if (!isChargecheckError(err) || err.code !== 'RPC_CALLERROR') throw err;
  const raw = frames.slice(before).find((f) => f.direction === 'in' && f.frame?.[0] === 4)!.raw;
  return { ocppCode: String(err.details.ocppCode), non16Spelling: err.details.non16Spelling as boolean | undefined, raw };
}

describe('our charger → ocpp-rpc RPCServer (strict, ocpp1.6, TLS)', () => {
  it('connects over TLS 1.2 with the hex AuthorizationKey as binary Basic password and agrees on ocpp1.6', () => {
    expect(conn.protocol).toBe('ocpp1.6');
    expect(conn.tls?.version).toBe('TLSv1.2');
    expect(isPolicyCipher(conn.tls!.cipher)).toBe(true);
    expect(peer.identity).toBe('CP1');
    expect(peer.protocol).toBe('ocpp1.6');
  });

  it('refuses a wrong password (401) and an unknown id (404) through its auth callback', async () => {
    const wrong = await connectOcpp({ endpoint: server.url, id: 'CP1', clock, authorizationKey: KEY, passwordForm: 'text', ca: pki.ca.cert }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'TRANSPORT_AUTH_REJECTED', details: { status: 401 } });
    const unknown = await connectOcpp({ endpoint: server.url, id: 'CP404', clock, authorizationKey: KEY, ca: pki.ca.cert }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'TRANSPORT_UNKNOWN_ID', details: { status: 404 } });
    expect(server.refused).toEqual([
      ['CP1', 401],
      ['CP404', 404],
    ]);
  });

  it('boot, heartbeat, status, authorize, start, meter values and stop pass its strict validation both ways', async () => {
    const ts = () => new Date().toISOString();
    const boot = await cp.call('BootNotification', { chargePointVendor: 'chargecheck', chargePointModel: 'virtual', firmwareVersion: '1.0.0' });
    expect(boot.status).toBe('Accepted');
    expect(boot.interval).toBe(300);
    expect((await cp.call('Heartbeat', {})).currentTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    await expect(cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing', timestamp: ts() })).resolves.toEqual({});
    await expect(cp.call('Authorize', { idTag: 'TAG-1' })).resolves.toEqual({ idTagInfo: { status: 'Accepted' } });
    const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 1000, timestamp: ts() });
    expect(start.transactionId).toBe(1);
    await cp.call('MeterValues', {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [
        {
          timestamp: ts(),
          sampledValue: [
            { value: '1120', measurand: 'Energy.Active.Import.Register', unit: 'Wh', context: 'Sample.Periodic' },
            { value: '7.2', measurand: 'Power.Active.Import', unit: 'kW' },
          ],
        },
      ],
    });
    await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: 1240, timestamp: ts(), reason: 'EVDisconnected' });
    expect(received.map((r) => r.method)).toEqual(['BootNotification', 'Heartbeat', 'StatusNotification', 'Authorize', 'StartTransaction', 'MeterValues', 'StopTransaction']);
    expect(received[5].params).toMatchObject({ transactionId: 1, meterValue: [{ sampledValue: [{ value: '1120' }, { value: '7.2' }] }] });
    expect(strictFailures).toEqual([]);
  });

  it('answers its CSMS-initiated calls; its strict validator accepts our responses', async () => {
    const changes: string[] = [];
    cp.handle('ChangeConfiguration', (p) => (changes.push(`${p.key}=${p.value}`), { status: 'Accepted' }));
    await expect(peer.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '60' })).resolves.toEqual({ status: 'Accepted' });
    expect(changes).toEqual(['MeterValueSampleInterval=60']);
    // a known action we have no handler for: we answer NotSupported, it surfaces its own class for it
    const err = await peer.call('GetDiagnostics', { location: 'ftp://example.test/' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ rpcErrorCode: 'NotSupported' });
    expect(strictFailures).toEqual([]);
  });

  it('missing required field: it answers OccurrenceConstraintViolation (double r, not a 1.6 code) and we flag it', async () => {
    const e = await callError('BootNotification', { chargePointVendor: 'chargecheck' });
    expect(e.ocppCode).toBe('OccurrenceConstraintViolation');
    expect(e.non16Spelling).toBe(true);
    expect(JSON.parse(e.raw)[2]).toBe('OccurrenceConstraintViolation');
  });

  it('wrong type → TypeConstraintViolation (same as ours), not flagged', async () => {
    const e = await callError('StatusNotification', { connectorId: '1', errorCode: 'NoError', status: 'Available' });
    expect(e).toMatchObject({ ocppCode: 'TypeConstraintViolation', non16Spelling: undefined });
  });

  it('extra property → PropertyConstraintViolation (we answer FormationViolation)', async () => {
    const e = await callError('Heartbeat', { extra: 1 });
    expect(e).toMatchObject({ ocppCode: 'PropertyConstraintViolation', non16Spelling: undefined });
  });

  it('bad enum value → FormationViolation (we answer PropertyConstraintViolation)', async () => {
    const e = await callError('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Sleeping' });
    expect(e).toMatchObject({ ocppCode: 'FormationViolation', non16Spelling: undefined });
  });

  it('over-long string → FormationViolation (we answer PropertyConstraintViolation)', async () => {
    const e = await callError('BootNotification', { chargePointVendor: 'x'.repeat(21), chargePointModel: 'm' });
    expect(e.ocppCode).toBe('FormationViolation');
  });

  it('errorDetails carry its ajv errors and the offending payload', async () => {
    const e = await callError('Authorize', {});
    const details = JSON.parse(e.raw)[4] as { errors: { keyword: string }[]; data: unknown };
    expect(details.errors[0].keyword).toBe('required');
    expect(details.data).toEqual({});
  });

  it('unknown action, and a known action it has no handler for, → NotImplemented (handler looked up before validation)', async () => {
    expect((await callError('FlyToTheMoon', {})).ocppCode).toBe('NotImplemented');
    // invalid payload, but no handler: the handler check wins (digest §14.2)
    expect((await callError('DataTransfer', { nope: true })).ocppCode).toBe('NotImplemented');
    // the connection survived all of it
    await expect(cp.call('Heartbeat', {})).resolves.toHaveProperty('currentTime');
  });
});
