import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../src/clock/system.js';
import { basicAuthHeader, matchPassword, parseBasicAuth } from '../src/transport/basic-auth.js';
import { connectOcpp, type ConnectOptions } from '../src/transport/client.js';
import { createPki, type Pki } from '../src/transport/pki.js';
import { startOcppServer, type OcppServer, type RefusedUpgrade, type ServerConnection } from '../src/transport/server.js';
import { credentialsFrom } from '../src/transport/upgrade-decision.js';

const clock = new SystemClock();
const AL1000_KEY = '0001020304050607FFFFFFFFFFFFFFFFFFFFFFFF';
let pki: Pki;
let server: OcppServer;
let swarm: OcppServer;
const refused: RefusedUpgrade[] = [];
const accepted: ServerConnection[] = [];

beforeAll(async () => {
  pki = await createPki();
  server = await startOcppServer({ certs: [pki.server], credentials: credentialsFrom({ AL1000: AL1000_KEY, 'RDAM 123': 'plain-text-secret!' }) });
  server.on('refused', (r) => refused.push(r));
  server.on('connection', (c) => accepted.push(c));
  swarm = await startOcppServer({ certs: [pki.server], credentials: credentialsFrom({ '*': 'swarm-shared-pass' }) });
});
afterAll(async () => {
  await server.close();
  await swarm.close();
});

function opts(extra: Partial<ConnectOptions>): ConnectOptions {
  return { endpoint: server.url, id: 'AL1000', clock, ca: pki.ca.cert, ...extra };
}

async function failure(p: Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; details: Record<string, unknown> };
  }
  throw new Error('expected the connection to fail');
}

describe('HTTP Basic (Security Profile 2)', () => {
  it('encodes the spec worked example (OCPP-J 6.2.2) and decodes it back', () => {
    const header = basicAuthHeader('AL1000', AL1000_KEY, 'hex');
    expect(header).toBe('Basic QUwxMDAwOgABAgMEBQYH////////////////');
    const creds = parseBasicAuth(header)!;
    expect(creds.user).toBe('AL1000');
    expect(matchPassword(creds.password, AL1000_KEY)).toBe('hex');
    expect(matchPassword(parseBasicAuth(basicAuthHeader('AL1000', AL1000_KEY, 'text'))!.password, AL1000_KEY)).toBe('text');
    expect(matchPassword(Buffer.from('nope'), AL1000_KEY)).toBeUndefined();
  });

  it('accepts the hex (spec) form and the text form, and reports which was used', async () => {
    for (const form of ['hex', 'text'] as const) {
      const before = accepted.length;
      const conn = await connectOcpp(opts({ authorizationKey: AL1000_KEY, passwordForm: form }));
      await expect.poll(() => accepted.length).toBe(before + 1);
      expect(accepted[before].info).toMatchObject({ id: 'AL1000', authForm: form, tls: { version: 'TLSv1.2' }, remoteAddress: '127.0.0.1' });
      conn.close();
    }
  });

  it('percent-encodes the id in the path and matches a text key', async () => {
    const before = accepted.length;
    const conn = await connectOcpp(opts({ id: 'RDAM 123', authorizationKey: 'plain-text-secret!', passwordForm: 'text' }));
    expect(conn.url).toBe(`${server.url}/RDAM%20123`);
    await expect.poll(() => accepted.length).toBe(before + 1);
    expect(accepted[before].info).toMatchObject({ id: 'RDAM 123', authForm: 'text' });
    expect(server.connections.get('RDAM 123')).toBe(accepted[before]);
    conn.close();
  });

  it('answers 401 with WWW-Authenticate for a wrong or missing password, 404 for an unknown id', async () => {
    const wrong = await failure(connectOcpp(opts({ authorizationKey: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF' })));
    expect(wrong).toMatchObject({ code: 'TRANSPORT_AUTH_REJECTED', details: { status: 401 } });
    expect(String(wrong.details.wwwAuthenticate)).toMatch(/^Basic /);
    expect(await failure(connectOcpp(opts({})))).toMatchObject({ code: 'TRANSPORT_AUTH_REJECTED', details: { status: 401 } });
    expect(await failure(connectOcpp(opts({ id: 'CP-UNKNOWN', authorizationKey: AL1000_KEY })))).toMatchObject({ code: 'TRANSPORT_UNKNOWN_ID', details: { status: 404 } });
    expect(refused.slice(-3).map((r) => [r.status, r.reason, r.id])).toEqual([
      [401, 'wrong-password', 'AL1000'],
      [401, 'missing-credentials', 'AL1000'],
      [404, 'unknown-id', 'CP-UNKNOWN'],
    ]);
  });

  it('refuses a key that is not hex in the hex form before connecting', async () => {
    expect(await failure(connectOcpp(opts({ authorizationKey: 'not hex', passwordForm: 'hex' })))).toMatchObject({ code: 'TRANSPORT_AUTH_KEY_NOT_HEX' });
  });

  it('the * entry accepts any id with the one shared password', async () => {
    for (const id of ['SWARM-0001', 'SWARM-0002']) {
      const conn = await connectOcpp(opts({ endpoint: swarm.url, id, authorizationKey: 'swarm-shared-pass', passwordForm: 'text' }));
      conn.close();
    }
    expect(await failure(connectOcpp(opts({ endpoint: swarm.url, id: 'SWARM-0003', authorizationKey: 'wrong', passwordForm: 'text' })))).toMatchObject({
      code: 'TRANSPORT_AUTH_REJECTED',
    });
  });

  it('fails with a coded error when the server does not select ocpp1.6, and the server reports it', async () => {
    const before = refused.length;
    const err = await failure(connectOcpp(opts({ authorizationKey: AL1000_KEY, protocols: ['ocpp2.0.1'] })));
    expect(err).toMatchObject({ code: 'TRANSPORT_NO_SUBPROTOCOL', details: { selected: null } });
    await expect.poll(() => refused.length).toBe(before + 1);
    expect(refused[before]).toMatchObject({ status: 101, reason: 'no-subprotocol', id: 'AL1000', offeredProtocols: ['ocpp2.0.1'] });
  });

  it('carries frames both ways over the FrameChannel', async () => {
    const before = accepted.length;
    const conn = await connectOcpp(opts({ authorizationKey: AL1000_KEY }));
    await expect.poll(() => accepted.length).toBe(before + 1);
    const serverSide = accepted[before].channel;
    const got: string[] = [];
    serverSide.attach({ text: (t) => got.push(t), closed: () => {} });
    conn.channel.send('[2,"1","Heartbeat",{}]');
    await expect.poll(() => got).toEqual(['[2,"1","Heartbeat",{}]']);
    const back: string[] = [];
    let closedWith = 0;
    conn.channel.attach({ text: (t) => back.push(t), closed: (code) => (closedWith = code) });
    serverSide.send('[3,"1",{"currentTime":"2026-01-01T00:00:00Z"}]');
    await expect.poll(() => back.length).toBe(1);
    serverSide.close(4000, 'bye');
    await expect.poll(() => closedWith).toBe(4000);
  });
});
