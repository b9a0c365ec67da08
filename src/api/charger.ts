import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/system.js';
import type { ChargerModel } from '../chargepoint/charge-point.js';
import type { QuirkName } from '../chargepoint/quirks.js';
import type { RebootReason } from '../chargepoint/runtime.js';
import type { ChargePointEvents, EvParams } from '../chargepoint/types.js';
import { ChargecheckError } from '../errors.js';
import { ChargerHost, type ChargerHostOptions } from '../host/charger-host.js';
import type { ActionName } from '../ocpp/catalogue.js';
import type { ChargePointErrorCode, ChargePointStatus, RegistrationStatus, RequestOf, ResponseOf } from '../ocpp/types.js';
import type { FrameEvent, FrameListener } from '../rpc/frames.js';
import type { CallOptions } from '../rpc/port.js';
import { once, waitForValue, type WaitOptions } from './wait.js';

export interface StartChargerOptions extends Omit<ChargerHostOptions, 'csmsUrl' | 'clock' | 'authorizationKey' | 'quirks'> {
  /** The CSMS endpoint without the id, e.g. `wss://127.0.0.1:8443/ocpp`; the charger appends `/<id>`. */
  csms: string;
  /** The charge point id. */
  id: string;
  /** The Basic-auth password (AuthorizationKey); hex keys are sent decoded unless `passwordForm: 'text'`. */
  password?: string;
  /** PEM of the CA(s) that signed the CSMS's certificate (default: Node's trust store). */
  ca?: string | readonly string[];
  /** Connectors (default 1). */
  connectors?: number;
  /** The EV `plug()` uses when none is given. */
  ev?: Partial<EvParams>;
  /** Named faults that make the charger misbehave on purpose (docs/quirks.md). */
  quirks?: readonly QuirkName[];
  /** Default: real time. Pass a `VirtualClock` to run hours of charging in milliseconds. */
  clock?: Clock;
  /**
   * Resolve only once the first WebSocket connection is open (default true); the promise
   * rejects with that attempt's error (TRANSPORT_*, TLS_*) when it fails.
   */
  waitForConnection?: boolean;
  /** How long `startCharger` waits for the first connection, ms of `clock` (default 30 000). */
  connectTimeout?: number;
}

/** What a charger-side `waitFor` can wait for: the model's events plus the link's. */
export interface ChargerEvents extends ChargePointEvents {
  connected: { url: string; protocol: string };
  disconnected: { code: number; reason: string };
  frame: FrameEvent;
  error: ChargecheckError;
}

/** One transaction the charger ran (or runs), as the charger knows it. */
export interface ChargerTransaction {
  connectorId: number;
  /** The charger's own number for it. */
  localId: number;
  /** The CSMS's transactionId, once StartTransaction.conf came (-1 if it never did). */
  id?: number;
  idTag: string;
  meterStart: number;
  meterStop?: number;
  /** Why it stopped; undefined while it runs. */
  reason?: string;
}

/**
 * A running virtual charger, as `startCharger` returns it: physical acts, reads, waiting, frames,
 * and `close()`. Connector ids default to 1.
 */
export interface VirtualCharger extends AsyncDisposable {
  readonly id: string;
  readonly clock: Clock;
  /** The WebSocket is open. */
  readonly connected: boolean;
  /** The last BootNotification answer (undefined before it, and while rebooting). */
  readonly registration: RegistrationStatus | undefined;
  /** Every frame sent or received so far, in order. */
  readonly frames: readonly FrameEvent[];
  /** The model underneath, for what this object does not offer. */
  readonly model: ChargerModel;

  plug(connectorId?: number, ev?: Partial<EvParams>): void;
  unplug(connectorId?: number): void;
  /** An idTag at the reader; resolves once it was authorized (or refused) and acted on. */
  presentIdTag(idTag: string, connectorId?: number): Promise<void>;
  fault(connectorId?: number, errorCode?: ChargePointErrorCode): void;
  clearFault(connectorId?: number): void;
  setEv(connectorId: number, ev: Partial<EvParams>): void;
  /** Loses the network (no close handshake); reconnect attempts fail until `goOnline()`. */
  goOffline(): void;
  goOnline(): void;
  /** Reboots: open transactions stop, the charger is dark a while, then connects and boots again. */
  reboot(reason?: RebootReason): void;

