/**
 * Interop, a third-party charger against our CSMS: ocpp-rpc 2.2.1's RPCClient (strict and
 * non-strict) against startCsmsServer over real TLS with Basic auth on 127.0.0.1:0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCsmsServer, type CsmsServer } from '../src/csms/server.js';
import type { CsmsSession } from '../src/csms/session.js';
import { isChargecheckError } from '../src/errors.js';
import { createPki, type Pki } from '../src/transport/pki.js';
import { rpcClient } from './helpers/ocpp-rpc.js';

type Client = ReturnType<typeof rpcClient>;

const HEX_KEY = 'A1B2C3D4E5F60718293A4B5C6D7E8F9000112233';
let pki: Pki;
let csms: CsmsServer;
const clients: Client[] = [];

beforeAll(async () => {
  pki = await createPki();
  csms = await startCsmsServer({ chargers: { STRICT1: HEX_KEY, LOOSE1: 'loose-secret' }, cert: pki.server });
});

afterAll(async () => {
  for (const c of clients) await c.close({ force: true });
  await csms?.close();
});

/** Connects an ocpp-rpc client and records every raw message it receives. */
async function connect(identity: string, password: string | Buffer, strictMode: boolean): Promise<{ client: Client; inbound: string[]; session: CsmsSession }> {
  const client = rpcClient({ endpoint: csms.url, identity, password: password as string, strictMode, wsOpts: { ca: pki.ca.cert } });
  clients.push(client);
  const inbound: string[] = [];
  client.on('message', (e: { message: Buffer | string; outbound: boolean }) => {
    if (!e.outbound) inbound.push(e.message.toString());
  });
  const attached = new Promise<CsmsSession>((resolve) => {
    const off = csms.csms.onSession((s) => {
      if (s.chargePointId !== identity) return;
      off();
      resolve(s);
    });
  });
  await client.connect();
  return { client, inbound, session: await attached };
}

/** The raw CALLERROR frame a call was answered with (rejects if it succeeded). */
async function rawError(client: Client, inbound: string[], method: string, params: unknown): Promise<[number, string, string, string, Record<string, unknown>]> {
  const before = inbound.length;
  const err = await client.call(method, params).then(
    () => {
      throw new Error(`${method} succeeded`);
    },
    (e: unknown) => e as { rpcErrorCode?: string },
  );
  const frame = inbound
    .slice(before)
    .map((t) => JSON.parse(t) as [number, string, string, string, Record<string, unknown>])
    .find((f) => f[0] === 4);
  if (!frame) throw err;
  return frame;
}

