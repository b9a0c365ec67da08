import type { Clock } from '../clock/clock.js';
import { DriftingClock } from '../clock/drifting.js';
import { ChargerModel, type ChargerModelOptions } from '../chargepoint/charge-point.js';
import { transportBehaviour } from '../chargepoint/quirks.js';
import type { SecurityEventType } from '../chargepoint/security/events.js';
import type { StateStore } from '../chargepoint/types.js';
import { rootCertificates } from 'node:tls';
import { ChargecheckError, isChargecheckError } from '../errors.js';
import { RpcEndpoint } from '../rpc/endpoint.js';
import type { FrameListener } from '../rpc/frames.js';
import type { BackoffPolicy } from '../transport/backoff.js';
import { isHexKey, type PasswordForm } from '../transport/basic-auth.js';
import { connectOcpp, type ConnectOptions, type OcppConnection } from '../transport/client.js';
import { Listeners } from '../transport/listeners.js';
import type { TlsOffer } from '../transport/tls-connect.js';
import type { PemPair } from '../transport/pki.js';
import { ReconnectingClient } from '../transport/reconnect.js';
import { httpFileTransfer } from './file-transfer.js';
import { jsonStateFile } from './state-file.js';

export interface ChargerHostOptions extends Omit<ChargerModelOptions, 'clock' | 'state' | 'files' | 'host'> {
  /** CSMS endpoint without the id, e.g. wss://127.0.0.1:8443/ocpp. */
  csmsUrl: string;
  /** The run's (true) clock; the charger's own clock drifts from it. */
  clock: Clock;
  /** The charger's clock error: offset (ms) and rate (ppm). Quirk `clock-off` adds hours. */
  drift?: { offsetMs?: number; ppm?: number };
  /** Initial AuthorizationKey (Basic password). */
  authorizationKey?: string;
  /** `hex` decodes the key (spec), `text` sends it as is; default: hex when the key is hex, else text. */
  passwordForm?: PasswordForm;
  ca?: string | readonly string[];
  /**
   * The charger's certificate and key (Security Profile 3). It seeds the charger's certificate
   * store; the certificate in the store (renewed over SignCertificate/CertificateSigned) is the
   * one presented when the configuration key SecurityProfile is 3.
   */
  clientCert?: PemPair;
  /** Manufacturer root certificates (PEM) for signed firmware (SignedUpdateFirmware). */
  manufacturerRoots?: readonly string[];
  /** Allow ws:// endpoints (never the default). */
  insecure?: boolean;
  /** What the charger offers in its TLS ClientHello (default: TLS 1.2 minimum, Node's suites). */
  tls?: TlsOffer;
  /** Persist the charger's memory in this JSON file; or pass `state`. */
  stateFile?: string;
  state?: StateStore;
  backoff?: BackoffPolicy;
  callTimeoutMs?: number;
  /** Malformed frames tolerated per connection before closing it with 1002 (default 20; 0 = no limit). */
  maxBadFrames?: number;
  /** Validate the charger's outgoing payloads (default true). */
  strictOutgoing?: boolean;
}

/** Connect failures that mean the CSMS's server certificate was not acceptable. */
const SERVER_CERT_CODES = new Set(['TLS_CERT_UNTRUSTED', 'TLS_CERT_NOT_YET_VALID', 'TLS_CERT_EXPIRED', 'TLS_HOSTNAME_MISMATCH']);
/** Failed connects on a raised SecurityProfile before falling back to the previous one. */
const FALLBACK_ATTEMPTS = 3;
/** Other connect failures that are security events (WP2 §8). */
const CONNECT_EVENTS: Readonly<Record<string, SecurityEventType>> = {
  TLS_VERSION_MISMATCH: 'InvalidTLSVersion',
  TLS_CIPHER_MISMATCH: 'InvalidTLSCipherSuite',
  TRANSPORT_AUTH_REJECTED: 'FailedToAuthenticateAtCentralSystem',
};

export interface HostEvents {
  [event: string]: (...args: never[]) => void;
  open: (connection: OcppConnection) => void;
  close: (code: number, reason: string) => void;
  error: (err: ChargecheckError) => void;
}

/**
 * Binds a virtual charger model to the world: a reconnecting WSS client, an OCPP-J endpoint per
 * connection, HTTP file transfers, a state file, and a drifting clock. Network loss is simulated
 * here: the socket is dropped without a close handshake and connect attempts fail until restored.
 */