  status(connectorId?: number): ChargePointStatus;
  /** Active import power, W. */
  power(connectorId?: number): number;
  /** The energy register, Wh: one connector's, or the sum over all. */
  energy(connectorId?: number): number;
  /** The smart-charging limit in force, W (undefined = none). */
  limit(connectorId?: number): number | undefined;
  /** One configuration key's value (case-insensitive; undefined = unknown key), or all of them. */
  configuration(key: string): string | undefined;
  configuration(): Record<string, string>;
  transactions(): ChargerTransaction[];

  /** Sends a charger-initiated CALL (e.g. DataTransfer); rejects with RPC_CLOSED when offline. */
  call<A extends ActionName>(action: A, payload: RequestOf<A>, options?: CallOptions): Promise<ResponseOf<A>>;
  /**
   * Resolves with the next `event` that `predicate` accepts; rejects with API_WAIT_TIMEOUT. The
   * states `connected`, `boot`, `status` (one per connector) and `transactionConfirmed` (each
   * running transaction the CSMS has numbered) resolve at once when the charger is already in a
   * matching one. On a VirtualClock this runs the clock until then.
   */
  waitFor<K extends keyof ChargerEvents>(event: K, predicate?: (value: ChargerEvents[K]) => boolean, options?: WaitOptions): Promise<ChargerEvents[K]>;
  on<K extends keyof ChargerEvents>(event: K, listener: (value: ChargerEvents[K]) => void): () => void;
  /** Powers off (state saved), closes the link cleanly and stops reconnecting. Idempotent. */
  close(): Promise<void>;
}

/** How long close() waits for the CSMS's half of the close handshake before dropping the socket, ms. */
const CLOSE_HANDSHAKE_MS = 5_000;

const MODEL_EVENTS = new Set<string>(['status', 'transactionStarted', 'transactionConfirmed', 'transactionStopped', 'boot', 'firmware', 'diagnostics', 'meter', 'log']);

/** Starts a virtual charger that connects to `options.csms` and keeps reconnecting until closed. */
export async function startCharger(options: StartChargerOptions): Promise<VirtualCharger> {
  const clock = options.clock ?? systemClock;
  const { csms, password, waitForConnection = true, connectTimeout, ...rest } = options;
  if (typeof csms !== 'string' || !csms) throw new ChargecheckError('API_BAD_OPTION', 'startCharger needs `csms`, the endpoint URL without the id', { option: 'csms' });
  const host = new ChargerHost({ ...rest, quirks: options.quirks ? [...options.quirks] : undefined, csmsUrl: csms, clock, authorizationKey: password });
  const charger = wrap(host, clock, options.connectors ?? 1);
  if (!waitForConnection) {
    host.start();
    return charger;
  }
  const outcome = waitForValue<ChargecheckError | undefined>(
    clock,
    (fn) => {
      const offs = [host.on('open', () => fn(undefined)), host.on('error', (err) => fn(err))];
      return () => offs.forEach((off) => off());
    },
    () => true,
    { timeout: connectTimeout },
    `connection to ${csms}/${options.id}`,
  );
  host.start();
  try {
    const err = await outcome;
    if (err) throw err;
  } catch (err) {
    await charger.close();
    throw err;
  }
  return charger;
}

