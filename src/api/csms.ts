import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/system.js';
import { startAdminServer, type AdminServer } from '../csms/admin.js';
import type { Csms } from '../csms/csms.js';
import { setChargePointMax, setTransactionLimit, type PlatformBehaviour } from '../csms/platform.js';
import { startCsmsServer } from '../csms/server.js';
import type { ConnectorState, CsmsPolicy, CsmsSession, LinkSummary } from '../csms/session.js';
import type { TransactionRecord } from '../csms/transactions.js';
import { ChargecheckError } from '../errors.js';
import type { ActionName } from '../ocpp/catalogue.js';
import type { BootNotificationRequest, RegistrationStatus, RequestOf, ResponseOf } from '../ocpp/types.js';
import type { FrameEvent } from '../rpc/frames.js';
import type { CallOptions, ReplyOverride } from '../rpc/port.js';
import { Listeners } from '../transport/listeners.js';
import { createPki } from '../transport/pki.js';
import type { PemPair } from '../transport/pki.js';
import type { OcppServer } from '../transport/server.js';
import { once, waitForValue, type WaitOptions } from './wait.js';

export interface StartCsmsOptions {
  /** `HOST:PORT` or `{ host, port }`; default 127.0.0.1 on a free port (read `url`). */
  listen?: string | { host?: string; port?: number };
  /** Charger credentials: id → password (hex or text); id `*` admits any id with that password. */
  chargers: Readonly<Record<string, string>>;
  /**
   * The server certificate. Default: a fresh in-memory test PKI (nothing written to disk); its
   * CA is `ca` on the returned object. `{ certDir }` uses (and creates) chargecheck's test PKI files.
   */
  tls?: { cert: PemPair; ca?: string } | { certDir: string };
  /** Default: real time. Pass a `VirtualClock` for virtual time. */
  clock?: Clock;
  /** The platform's behaviour (default: configure MeterValues after every accepted boot). */
  platform?: Partial<PlatformBehaviour>;
  /** Heartbeat interval, registration and authorization decisions. */
  policy?: Partial<CsmsPolicy>;
  /** Timeout of the CSMS's own CALLs, ms (default 30 000). */
  callTimeoutMs?: number;
  /**
   * Also serve the HTTP admin API of `chargecheck csms --admin` here (`HOST:PORT` or `{ host, port }`):
   * `GET /chargers`, `POST /chargers/<id>/call` with `{ action, payload }` (docs/run.md).
   */
  admin?: string | { host?: string; port?: number };
}

/** A charger as the CSMS sees it. */
export interface ConnectedCharger {
  readonly id: string;
  readonly connected: boolean;
  readonly registration: RegistrationStatus | undefined;
  readonly boot: BootNotificationRequest | undefined;
  /** Last StatusNotification per connector id. */
  readonly connectors: ReadonlyMap<number, ConnectorState>;
  readonly link: LinkSummary;
}

/** What a CSMS-side `waitFor` can wait for. Each names the charger (`id`). */
export interface CsmsEvents {
  connected: { id: string; link: LinkSummary };
  boot: { id: string; boot: BootNotificationRequest; status: RegistrationStatus };
  status: { id: string; connectorId: number; status: string; errorCode: string; timestamp: number };
  call: { id: string; action: ActionName; payload: unknown };
  transaction: { id: string; phase: 'started' | 'stopped' | 'meter'; transaction: TransactionRecord };
  disconnected: { id: string; code: number; reason: string };
  frame: FrameEvent;
}

/** A running CSMS as `startCsms` returns it. */
export interface FakeCsms extends AsyncDisposable {
  /** `wss://host:port/ocpp`; chargers append `/<id>`. */
  readonly url: string;
  /** PEM of the CA chargers must trust (undefined when a certificate without `ca` was given). */
  readonly ca: string | undefined;
  readonly clock: Clock;
  /** Live switches: changes apply to the next boot (platform) or at once (policy). */
  readonly platform: PlatformBehaviour;
  readonly policy: CsmsPolicy;
  /** Every frame on every connection so far, in order (`connection` names the charger). */
  readonly frames: readonly FrameEvent[];
  /** The CSMS model and listener underneath, for what this object does not offer. */
  readonly csms: Csms;
  readonly server: OcppServer;
  /** `http://host:port` of the admin API, when `admin` was given. */
  readonly adminUrl: string | undefined;

