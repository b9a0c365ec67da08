import type { ClientRequest, IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { Clock } from '../clock/clock.js';
import { ChargecheckError, isChargecheckError } from '../errors.js';
import type { FrameChannel } from '../rpc/channel.js';
import { basicAuthHeader, type PasswordForm } from './basic-auth.js';
import type { PemPair } from './pki.js';
import { openTls, type TlsOffer, type TlsSession } from './tls-connect.js';
import { connectFailure, errorMessage } from './tls-errors.js';
import { wsChannel, type CloseInfo } from './ws-channel.js';

export const OCPP16_SUBPROTOCOL = 'ocpp1.6';
const DEFAULT_TIMEOUT_MS = 30_000;

export interface ConnectOptions {
  /** CSMS endpoint without the id, e.g. wss://csms.example:443/ocpp. */
  endpoint: string;
  /** Charge point identity; appended percent-encoded as the last path segment. */
  id: string;
  /** The charger's clock: judges the server certificate's validity period, runs the timeout. */
  clock: Clock;
  /** Security Profile 1/2: the AuthorizationKey, sent as HTTP Basic password. */
  authorizationKey?: string;
  /** `hex` (default, spec): send the decoded bytes; `text`: send the key's characters. */
  passwordForm?: PasswordForm;
  /** Trusted roots (PEM); default Node's bundled roots. */
  ca?: string | readonly string[];
  /** Security Profile 3: the charger's certificate and key. */
  clientCert?: PemPair;
  /** Allow ws:// (no TLS). Never the default. */
  insecure?: boolean;
  /** Override the TLS ClientHello (tests and charger faults). */
  tls?: TlsOffer;
  /** Subprotocols offered; default ['ocpp1.6']. */
  protocols?: readonly string[];
  /** Give up after this long on the charger's clock; default 30 s. */
  timeoutMs?: number;
  /** Source address (WSS only), e.g. one of 127.0.0.x to get past one address's ~28,000 ephemeral ports. */
  localAddress?: string;
}

export interface OcppConnection {
  readonly url: string;
  readonly channel: FrameChannel;
  /** Settles when the socket has closed (either side). */
  readonly closed: Promise<CloseInfo>;
  /** Negotiated subprotocol. */
  readonly protocol: string;
  /** Present on wss://. */
  readonly tls?: TlsSession;
  /** Sends a WebSocket ping (the peer answers with a pong automatically). */
  ping(): void;
  close(code?: number, reason?: string): void;
  /** Drops the TCP connection without a close handshake (a lost network, as the peer sees it). */
  abort(): void;
}

/**
 * Connects a charger to a CSMS over OCPP-J. Rejects with a coded ChargecheckError
 * (docs/transport.md). Holds the clock while in flight, so a virtual clock waits for it.
 */
export async function connectOcpp(options: ConnectOptions): Promise<OcppConnection> {
  const release = options.clock.hold('connect');
  try {
    return await open(options);
  } finally {
    release();
  }
}

async function open(options: ConnectOptions): Promise<OcppConnection> {
  const target = parseEndpoint(options);
  const headers: Record<string, string> = {};
  if (options.authorizationKey !== undefined) {
    headers.Authorization = basicAuthHeader(options.id, options.authorizationKey, options.passwordForm ?? 'hex');
  }
  const ca = options.ca === undefined ? undefined : typeof options.ca === 'string' ? [options.ca] : options.ca;
  const tls = target.secure
    ? await openTls({ host: target.host, port: target.port, clock: options.clock, ca, clientCert: options.clientCert, offer: options.tls, localAddress: options.localAddress })
    : undefined;
  const protocols = [...(options.protocols ?? [OCPP16_SUBPROTOCOL])];
  const socket = new WebSocket(target.url, protocols, {
    headers,
    perMessageDeflate: false,
    ...(tls ? { createConnection: () => tls.socket } : {}),
  });
  return new Promise<OcppConnection>((resolve, reject) => {
    let settled = false;
    let upgradedWith: string | null | undefined;
    const timer = options.clock.setTimeout(() => {
      fail(new ChargecheckError('TRANSPORT_TIMEOUT', `no WebSocket handshake with ${target.url} within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`, { url: target.url }));
      socket.terminate();
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const fail = (err: ChargecheckError): void => {
      if (settled) return;
      settled = true;
      timer.cancel();
      reject(err);
    };
    socket.on('upgrade', (res: IncomingMessage) => {
      const p = res.headers['sec-websocket-protocol'];
      upgradedWith = typeof p === 'string' ? p : null;
    });
    socket.on('unexpected-response', (req: ClientRequest, res: IncomingMessage) => {
      fail(refusal(res, target.url));
      req.destroy();
      tls?.socket.destroy();
    });
    socket.on('error', (err: Error) => {
      if (upgradedWith !== undefined && !protocols.includes(upgradedWith ?? '')) {
        fail(noSubprotocol(target.url, protocols, upgradedWith));
      } else if (!tls) {
        const mapped = connectFailure(err, 'tcp', target);
        fail(mapped.details.cause === 'ECONNRESET' ? handshakeFailed(target.url, err) : mapped);
      } else {
        fail(isChargecheckError(err) ? err : handshakeFailed(target.url, err));
      }
    });
    socket.on('close', () => fail(handshakeFailed(target.url, new Error('closed during the handshake'))));
    socket.once('open', () => {
      if (!protocols.includes(socket.protocol)) {
        socket.close(1002, 'subprotocol mismatch');
        fail(noSubprotocol(target.url, protocols, socket.protocol || null));
        return;
      }
      if (settled) return;
      settled = true;
      timer.cancel();
      const channel = wsChannel(socket);
      resolve({
        url: target.url,
        channel,
        closed: channel.closed,
        protocol: socket.protocol,
        tls: tls?.session,
        ping: () => {
          if (socket.readyState === WebSocket.OPEN) socket.ping();
        },
        close: (code = 1000, reason = '') => channel.close(code, reason),
        abort: () => socket.terminate(),
      });
    });
  });
}

interface Target {
  url: string;
  host: string;
  port: number;
  secure: boolean;
}

function parseEndpoint(options: ConnectOptions): Target {
  let u: URL;
  try {
    u = new URL(options.endpoint);
  } catch {
    throw new ChargecheckError('TRANSPORT_BAD_URL', `not a URL: ${options.endpoint}`, { endpoint: options.endpoint });
  }
  if (u.protocol !== 'wss:' && u.protocol !== 'ws:') {
    throw new ChargecheckError('TRANSPORT_BAD_URL', `endpoint must be wss:// (or ws:// with insecure), got ${u.protocol}//`, { endpoint: options.endpoint });
  }
  const secure = u.protocol === 'wss:';
  if (!secure && !options.insecure) {
    throw new ChargecheckError('TRANSPORT_INSECURE_REFUSED', `refusing unencrypted ${options.endpoint}; OCPP-J must use wss:// (pass insecure to allow ws://)`, {
      endpoint: options.endpoint,
    });
  }
  const base = `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const port = u.port ? Number(u.port) : secure ? 443 : 80;
  return { url: `${base}/${encodeURIComponent(options.id)}`, host, port, secure };
}

function refusal(res: IncomingMessage, url: string): ChargecheckError {
  const status = res.statusCode ?? 0;
  const details = { url, status, wwwAuthenticate: res.headers['www-authenticate'] };
  if (status === 401) return new ChargecheckError('TRANSPORT_AUTH_REJECTED', `${url} refused the credentials (HTTP 401)`, details);
  if (status === 404) return new ChargecheckError('TRANSPORT_UNKNOWN_ID', `${url}: the CSMS does not know this charge point (HTTP 404)`, details);
  if (status === 403) return new ChargecheckError('TRANSPORT_FORBIDDEN', `${url} refused the connection (HTTP 403)`, details);
  return new ChargecheckError('TRANSPORT_UPGRADE_REFUSED', `${url} answered HTTP ${status} instead of 101`, details);
}

function noSubprotocol(url: string, offered: readonly string[], selected: string | null): ChargecheckError {
  return new ChargecheckError('TRANSPORT_NO_SUBPROTOCOL', `${url} did not select ${offered.join(', ')} (server sent ${selected ?? 'no subprotocol'})`, {
    url,
    offered,
    selected,
  });
}

function handshakeFailed(url: string, err: unknown): ChargecheckError {
  return new ChargecheckError('TRANSPORT_HANDSHAKE_FAILED', `WebSocket handshake with ${url} failed: ${errorMessage(err)}`, { url }, { cause: err });
}
