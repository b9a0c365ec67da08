import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/system.js';
import { ChargecheckError } from '../errors.js';
import { OCPP16_SUBPROTOCOL } from './client.js';
import { Listeners } from './listeners.js';
import type { PemPair } from './pki.js';
import { describeConnection, type ConnectionInfo } from './server-connection-info.js';
import { ELB_TLS_1_2_EXT_2018_06, type TlsPolicy } from './tls-policy.js';
import { classifyServerTlsError, errorCode, errorMessage, type TlsFailureKind } from './tls-errors.js';
import { decideUpgrade, type CredentialLookup, type RefusalReason } from './upgrade-decision.js';
import { wsChannel, type WsChannel } from './ws-channel.js';

export interface OcppServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Path prefix; chargers connect to `<path>/<percent-encoded id>`. Default /ocpp. */
  path?: string;
  /** Server certificates: RSA first, optionally an ECDSA one; Node picks by the client's suites. */
  certs?: readonly PemPair[];
  /** TLS policy; default ELBSecurityPolicy-TLS-1-2-Ext-2018-06. */
  policy?: TlsPolicy;
  /** Serve plain ws:// instead of TLS. Only for tests of a charger's no-TLS fault. */
  insecure?: boolean;
  /** Basic-auth credentials per id (Security Profile 2). Omitted = any id, no password. */
  credentials?: CredentialLookup;
  /** Security Profile 3: ask for client certificates, trusted against `ca`. */
  clientCert?: { ca: string | readonly string[]; required?: boolean; requireCnMatch?: boolean };
  /** Timestamps connection records and runs the idle-socket timeouts; default the system clock. */
  clock?: Clock;
  /** A TCP connection that has not finished the TLS handshake this long after connecting is closed (default 10 s; 0 = never). */
  handshakeTimeoutMs?: number;
  /** A connection that has not sent its HTTP upgrade request this long after TLS (or TCP for ws://) is closed (default 10 s; 0 = never). */
  upgradeTimeoutMs?: number;
  /**
   * Open TCP connections at most (default: no limit). Past it new connections are closed at once
   * and counted (`idle.dropped`, a `refused` event with status 503), while the open ones keep
   * working: set it below the process's fd limit so a flood cannot exhaust it.
   */
  maxConnections?: number;
}

/** Defaults of the idle-socket timeouts (docs/run.md, `csms --help`). */
export const IDLE_DEFAULTS = { handshakeTimeoutMs: 10_000, upgradeTimeoutMs: 10_000 } as const;

/** Connections closed by the listener itself because they stayed silent. */
export interface IdleStats {
  /** TCP connections that never finished the TLS handshake in time. */
  handshakeTimeouts: number;
  /** Connections (TLS done) that never sent an upgrade request in time. */
  upgradeTimeouts: number;
  /** Connections closed at once because `maxConnections` were open. */
  dropped: number;
}

export interface ServerConnection {
  readonly info: ConnectionInfo;
  readonly channel: WsChannel;
  ping(): void;
  close(code?: number, reason?: string): void;
}

/** An upgrade that got no working OCPP connection. status 101 + `no-subprotocol`: accepted, then closed. */
export interface RefusedUpgrade {
  readonly status: number;
  readonly reason: RefusalReason | 'no-subprotocol' | 'not-websocket' | 'upgrade-timeout' | 'connection-limit';
  readonly id?: string;
  readonly path: string;
  readonly remoteAddress?: string;
  readonly offeredProtocols?: readonly string[];
  readonly at: number;
}

/** A TLS handshake that failed (wrong version, no common suite, plain HTTP on the TLS port, …). */
export interface TlsHandshakeFailure {
  readonly kind: TlsFailureKind;
  readonly code: string;
  readonly message: string;
  readonly remoteAddress?: string;
  readonly at: number;
}

export interface OcppServerEvents {
  [event: string]: (...args: never[]) => void;
  connection: (conn: ServerConnection) => void;
  refused: (refusal: RefusedUpgrade) => void;
  tlsError: (failure: TlsHandshakeFailure) => void;
  ping: (event: { id: string; at: number }) => void;
}

export interface OcppServer {
  readonly host: string;
  readonly port: number;
  /** e.g. wss://127.0.0.1:8443/ocpp (the endpoint a charger is given, without its id). */
  readonly url: string;
  readonly secure: boolean;
  /** Open connections by charge point id (the latest one per id). */
  readonly connections: ReadonlyMap<string, ServerConnection>;
  /** Silent connections closed by the timeouts so far. */
  readonly idle: Readonly<IdleStats>;
  on<K extends keyof OcppServerEvents>(event: K, fn: OcppServerEvents[K]): () => void;
  close(): Promise<void>;
}