export class ChargerHost {
  readonly model: ChargerModel;
  readonly chargerClock: DriftingClock;
  private readonly options: ChargerHostOptions;
  private readonly client: ReconnectingClient;
  private readonly listeners = new Listeners<HostEvents>();
  private readonly frameListeners = new Set<FrameListener>();
  private current: { endpoint: RpcEndpoint; connection: OcppConnection } | undefined;
  private networkUp = true;
  /** Disconnected on purpose (clean close): no reconnect until `resume()`. */
  private paused = false;
  private started = false;
  private readonly sendClientCertificate: boolean;
  private readonly useTls: boolean;
  /** SecurityProfile of the last successful connection (A05 fallback). */
  private connectedProfile: number;
  private raisedFailures = 0;
  /** The last connection error (what a user sees when the CSMS cannot be reached). */
  lastError: ChargecheckError | undefined;

  constructor(options: ChargerHostOptions) {
    this.options = options;
    const behaviour = transportBehaviour(options.quirks ?? []);
    this.chargerClock = new DriftingClock(options.clock, {
      offsetMs: (options.drift?.offsetMs ?? 0) + behaviour.clockOffsetMs,
      ppm: options.drift?.ppm ?? 0,
    });
    // The initial key stays with the host (any length the CSMS uses); a key set later over OCPP
    // (ChangeConfiguration AuthorizationKey, validated by the model) takes over.
    const config = { ...options.config };
    const trusted = options.ca === undefined ? [] : typeof options.ca === 'string' ? [options.ca] : [...options.ca];
    this.model = new ChargerModel({
      ...options,
      config,
      security: {
        ...(options.clientCert ? { chargePointCertificate: options.clientCert } : {}),
        centralSystemRoots: trusted,
        manufacturerRoots: options.manufacturerRoots ?? [],
        hasAuthorizationKey: Boolean(options.authorizationKey),
        ...options.security,
      },
      clock: this.chargerClock,
      state: options.state ?? (options.stateFile ? jsonStateFile(options.stateFile) : undefined),
      files: httpFileTransfer({ clock: options.clock, ca: options.ca }),
      host: { reconnect: (reason) => this.reconnect(reason) },
    });
    const endpoint = behaviour.useTls ? options.csmsUrl : options.csmsUrl.replace(/^wss:/, 'ws:');
    const base: ConnectOptions = {
      endpoint,
      id: options.id,
      clock: this.chargerClock,
      ca: options.ca,
      insecure: options.insecure || !behaviour.useTls,
      ...(options.tls ? { tls: options.tls } : {}),
    };
    this.sendClientCertificate = behaviour.sendClientCertificate;
    this.useTls = behaviour.useTls;
    this.connectedProfile = this.model.configuration.int('SecurityProfile');
    this.client = new ReconnectingClient({
      ...base,
      backoff: options.backoff ?? { baseMs: 2_000, capMs: 60_000 },
      random: options.random,
      pingIntervalSec: this.model.configuration.int('WebSocketPingInterval') || 0,
      connect: (o) => this.connect(o, behaviour.sendBasicAuth),
    });
    this.client.on('open', (_channel, connection) => this.opened(connection));
    this.client.on('close', (info) => this.closed(info.code, info.reason));
    this.client.on('error', (err) => {
      this.lastError = err;
      this.listeners.emit('error', err);
    });
    this.model.configuration.onChange((key, value) => {
      if (key === 'WebSocketPingInterval') this.client.setPingInterval(Number(value) || 0);
    });
  }

  get id(): string {
    return this.options.id;
  }

  get connected(): boolean {
    return this.current !== undefined;
  }

  get connection(): OcppConnection | undefined {
    return this.current?.connection;
  }

  get endpoint(): RpcEndpoint | undefined {
    return this.current?.endpoint;
  }

  on<K extends keyof HostEvents>(event: K, fn: HostEvents[K]): () => void {
    return this.listeners.on(event, fn);
  }

  /** Frames of every connection, present and future. */
  onFrame(listener: FrameListener): () => void {
    this.frameListeners.add(listener);
    const detach = this.current?.endpoint.onFrame(listener);
    return () => {
      this.frameListeners.delete(listener);
      detach?.();
    };
  }

  /** Powers the charger's link on: connect now, and keep reconnecting with back-off. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.client.start();
  }

  /** Powers off: state saved, link closed, no more retries. */
  stop(): void {
    this.model.powerOff();
    this.client.stop();
  }

  /** Loses the network: the socket drops with no close handshake, and connect attempts fail. */
  dropNetwork(): void {
    this.networkUp = false;
    this.current?.connection.abort();
  }

  /** The network is back; the next back-off attempt connects. */
  restoreNetwork(): void {
    this.networkUp = true;
  }

  /** Closes the link cleanly (close handshake, 1000) and stays off until `resume()`. */
  disconnect(): void {
    this.paused = true;
    this.current?.connection.close(1000, 'disconnected');
  }