  chargers(): ConnectedCharger[];
  charger(id: string): ConnectedCharger | undefined;
  /** Every transaction the CSMS saw (of one charger, or all). */
  transactions(id?: string): TransactionRecord[];
  /** Calls a connected charger; rejects with API_UNKNOWN_CHARGER when it is not connected. */
  call<A extends ActionName>(id: string, action: A, payload: RequestOf<A>, options?: CallOptions): Promise<ResponseOf<A>>;
  /** Limits a connector's running transaction to `limit` (0 = off) with a TxProfile. */
  setLimit(id: string, connectorId: number, limit: number, unit?: 'A' | 'W'): Promise<ResponseOf<'SetChargingProfile'>>;
  /** Caps the whole charger with a ChargePointMaxProfile. */
  setChargePointMax(id: string, limit: number, unit?: 'A' | 'W'): Promise<ResponseOf<'SetChargingProfile'>>;
  /** Answers the next CALL of `action` from charger `id` with `reply` (now or once it connects). */
  overrideNextReply(id: string, action: ActionName, reply: ReplyOverride): () => void;
  /**
   * Resolves with the next `event` that `predicate` accepts; rejects with API_WAIT_TIMEOUT. The
   * states `connected`, `boot` and `status` resolve at once when a connected charger is already in
   * a matching one. On a VirtualClock this runs the clock until then.
   */
  waitFor<K extends keyof CsmsEvents>(event: K, predicate?: (value: CsmsEvents[K]) => boolean, options?: WaitOptions): Promise<CsmsEvents[K]>;
  on<K extends keyof CsmsEvents>(event: K, listener: (value: CsmsEvents[K]) => void): () => void;
  /** Closes every connection (1001) and the listener. Idempotent. */
  close(): Promise<void>;
}

type EventFns = { [K in keyof CsmsEvents]: (value: CsmsEvents[K]) => void };

