import { isIP } from 'node:net';
import { connect, createSecureContext, type SecureContext, type SecureVersion, type TLSSocket } from 'node:tls';
import type { Clock } from '../clock/clock.js';
import type { PemPair } from './pki.js';
import { checkServerCertificate } from './server-cert-check.js';
import { connectFailure } from './tls-errors.js';

/** What a charger offers in its ClientHello. Defaults: TLS 1.2 minimum, Node's default suites. */
export interface TlsOffer {
  readonly minVersion?: SecureVersion;
  readonly maxVersion?: SecureVersion;
  /** OpenSSL cipher string (TLS 1.2 and below). */
  readonly ciphers?: string;
}

export interface TlsConnectOptions {
  readonly host: string;
  readonly port: number;
  readonly clock: Clock;
  readonly ca?: readonly string[];
  readonly clientCert?: PemPair;
  readonly offer?: TlsOffer;
  /** Source address to connect from (a swarm spreads connections over 127.0.0.x: ~28,000 ephemeral ports per source address). */
  readonly localAddress?: string;
}

export interface TlsSession {
  readonly version: string;
  /** OpenSSL name of the negotiated suite, e.g. ECDHE-RSA-AES128-GCM-SHA256. */
  readonly cipher: string;
}

/**
 * One SecureContext per distinct (trust, client certificate, offer), shared by every connection
 * that uses it: building one per connect costs a charger ~60 KiB of native memory and most of a
 * handshake's CPU in a swarm of thousands. Bounded so a long-lived process cannot grow it forever.
 */
const contexts = new Map<string, SecureContext>();
const MAX_CONTEXTS = 64;

function secureContextFor(options: TlsConnectOptions): SecureContext {
  const o = options.offer;
  const key = JSON.stringify([options.ca ?? null, options.clientCert?.cert ?? null, options.clientCert?.key ?? null, o?.minVersion ?? 'TLSv1.2', o?.maxVersion ?? null, o?.ciphers ?? null]);
  let ctx = contexts.get(key);
  if (!ctx) {
    if (contexts.size >= MAX_CONTEXTS) contexts.clear();
    ctx = createSecureContext({
      minVersion: o?.minVersion ?? 'TLSv1.2',
      maxVersion: o?.maxVersion,
      ciphers: o?.ciphers,
      ca: options.ca ? [...options.ca] : undefined,
      cert: options.clientCert?.cert,
      key: options.clientCert?.key,
    });
    contexts.set(key, ctx);
  }
  return ctx;
}

/**
 * Opens TCP + TLS and verifies the server certificate on the charger's clock before a single
 * byte of HTTP (and so before any credentials) is sent. Rejects with a coded ChargecheckError.
 */
export function openTls(options: TlsConnectOptions): Promise<{ socket: TLSSocket; session: TlsSession }> {
  const { host, port, clock } = options;
  return new Promise((resolve, reject) => {
    let phase: 'tcp' | 'tls' = 'tcp';
    const socket = connect({
      host,
      port,
      servername: isIP(host) ? undefined : host,
      secureContext: secureContextFor(options),
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    const onError = (err: Error): void => {
      socket.destroy();
      reject(connectFailure(err, phase, { host, port }));
    };
    socket.once('connect', () => {
      phase = 'tls';
    });
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      socket.off('error', onError);
      try {
        checkServerCertificate({ socket, host, trust: options.ca, now: clock.now() });
      } catch (err) {
        socket.destroy();
        reject(err);
        return;
      }
      const cipher = socket.getCipher();
      resolve({ socket, session: { version: socket.getProtocol() ?? 'unknown', cipher: cipher.name } });
    });
  });
}