describe('ocpp-rpc RPCClient (strictMode) → our CSMS', () => {
  let strict: Awaited<ReturnType<typeof connect>>;
  const failures: unknown[] = [];
  const changes: string[] = [];
  let bothChanges: Promise<void>;

  beforeAll(async () => {
    strict = await connect('STRICT1', Buffer.from(HEX_KEY, 'hex'), true);
    strict.client.on('strictValidationFailure', (e: unknown) => failures.push(e));
    bothChanges = new Promise((resolve) => {
      strict.client.handle('ChangeConfiguration', async ({ params }) => {
        changes.push(`${String(params?.key)}=${String(params?.value)}`);
        if (changes.length === 2) resolve();
        return { status: 'Accepted' };
      });
    });
  });

  it('is admitted with the binary (hex-decoded) Basic password over TLS 1.2, subprotocol ocpp1.6', () => {
    expect(strict.client.protocol).toBe('ocpp1.6');
    expect(strict.session.connection).toMatchObject({ authForm: 'hex', tlsVersion: 'TLSv1.2' });
  });

  it('its calls succeed and our answers pass its strict response validation', async () => {
    const boot = (await strict.client.call('BootNotification', { chargePointVendor: 'ocpp-rpc', chargePointModel: 'strict' })) as { status: string; interval: number };
    expect(boot).toMatchObject({ status: 'Accepted', interval: 300 });
    await strict.client.call('Heartbeat', {});
    await strict.client.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' });
    const auth = await strict.client.call('Authorize', { idTag: 'TAG-9' });
    expect(auth).toEqual({ idTagInfo: { status: 'Accepted' } });
    const ts = () => new Date().toISOString();
    const start = (await strict.client.call('StartTransaction', { connectorId: 1, idTag: 'TAG-9', meterStart: 500, timestamp: ts() })) as { transactionId: number };
    await strict.client.call('MeterValues', {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [{ timestamp: ts(), sampledValue: [{ value: '650', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
    });
    await strict.client.call('StopTransaction', { transactionId: start.transactionId, meterStop: 800, timestamp: ts() });
    await strict.client.call('DataTransfer', { vendorId: 'ocpp-rpc' });
    expect(strict.session.connectors.get(1)?.status).toBe('Preparing');
    const tx = csms.csms.transactions().find((t) => t.id === start.transactionId)!;
    expect(tx).toMatchObject({ chargePointId: 'STRICT1', meterStart: 500, meterStop: 800 });
    expect(tx.readings.length).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });

  it('our CSMS-initiated ChangeConfiguration pair comes after the BootNotification answer and passes its strict validation', async () => {
    await bothChanges;
    // a charger is not Accepted until it has read BootNotification.conf: nothing may overtake it
    const order = strict.inbound.map((t) => JSON.parse(t) as unknown[]).map((f) => (f[0] === 2 ? String(f[2]) : `answer ${f[0]}`));
    expect(order.indexOf('ChangeConfiguration')).toBeGreaterThan(0);
    expect(order.slice(0, order.indexOf('ChangeConfiguration'))).toEqual(['answer 3']);
    expect(changes).toEqual(['MeterValuesSampledData=Energy.Active.Import.Register,Power.Active.Import', 'MeterValueSampleInterval=60']);
    expect(failures).toEqual([]);
  });

  it('an invalid CSMS call (fault injection) is refused by its validator with the double-r code, which we flag', async () => {
    const err = await strict.session.call('ChangeConfiguration', { key: 'MeterValueSampleInterval' } as never, { unvalidated: true }).catch((e: unknown) => e);
    expect(isChargecheckError(err) && err.details).toMatchObject({ ocppCode: 'OccurrenceConstraintViolation', non16Spelling: true });
    expect(failures).toHaveLength(1);
  });

  it('a CSMS call it has no handler for → NotImplemented (1.6 would say NotSupported for a known action)', async () => {
    const err = await strict.session.call('Reset', { type: 'Soft' }).catch((e: unknown) => e);
    expect(isChargecheckError(err) && err.details.ocppCode).toBe('NotImplemented');
  });
});

describe('ocpp-rpc RPCClient (strictMode off) sends invalid payloads → our 1.6 codes', () => {
  let loose: Awaited<ReturnType<typeof connect>>;

  beforeAll(async () => {
    loose = await connect('LOOSE1', 'loose-secret', false);
  });

  it('before BootNotification any other CALL → SecurityError; text-form password accepted', async () => {
    expect(loose.session.connection.authForm).toBe('text');
    expect((await rawError(loose.client, loose.inbound, 'Heartbeat', {}))[2]).toBe('SecurityError');
    await expect(loose.client.call('BootNotification', { chargePointVendor: 'ocpp-rpc', chargePointModel: 'loose' })).resolves.toMatchObject({ status: 'Accepted' });
  });

  it.each([
    ['missing required field', 'StatusNotification', { connectorId: 1, status: 'Available' }, 'OccurenceConstraintViolation'],
    ['wrong type', 'StatusNotification', { connectorId: 'one', errorCode: 'NoError', status: 'Available' }, 'TypeConstraintViolation'],
    ['bad enum value', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Sleeping' }, 'PropertyConstraintViolation'],
    ['over-long string', 'Authorize', { idTag: 'x'.repeat(21) }, 'PropertyConstraintViolation'],
    ['extra property', 'Heartbeat', { uptime: 5 }, 'FormationViolation'],
    ['unknown action', 'FlyToTheMoon', {}, 'NotImplemented'],
    ['a CSMS→charger action sent by the charger', 'RemoteStartTransaction', { idTag: 'T' }, 'NotSupported'],
  ])('%s: %s %j → %s', async (_what, method, params, code) => {
    const frame = await rawError(loose.client, loose.inbound, method, params);
    expect(frame[2]).toBe(code);
    expect(frame[4]).toEqual({});
  });

  it('never sends the double-r spelling, and the connection is still usable afterwards', async () => {
    expect(loose.inbound.some((t) => t.includes('OccurrenceConstraintViolation'))).toBe(false);
    await expect(loose.client.call('Heartbeat', {})).resolves.toHaveProperty('currentTime');
    expect(loose.session.endpoint.badFrames).toBe(0);
  });
});