/** Starts chargecheck's built-in CSMS on a WSS listener (TLS 1.2 ELB 2018-06 policy, Basic auth). */
export async function startCsms(options: StartCsmsOptions): Promise<FakeCsms> {
  if (!options || typeof options.chargers !== 'object' || options.chargers === null) {
    throw new ChargecheckError('API_BAD_OPTION', 'startCsms needs `chargers`, an object of id → password', { option: 'chargers' });
  }
  const clock = options.clock ?? systemClock;
  const { host, port } = parseListen(options.listen);
  let cert: PemPair | undefined;
  let ca: string | undefined;
  let certDir: string | undefined;
  if (options.tls && 'cert' in options.tls) {
    cert = options.tls.cert;
    ca = options.tls.ca;
  } else if (options.tls && 'certDir' in options.tls) {
    certDir = options.tls.certDir;
  } else {
    const pki = await createPki({ clock });
    cert = pki.server;
    ca = pki.ca.cert;
  }
  const started = await startCsmsServer({
    clock,
    host,
    port,
    chargers: options.chargers,
    ...(cert ? { cert } : { certDir }),
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.callTimeoutMs !== undefined ? { callTimeoutMs: options.callTimeoutMs } : {}),
  });
  ca ??= started.ca;
  let admin: AdminServer | undefined;
  if (options.admin !== undefined) {
    try {
      const at = parseListen(options.admin);
      admin = await startAdminServer(started.csms, at.host, at.port);
    } catch (err) {
      await started.close();
      throw err;
    }
  }
  const csms = started.csms;
  const events = new Listeners<EventFns>();
  const frames: FrameEvent[] = [];
  csms.onFrame((f) => {
    frames.push(f);
    events.emit('frame', f);
  });
  csms.onSession((s) => {
    const id = s.chargePointId;
    events.emit('connected', { id, link: s.connection });
    s.subscribe({
      call: (action, payload) => events.emit('call', { id, action, payload }),
      boot: (boot, status) => events.emit('boot', { id, boot, status }),
      status: (connectorId, state) => events.emit('status', { id, connectorId, status: state.status, errorCode: state.errorCode, timestamp: state.timestamp }),
      transaction: (transaction, phase) => events.emit('transaction', { id, phase, transaction }),
      closed: (code, reason) => events.emit('disconnected', { id, code, reason }),
    });
  });

  const openSession = (id: string, action: string): CsmsSession => {
    const s = csms.session(id);
    if (!s?.isOpen) throw new ChargecheckError('API_UNKNOWN_CHARGER', `charger '${id}' is not connected`, { id, action, connected: csms.sessions().filter((x) => x.isOpen).map((x) => x.chargePointId) });
    return s;
  };
  const view = (s: CsmsSession): ConnectedCharger => ({
    id: s.chargePointId,
    connected: s.isOpen,
    registration: s.registration,
    boot: s.boot,
    connectors: new Map(s.connectors),
    link: s.connection,
  });
  const on = <K extends keyof CsmsEvents>(event: K, listener: (value: CsmsEvents[K]) => void): (() => void) => {
    if (!EVENT_NAMES.has(event)) throw new ChargecheckError('API_BAD_OPTION', `unknown CSMS event '${String(event)}'`, { event });
    return events.on(event, listener as EventFns[K]);
  };
  /** The events that are states: waiting for one resolves at once when a charger is in it. */
  const current = <K extends keyof CsmsEvents>(event: K): CsmsEvents[K][] => {
    const open = csms.sessions().filter((s) => s.isOpen);
    const now: Partial<{ [E in keyof CsmsEvents]: CsmsEvents[E][] }> = {
      connected: open.map((s) => ({ id: s.chargePointId, link: s.connection })),
      boot: open.flatMap((s) => (s.boot && s.registration ? [{ id: s.chargePointId, boot: s.boot, status: s.registration }] : [])),
      status: open.flatMap((s) => [...s.connectors].map(([connectorId, st]) => ({ id: s.chargePointId, connectorId, status: st.status, errorCode: st.errorCode, timestamp: st.timestamp }))),
    };
    return (now[event] ?? []) as CsmsEvents[K][];
  };
  const close = once(async () => {
    await admin?.close();
    await started.close();
  });
  const asPromise = <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return fn();
    } catch (err) {
      return Promise.reject(err as Error);
    }
  };

  return {
    url: started.url,
    ca,
    clock,
    platform: csms.platform,
    policy: csms.policy,
    frames,
    csms,
    server: started.server,
    adminUrl: admin?.url,
    chargers: () => csms.sessions().map(view),
    charger: (id) => {
      const s = csms.session(id);
      return s ? view(s) : undefined;
    },
    transactions: (id) => csms.transactions().filter((t) => id === undefined || t.chargePointId === id),
    call: (id, action, payload, callOptions) => asPromise(() => openSession(id, action).call(action, payload, callOptions)),
    setLimit: (id, connectorId, limit, unit = 'W') => asPromise(() => setTransactionLimit(openSession(id, 'SetChargingProfile'), connectorId, limit, unit)),
    setChargePointMax: (id, limit, unit = 'W') => asPromise(() => setChargePointMax(openSession(id, 'SetChargingProfile'), limit, unit)),
    overrideNextReply: (id, action, reply) => csms.overrideNextReply(id, action, reply),
    waitFor: (event, predicate = () => true, waitOptions = {}) => waitForValue(clock, (fn) => on(event, fn), predicate, waitOptions, `CSMS '${String(event)}' event`, STATE_EVENTS.has(event) ? () => current(event) : undefined),
    on,
    close,
    [Symbol.asyncDispose]: close,
  };
}

const EVENT_NAMES = new Set<string>(['connected', 'boot', 'status', 'call', 'transaction', 'disconnected', 'frame']);

/** `HOST:PORT`, `[::1]:PORT` or `{ host, port }`; default 127.0.0.1:0. */
export function parseListen(listen: StartCsmsOptions['listen']): { host: string; port: number } {
  if (listen === undefined) return { host: '127.0.0.1', port: 0 };
  if (typeof listen === 'object') return { host: listen.host ?? '127.0.0.1', port: checkPort(listen.port ?? 0, String(listen.port)) };
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(listen);
  if (!m) throw new ChargecheckError('API_BAD_OPTION', `listen takes HOST:PORT, got '${listen}'`, { option: 'listen', value: listen });
  return { host: m[1] ?? m[2], port: checkPort(Number(m[3]), listen) };
}

function checkPort(port: number, text: string): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ChargecheckError('API_BAD_OPTION', `not a port: '${text}'`, { option: 'listen', value: text });
  return port;
}

/** Events that are states: `waitFor` checks the present state first. */
const STATE_EVENTS = new Set<string>(['connected', 'boot', 'status']);