/** Starts an OCPP-J listener: WSS with the ELB policy by default; plain ws only when `insecure`. */
export async function startOcppServer(options: OcppServerOptions): Promise<OcppServer> {
  const clock = options.clock ?? systemClock;
  const prefix = options.path ?? '/ocpp';
  const listeners = new Listeners<OcppServerEvents>();
  const connections = new Map<string, ServerConnection>();
  const sockets = new Set<WebSocket>();
  const http = createListener(options);
  const secure = !options.insecure;
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered: Set<string>) => (offered.has(OCPP16_SUBPROTOCOL) ? OCPP16_SUBPROTOCOL : false),
  });

  const idle: IdleStats = { handshakeTimeouts: 0, upgradeTimeouts: 0, dropped: 0 };
  if (options.maxConnections !== undefined) {
    http.maxConnections = options.maxConnections;
    http.on('drop', (d?: { remoteAddress?: string }) => {
      idle.dropped++;
      listeners.emit('refused', { status: 503, reason: 'connection-limit', path: '', remoteAddress: d?.remoteAddress, at: clock.now() });
    });
  }
  const handshakeMs = options.handshakeTimeoutMs ?? IDLE_DEFAULTS.handshakeTimeoutMs;
  const upgradeMs = options.upgradeTimeoutMs ?? IDLE_DEFAULTS.upgradeTimeoutMs;
  // Idle-socket timeouts on the injected clock, keyed by the peer's address and port (the raw
  // socket and its TLS wrapper share them). Each ends with the socket, or with the step it waits for.
  const waiting = new Map<string, { cancel(): void }>();
  const keyOf = (socket: { remoteAddress?: string; remotePort?: number }) => `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
  const expect = (socket: Duplex & { remoteAddress?: string; remotePort?: number }, ms: number, expired: () => void): void => {
    const key = keyOf(socket);
    waiting.get(key)?.cancel();
    if (ms <= 0) return void waiting.delete(key);
    const timer = clock.setTimeout(() => {
      if (waiting.get(key) !== entry) return;
      waiting.delete(key);
      expired();
      socket.destroy();
    }, ms);
    const entry = { cancel: () => timer.cancel() };
    waiting.set(key, entry);
    socket.once('close', () => {
      if (waiting.get(key) === entry) {
        waiting.delete(key);
        timer.cancel();
      }
    });
  };
  const arrived = (socket: { remoteAddress?: string; remotePort?: number }): void => {
    const key = keyOf(socket);
    waiting.get(key)?.cancel();
    waiting.delete(key);
  };
  const waitForUpgrade = (socket: Duplex & { remoteAddress?: string; remotePort?: number }) =>
    expect(socket, upgradeMs, () => {
      idle.upgradeTimeouts++;
      listeners.emit('refused', { status: 408, reason: 'upgrade-timeout', path: '', remoteAddress: socket.remoteAddress, at: clock.now() });
    });
  http.on('connection', (socket: Duplex & { remoteAddress?: string; remotePort?: number }) => {
    if (!secure) return waitForUpgrade(socket);
    expect(socket, handshakeMs, () => {
      idle.handshakeTimeouts++;
      listeners.emit('tlsError', { kind: 'timeout', code: 'ERR_TLS_HANDSHAKE_TIMEOUT', message: `no TLS handshake within ${handshakeMs} ms`, remoteAddress: socket.remoteAddress, at: clock.now() });
    });
  });
  if (secure) http.on('secureConnection', (socket: TLSSocket) => waitForUpgrade(socket));

  // Node raises a failed handshake as 'clientError' first, then 'tlsClientError': report it once,
  // from the latter; 'clientError' reports only sockets past the handshake (or plain ones).
  const established = new WeakSet<Duplex>();
  http.on('secureConnection', (socket: TLSSocket) => established.add(socket));
  http.on('tlsClientError', (err: Error, socket: TLSSocket) => {
    listeners.emit('tlsError', { kind: classifyServerTlsError(err), code: errorCode(err), message: errorMessage(err), remoteAddress: socket.remoteAddress, at: clock.now() });
  });
  http.on('clientError', (err: Error, socket: Duplex) => {
    if (!secure || established.has(socket)) listeners.emit('tlsError', { kind: classifyServerTlsError(err), code: errorCode(err), message: errorMessage(err), remoteAddress: remoteOf(socket), at: clock.now() });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    socket.destroy();
  });
  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    arrived(req.socket);
    listeners.emit('refused', { status: 426, reason: 'not-websocket', path: req.url ?? '', remoteAddress: req.socket.remoteAddress, at: clock.now() });
    res.writeHead(426, { Connection: 'close', Upgrade: 'websocket', 'Content-Type': 'text/plain' }).end('OCPP-J needs a WebSocket upgrade\n');
  });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    arrived(req.socket);
    const tlsSocket = secure ? (req.socket as TLSSocket) : undefined;
    const cert = tlsSocket && options.clientCert ? tlsSocket.getPeerCertificate() : undefined;
    const presented = !!cert && Object.keys(cert).length > 0;
    const decision = decideUpgrade({
      url: req.url ?? '',
      prefix,
      authorization: req.headers.authorization,
      credentials: options.credentials,
      clientCert: tlsSocket && options.clientCert ? { presented, authorized: tlsSocket.authorized, cn: presented ? cnOf(cert?.subject?.CN) : undefined } : undefined,
      requireClientCert: options.clientCert?.required,
      requireCnMatch: options.clientCert?.requireCnMatch ?? true,
    });
    if (!decision.accept) {
      listeners.emit('refused', { status: decision.status, reason: decision.reason, id: decision.id, path: req.url ?? '', remoteAddress: req.socket.remoteAddress, at: clock.now() });
      refuse(socket, decision.status);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      if (ws.protocol !== OCPP16_SUBPROTOCOL) {
        const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
        listeners.emit('refused', { status: 101, reason: 'no-subprotocol', id: decision.id, path: req.url ?? '', remoteAddress: req.socket.remoteAddress, offeredProtocols: offered, at: clock.now() });
        ws.close(1002, 'ocpp1.6 subprotocol required');
        return;
      }
      const channel = wsChannel(ws);
      const conn: ServerConnection = {
        info: describeConnection({ id: decision.id, authForm: decision.authForm, req, tlsSocket, clientCertRequested: !!options.clientCert, at: clock.now() }),
        channel,
        ping: () => {
          if (ws.readyState === ws.OPEN) ws.ping();
        },
        close: (code = 1000, reason = '') => channel.close(code, reason),
      };
      ws.on('ping', () => listeners.emit('ping', { id: decision.id, at: clock.now() }));
      connections.set(decision.id, conn);
      void channel.closed.then(() => {
        if (connections.get(decision.id) === conn) connections.delete(decision.id);
      });
      listeners.emit('connection', conn);
    });
  });

  const host = options.host ?? '127.0.0.1';
  const port = await listen(http, host, options.port ?? 0);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port,
    url: `${secure ? 'wss' : 'ws'}://${shownHost}:${port}${prefix.replace(/\/+$/, '')}`,
    secure,
    connections,
    idle,
    on: (event, fn) => listeners.on(event, fn),
    close: () => {
      for (const w of waiting.values()) w.cancel();
      waiting.clear();
      return closeAll(http, wss, sockets);
    },
  };
}