function wrap(host: ChargerHost, clock: Clock, connectorCount: number): VirtualCharger {
  const model = host.model;
  const frames: FrameEvent[] = [];
  const frameListeners = new Set<FrameListener>();
  host.onFrame((f) => {
    frames.push(f);
    for (const l of frameListeners) l(f);
  });
  const history: ChargerTransaction[] = [];
  model.on('transactionStarted', (e) => history.push({ connectorId: e.connectorId, localId: e.localTxId, idTag: e.idTag, meterStart: e.meterStart }));
  model.on('transactionStopped', (e) => {
    const t = history.find((h) => h.localId === e.localTxId);
    if (!t) return;
    t.meterStop = e.meterStop;
    t.reason = e.reason;
    if (e.transactionId !== undefined) t.id = e.transactionId;
  });

  const on = <K extends keyof ChargerEvents>(event: K, listener: (value: ChargerEvents[K]) => void): (() => void) => {
    const fn = listener as (value: unknown) => void;
    if (MODEL_EVENTS.has(event)) return model.on(event as keyof ChargePointEvents, fn);
    switch (event) {
      case 'connected':
        return host.on('open', (c) => fn({ url: c.url, protocol: c.protocol }));
      case 'disconnected':
        return host.on('close', (code, reason) => fn({ code, reason }));
      case 'error':
        return host.on('error', (err) => fn(err));
      case 'frame':
        frameListeners.add(fn);
        return () => frameListeners.delete(fn);
      default:
        throw new ChargecheckError('API_BAD_OPTION', `unknown charger event '${String(event)}'`, { event });
    }
  };

  /** The events that are states: waiting for one resolves at once when the charger is in it. */
  const current = <K extends keyof ChargerEvents>(event: K): ChargerEvents[K][] => {
    const now: Partial<{ [E in keyof ChargerEvents]: ChargerEvents[E][] }> = {};
    if (event === 'connected' && host.connection) now.connected = [{ url: host.connection.url, protocol: host.connection.protocol }];
    if (event === 'boot' && model.registration) now.boot = [{ status: model.registration, firmwareVersion: model.firmwareVersion }];
    if (event === 'status') {
      now.status = [];
      for (let c = 0; c <= connectorCount; c++) now.status.push({ connectorId: c, status: model.status(c), errorCode: model.errorCode(c) });
    }
    if (event === 'transactionConfirmed') {
      now.transactionConfirmed = [];
      for (let c = 1; c <= connectorCount; c++) {
        const tx = model.transaction(c);
        if (tx?.id !== undefined) now.transactionConfirmed.push({ connectorId: c, localTxId: tx.localId, transactionId: tx.id, idTag: tx.idTag, meterStart: tx.meterStart });
      }
    }
    return (now[event] ?? []) as ChargerEvents[K][];
  };

  const close = once(async () => {
    const connection = host.connection;
    host.stop();
    if (!connection) return;
    // a CSMS that never answers the close handshake does not hold close() for ws's 30 s
    const timer = clock.setTimeout(() => connection.abort(), CLOSE_HANDSHAKE_MS);
    await connection.closed;
    timer.cancel();
  });

  function configuration(key: string): string | undefined;
  function configuration(): Record<string, string>;
  function configuration(key?: string): string | undefined | Record<string, string> {
    return key === undefined ? model.configuration.toJSON() : model.configuration.get(key);
  }

  return {
    id: host.id,
    clock,
    model,
    get connected() {
      return host.connected;
    },
    get registration() {
      return model.registration;
    },
    frames,
    plug: (c = 1, ev) => model.plug(c, ev),
    unplug: (c = 1) => model.unplug(c),
    presentIdTag: (tag, c) => model.presentIdTag(tag, c),
    fault: (c = 1, code) => model.fault(c, code),
    clearFault: (c = 1) => model.clearFault(c),
    setEv: (c, ev) => model.setEv(c, ev),
    goOffline: () => host.dropNetwork(),
    goOnline: () => host.restoreNetwork(),
    reboot: (reason) => model.reboot(reason),
    status: (c = 1) => model.status(c),
    power: (c = 1) => model.powerW(c),
    energy: (c) => model.energyWh(c),
    limit: (c = 1) => model.limitW(c),
    configuration,
    transactions: () =>
      history.map((t) => {
        const live = t.reason === undefined ? model.transaction(t.connectorId) : undefined;
        return live?.localId === t.localId && live.id !== undefined ? { ...t, id: live.id } : { ...t };
      }),
    call: (action, payload, callOptions) => {
      const endpoint = host.endpoint;
      if (!endpoint) return Promise.reject(new ChargecheckError('RPC_CLOSED', `${host.id} is not connected`, { action }));
      return endpoint.call(action, payload, callOptions);
    },
    waitFor: (event, predicate = () => true, waitOptions = {}) => waitForValue(clock, (fn) => on(event, fn), predicate, waitOptions, `'${String(event)}' event on ${host.id}`, STATE_EVENTS.has(event) ? () => current(event) : undefined),
    on,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Events that are states: `waitFor` checks the present state first. */
const STATE_EVENTS = new Set<string>(['connected', 'boot', 'status', 'transactionConfirmed']);