  /** Allows connecting again after `disconnect()`; the next back-off attempt connects. */
  resume(): void {
    this.paused = false;
  }

  /** Closes the link; the reconnecting client comes back after its back-off (reboot, new key). */
  reconnect(reason: string): void {
    this.current?.connection.close(1012, reason);
  }

  private connect(o: ConnectOptions, sendAuth: boolean): Promise<OcppConnection> {
    if (!this.networkUp) {
      return Promise.reject(new ChargecheckError('TRANSPORT_UNREACHABLE', 'network is down (simulated)', { simulated: true }));
    }
    if (this.paused) {
      return Promise.reject(new ChargecheckError('TRANSPORT_UNREACHABLE', 'disconnected on purpose; waiting to be told to connect', { simulated: true }));
    }
    const key = sendAuth ? this.model.configuration.get('AuthorizationKey') || this.options.authorizationKey : undefined;
    const form = this.options.passwordForm ?? (key && isHexKey(key) ? 'hex' : 'text');
    const conn: ConnectOptions = { ...o, endpoint: this.endpointFor(o.endpoint), authorizationKey: key || undefined, passwordForm: form, ...this.certificates() };
    return connectOcpp(conn).catch((err: unknown) => {
      if (isChargecheckError(err)) {
        const event = SERVER_CERT_CODES.has(err.code) ? 'InvalidCentralSystemCertificate' : CONNECT_EVENTS[err.code];
        if (event) this.model.securityEvent(event, err.message);
        if (!err.details.simulated) this.raisedProfileFailed();
      }
      throw err;
    });
  }

  /**
   * Security Profiles 2 and 3 are TLS (WP2 §2): a ws:// endpoint is dialled as wss:// on the same
   * host and port once the profile is raised (TC_083: the charger must not come back on plain
   * WebSocket). Quirk `no-tls` still wins.
   */
  private endpointFor(endpoint: string): string {
    if (!this.useTls || this.model.configuration.int('SecurityProfile') < 2) return endpoint;
    return endpoint.replace(/^ws:/i, 'wss:');
  }

  /**
   * The client certificate (Security Profile 3: the one in the charger's store, else the option)
   * and the trusted roots: the option's, plus CSMS roots installed over OCPP (InstallCertificate).
   */
  private certificates(): Pick<ConnectOptions, 'clientCert' | 'ca'> {
    const out: Pick<ConnectOptions, 'clientCert' | 'ca'> = {};
    const own = this.model.clientCertificate;
    if (this.model.configuration.int('SecurityProfile') === 3 && this.sendClientCertificate) {
      if (own) out.clientCert = own;
    } else if (this.options.clientCert && this.sendClientCertificate) {
      out.clientCert = this.options.clientCert;
    }
    const installed = this.model.rootCertificates('CentralSystemRootCertificate');
    const given = this.options.ca === undefined ? undefined : typeof this.options.ca === 'string' ? [this.options.ca] : [...this.options.ca];
    const extra = installed.filter((pem) => !given?.some((g) => g.includes(pem.trim())));
    if (extra.length > 0) out.ca = [...(given ?? rootCertificates), ...extra];
    else if (given) out.ca = given;
    return out;
  }

  /**
   * WP2 A05: after FALLBACK_ATTEMPTS failed connects on a SecurityProfile higher than the one the
   * charger last connected with, it falls back to that one.
   */
  private raisedProfileFailed(): void {
    const now = this.model.configuration.int('SecurityProfile');
    if (now <= this.connectedProfile) {
      this.raisedFailures = 0;
      return;
    }
    if (++this.raisedFailures < FALLBACK_ATTEMPTS) return;
    this.raisedFailures = 0;
    this.model.fallBackSecurityProfile(this.connectedProfile);
  }

  private opened(connection: OcppConnection): void {
    this.lastError = undefined;
    this.connectedProfile = this.model.configuration.int('SecurityProfile');
    this.raisedFailures = 0;
    const endpoint = new RpcEndpoint({
      channel: connection.channel,
      clock: this.options.clock,
      label: this.options.id,
      role: 'ChargePoint',
      callTimeoutMs: this.options.callTimeoutMs,
      strictOutgoing: this.options.strictOutgoing,
      maxBadFrames: this.options.maxBadFrames,
    });
    for (const l of this.frameListeners) endpoint.onFrame(l);
    this.current = { endpoint, connection };
    this.listeners.emit('open', connection);
    this.model.connected(endpoint);
  }

  private closed(code: number, reason: string): void {
    if (!this.current) return;
    this.current = undefined;
    this.model.disconnected();
    this.listeners.emit('close', code, reason);
  }
}