function createListener(options: OcppServerOptions): HttpServer {
  if (options.insecure) {
    if (options.certs?.length) throw new ChargecheckError('TRANSPORT_BAD_SERVER_OPTIONS', 'insecure and certs are exclusive: a listener is either ws:// or wss://');
    return createHttpServer();
  }
  if (!options.certs?.length) {
    throw new ChargecheckError('TRANSPORT_NO_SERVER_CERT', 'a wss:// listener needs at least one server certificate (certs); plain ws:// only with insecure: true');
  }
  const policy = options.policy ?? ELB_TLS_1_2_EXT_2018_06;
  const ca = options.clientCert?.ca;
  return createHttpsServer({
    // Our own handshake timeout runs on the injected clock (startOcppServer); Node's (120 s) is a backstop.
    handshakeTimeout: 120_000,
    cert: options.certs.map((c) => c.cert),
    key: options.certs.map((c) => c.key),
    minVersion: policy.minVersion,
    maxVersion: policy.maxVersion,
    ciphers: policy.ciphers,
    honorCipherOrder: policy.honorCipherOrder,
    requestCert: !!options.clientCert,
    rejectUnauthorized: false,
    ca: ca === undefined ? undefined : typeof ca === 'string' ? [ca] : [...ca],
  });
}

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

function refuse(socket: Duplex, status: number): void {
  const headers = [`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Refused'}`, 'Connection: close', 'Content-Length: 0'];
  if (status === 401) headers.push('WWW-Authenticate: Basic realm="OCPP", charset="UTF-8"');
  socket.end(`${headers.join('\r\n')}\r\n\r\n`);
}

function remoteOf(socket: Duplex): string | undefined {
  return 'remoteAddress' in socket && typeof socket.remoteAddress === 'string' ? socket.remoteAddress : undefined;
}

function cnOf(cn: string | string[] | undefined): string | undefined {
  return Array.isArray(cn) ? cn[0] : cn;
}

function listen(http: HttpServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http.once('error', (err) => reject(new ChargecheckError('TRANSPORT_LISTEN_FAILED', `cannot listen on ${host}:${port}: ${errorMessage(err)}`, { host, port, cause: errorCode(err) }, { cause: err })));
    http.listen(port, host, () => {
      const addr = http.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

function closeAll(http: HttpServer, wss: WebSocketServer, sockets: Set<WebSocket>): Promise<void> {
  for (const ws of sockets) ws.terminate();
  wss.close();
  return new Promise((resolve) => {
    http.close(() => resolve());
    http.closeAllConnections();
  });
}
