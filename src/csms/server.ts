import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/system.js';
import { ChargecheckError } from '../errors.js';
import { ensureDefaultCerts } from '../transport/certs.js';
import type { PemPair } from '../transport/pki.js';
import { startOcppServer, type OcppServer } from '../transport/server.js';
import { credentialsFrom } from '../transport/upgrade-decision.js';
import { Csms, type CsmsOptions } from './csms.js';

export interface CsmsServerOptions extends Omit<CsmsOptions, 'clock'> {
  clock?: Clock;
  host?: string;
  port?: number;
  /**
   * Charger credentials: id → password (AuthorizationKey, hex or text); id `*` = any id with that
   * password; `null` = no password (Security Profile 3, with `clientCa`).
   */
  chargers: Readonly<Record<string, string | null>>;
  /** Server certificate; default: the test PKI in `certDir` (generated when absent). */
  cert?: PemPair;
  certDir?: string;
  /** Security Profile 3: require a client certificate chaining to this CA (PEM) with CN = the charge point id. */
  clientCa?: string;
  /** Idle-socket timeouts of the listener (transport/server.ts IDLE_DEFAULTS; 0 = never). */
  handshakeTimeoutMs?: number;
  upgradeTimeoutMs?: number;
  /** Open connections at most; more are closed at once and counted (transport/server.ts). */
  maxConnections?: number;
}

export interface CsmsServer {
  readonly csms: Csms;
  readonly server: OcppServer;
  /** wss://host:port/ocpp — chargers append their id. */
  readonly url: string;
  /** PEM of the CA chargers must trust (the test PKI's, or undefined with a given cert). */
  readonly ca?: string;
  close(): Promise<void>;
}

/** Parses `ID:PASSWORD` (the password may itself contain colons). */
export function parseChargerCredential(spec: string): [string, string] {
  const i = spec.indexOf(':');
  if (i <= 0) throw new ChargecheckError('CLI_BAD_CHARGER', `--charger takes ID:PASSWORD, got '${spec}'`, { spec });
  return [spec.slice(0, i), spec.slice(i + 1)];
}

/** The built-in CSMS on a WSS listener with the platform's TLS policy and Basic auth. */
export async function startCsmsServer(options: CsmsServerOptions): Promise<CsmsServer> {
  const clock = options.clock ?? systemClock;
  let cert = options.cert;
  let ca: string | undefined;
  if (!cert) {
    const defaults = await ensureDefaultCerts(options.certDir ?? 'certs');
    cert = defaults.server;
    ca = defaults.ca;
  }
  const csms = new Csms({ ...options, clock });
  const server = await startOcppServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    certs: [cert],
    credentials: credentialsFrom(options.chargers),
    clock,
    ...(options.clientCa ? { clientCert: { ca: options.clientCa, required: true } } : {}),
    handshakeTimeoutMs: options.handshakeTimeoutMs,
    upgradeTimeoutMs: options.upgradeTimeoutMs,
    maxConnections: options.maxConnections,
  });
  server.on('connection', (conn) => {
    csms.attach(conn.channel, conn.info.id, {
      tlsVersion: conn.info.tls?.version,
      cipher: conn.info.tls?.cipher,
      authForm: conn.info.authForm,
      remoteAddress: conn.info.remoteAddress,
    });
  });
  return {
    csms,
    server,
    url: server.url,
    ca,
    close: async () => {
      csms.close();
      await server.close();
    },
  };
}
