import { get as httpGet } from 'node:http';
import { connect as tlsConnect, type SecureVersion } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../src/clock/system.js';
import { connectOcpp, type ConnectOptions } from '../src/transport/client.js';
import { createPki, type Pki } from '../src/transport/pki.js';
import { startOcppServer, type OcppServer, type TlsHandshakeFailure } from '../src/transport/server.js';
import { ELB_TLS_1_2_EXT_2018_06, ELB_TLS_1_2_EXT_2018_06_CIPHERS } from '../src/transport/tls-policy.js';

const clock = new SystemClock();
let pki: Pki;
let server: OcppServer;
const tlsFailures: TlsHandshakeFailure[] = [];

beforeAll(async () => {
  pki = await createPki({ ecdsa: true });
  server = await startOcppServer({ certs: [pki.server, pki.serverEcdsa!] });
  server.on('tlsError', (f) => tlsFailures.push(f));
});
afterAll(() => server.close());

function opts(extra: Partial<ConnectOptions> = {}): ConnectOptions {
  return { endpoint: server.url, id: 'CP001', clock, ca: pki.trust, ...extra };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  return 'connected';
}

/** A raw TLS handshake (no WebSocket) with a given offer; resolves to the negotiated suite or the error code. */
function handshake(offer: { min?: SecureVersion; max?: SecureVersion; ciphers?: string }): Promise<string> {
  return new Promise((resolve) => {
    const s = tlsConnect({ host: '127.0.0.1', port: server.port, ca: [...pki.trust], servername: 'localhost', minVersion: offer.min, maxVersion: offer.max, ciphers: offer.ciphers });
    s.once('secureConnect', () => {
      resolve(`${s.getProtocol()} ${s.getCipher().name}`);
      s.destroy();
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

describe('ELBSecurityPolicy-TLS-1-2-Ext-2018-06 listener', () => {
  it('is exactly TLS 1.2 with the 18 AWS suites in AWS order', () => {
    expect(ELB_TLS_1_2_EXT_2018_06.minVersion).toBe('TLSv1.2');
    expect(ELB_TLS_1_2_EXT_2018_06.maxVersion).toBe('TLSv1.2');
    expect(ELB_TLS_1_2_EXT_2018_06.honorCipherOrder).toBe(true);
    expect(ELB_TLS_1_2_EXT_2018_06_CIPHERS).toHaveLength(18);
    expect(ELB_TLS_1_2_EXT_2018_06_CIPHERS[0]).toBe('ECDHE-ECDSA-AES128-GCM-SHA256');
    expect(ELB_TLS_1_2_EXT_2018_06_CIPHERS[10]).toBe('ECDHE-RSA-AES256-SHA');
    expect(ELB_TLS_1_2_EXT_2018_06_CIPHERS[17]).toBe('AES256-SHA');
  });

  it.each([
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES256-SHA384',
    'AES128-GCM-SHA256',
    'AES256-GCM-SHA384',
    'AES128-SHA',
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
  ])('completes a TLS 1.2 OCPP connection with %s and records it on both sides', async (suite) => {
    const seen = new Promise<string>((resolve) => {
      const off = server.on('connection', (c) => {
        off();
        resolve(`${c.info.tls?.version} ${c.info.tls?.cipher}`);
      });
    });
    const conn = await connectOcpp(opts({ tls: { ciphers: suite } }));
    expect(conn.tls).toEqual({ version: 'TLSv1.2', cipher: suite });
    expect(conn.protocol).toBe('ocpp1.6');
    expect(await seen).toBe(`TLSv1.2 ${suite}`);
    conn.close();
  });

  it('refuses TLS 1.1-only and TLS 1.3-only clients, and records the failure', async () => {
    const before = tlsFailures.length;
    expect(await codeOf(connectOcpp(opts({ tls: { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' } })))).toBe('TLS_VERSION_MISMATCH');
    expect(await codeOf(connectOcpp(opts({ tls: { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' } })))).toBe('TLS_VERSION_MISMATCH');
    expect(await handshake({ min: 'TLSv1.3', max: 'TLSv1.3' })).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
    expect(tlsFailures.slice(before).map((f) => f.kind)).toEqual(['protocol-version', 'protocol-version', 'protocol-version']);
  });

  it.each(['ECDHE-RSA-CHACHA20-POLY1305', 'DHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305'])('refuses the non-policy suite %s', async (suite) => {
    const before = tlsFailures.length;
    expect(await codeOf(connectOcpp(opts({ tls: { ciphers: suite } })))).toBe('TLS_CIPHER_MISMATCH');
    expect(tlsFailures.slice(before).map((f) => f.kind)).toEqual(['cipher']);
  });

  it('never answers plain ws:// or plain HTTP on the TLS port with 101', async () => {
    const before = tlsFailures.length;
    const plain = connectOcpp(opts({ endpoint: server.url.replace('wss:', 'ws:'), insecure: true }));
    expect(await codeOf(plain)).toBe('TRANSPORT_HANDSHAKE_FAILED');
    const status = await new Promise<string>((resolve) => {
      const req = httpGet({ host: '127.0.0.1', port: server.port, path: '/ocpp/CP001', headers: { Connection: 'Upgrade', Upgrade: 'websocket' } }, (res) => resolve(String(res.statusCode)));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(status).not.toBe('101');
    expect(tlsFailures.slice(before).map((f) => f.kind)).toEqual(['plain-http', 'plain-http']);
  });

  it('refuses ws:// on the client unless insecure is set', async () => {
    expect(await codeOf(connectOcpp(opts({ endpoint: 'ws://127.0.0.1:9/ocpp' })))).toBe('TRANSPORT_INSECURE_REFUSED');
  });

  it('reports an untrusted server certificate and an unreachable port', async () => {
    const other = await createPki();
    expect(await codeOf(connectOcpp(opts({ ca: other.ca.cert })))).toBe('TLS_CERT_UNTRUSTED');
    const closed = await startOcppServer({ certs: [pki.server] });
    const url = closed.url;
    await closed.close();
    const err = await connectOcpp(opts({ endpoint: url })).catch((e: unknown) => e as { code: string; details: { host: string; port: number } });
    expect(err).toMatchObject({ code: 'TRANSPORT_UNREACHABLE', details: { host: '127.0.0.1', port: closed.port } });
  });
});
