import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftingClock } from '../src/clock/drifting.js';
import { SystemClock } from '../src/clock/system.js';
import { VirtualClock } from '../src/clock/virtual.js';
import { connectOcpp } from '../src/transport/client.js';
import { createPki, defaultValidity, issueServerCert, type Pki } from '../src/transport/pki.js';
import { startOcppServer, type OcppServer } from '../src/transport/server.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  return 'connected';
}

describe('server certificate validity is judged by the charger clock', () => {
  const system = new SystemClock();
  let fresh: Pki;
  let freshServer: OcppServer;
  beforeAll(async () => {
    // A certificate made right now, valid for one day: what a CI run generates.
    const now = system.now();
    fresh = await createPki({ validity: { notBefore: new Date(now), notAfter: new Date(now + DAY) } });
    freshServer = await startOcppServer({ certs: [fresh.server] });
  });
  afterAll(() => freshServer.close());

  const connect = (offsetMs: number) => connectOcpp({ endpoint: freshServer.url, id: 'CP001', clock: new DriftingClock(system, { offsetMs }), ca: fresh.ca.cert });

  it('a charger with a correct clock connects even though the certificate is seconds old', async () => {
    expect(await codeOf(connect(0).then((c) => c.close()))).toBe('connected');
  });

  it('a charger whose clock is 2 days ahead sees the certificate as expired', async () => {
    const err = (await connect(2 * DAY).catch((e: unknown) => e)) as { code: string; details: Record<string, unknown> };
    expect(err).toMatchObject({ code: 'TLS_CERT_EXPIRED' });
    expect(Date.parse(String(err.details.clockTime))).toBeGreaterThan(system.now() + DAY);
  });

  it('a charger whose clock is behind notBefore sees it as not yet valid', async () => {
    expect(await codeOf(connect(-HOUR))).toBe('TLS_CERT_NOT_YET_VALID');
  });

  it('the machine clock does not matter: a cert valid only in virtual time works on a virtual charger', async () => {
    // Valid for one hour, two years from now: OpenSSL (machine time) says "not yet valid".
    const start = system.now() + 730 * DAY;
    const future = await createPki({ validity: { notBefore: new Date(start), notAfter: new Date(start + HOUR) } });
    const server = await startOcppServer({ certs: [future.server] });
    try {
      const inside = new VirtualClock(start + 10 * 60_000);
      expect(await codeOf(connectOcpp({ endpoint: server.url, id: 'CP001', clock: inside, ca: future.ca.cert }).then((c) => c.close()))).toBe('connected');
      const after = new VirtualClock(start + 2 * HOUR);
      expect(await codeOf(connectOcpp({ endpoint: server.url, id: 'CP001', clock: after, ca: future.ca.cert }))).toBe('TLS_CERT_EXPIRED');
    } finally {
      await server.close();
    }
  });

  it('still checks the host name', async () => {
    const pki = await createPki();
    const validity = defaultValidity(system);
    const elsewhere = await issueServerCert(pki.ca, 'rsa', ['csms.example'], validity);
    const server = await startOcppServer({ certs: [elsewhere] });
    try {
      expect(await codeOf(connectOcpp({ endpoint: server.url, id: 'CP001', clock: system, ca: pki.ca.cert }))).toBe('TLS_HOSTNAME_MISMATCH');
    } finally {
      await server.close();
    }
  });
});

describe('Security Profile 3 (client certificates)', () => {
  const system = new SystemClock();
  let pki: Pki;
  let server: OcppServer;
  beforeAll(async () => {
    pki = await createPki({ clients: ['CP001', 'CP002'] });
    server = await startOcppServer({ certs: [pki.server], clientCert: { ca: pki.ca.cert, required: true } });
  });
  afterAll(() => server.close());

  it('accepts a charger certificate whose CN is the id, and records the subject', async () => {
    const seen = new Promise<unknown>((resolve) => server.on('connection', (c) => resolve(c.info.clientCert)));
    const conn = await connectOcpp({ endpoint: server.url, id: 'CP001', clock: system, ca: pki.ca.cert, clientCert: pki.clients.CP001 });
    expect(await seen).toMatchObject({ presented: true, authorized: true, cn: 'CP001', cnMatchesId: true });
    conn.close();
  });

  it('refuses a missing, untrusted, or other-charger certificate with 403 and says why', async () => {
    const reasons: string[] = [];
    server.on('refused', (r) => reasons.push(r.reason));
    const stranger = await createPki({ clients: ['CP001'] });
    const attempt = (clientCert?: { cert: string; key: string }) => codeOf(connectOcpp({ endpoint: server.url, id: 'CP001', clock: system, ca: pki.ca.cert, clientCert }));
    expect(await attempt()).toBe('TRANSPORT_FORBIDDEN');
    expect(await attempt(stranger.clients.CP001)).toBe('TRANSPORT_FORBIDDEN');
    expect(await attempt(pki.clients.CP002)).toBe('TRANSPORT_FORBIDDEN');
    expect(reasons).toEqual(['client-cert-missing', 'client-cert-untrusted', 'client-cert-cn-mismatch']);
  });
});
