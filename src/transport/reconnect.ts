import type { Timer } from '../clock/clock.js';
import { ChargecheckError, isChargecheckError } from '../errors.js';
import type { FrameChannel } from '../rpc/channel.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { connectOcpp, type ConnectOptions, type OcppConnection } from './client.js';
import { Listeners } from './listeners.js';
import type { CloseInfo } from './ws-channel.js';

export interface ReconnectOptions extends ConnectOptions {
  backoff?: BackoffPolicy;
  /** Random source for jitter, [0, 1); default Math.random. Inject for deterministic tests. */
  random?: () => number;
  /** WebSocketPingInterval in seconds; 0 = no pings (default). */
  pingIntervalSec?: number;
  /** Replaces connectOcpp (e.g. to change credentials between attempts). */
  connect?: (options: ConnectOptions) => Promise<OcppConnection>;
}

export interface ReconnectEvents {
  [event: string]: (...args: never[]) => void;
  open: (channel: FrameChannel, connection: OcppConnection) => void;
  close: (info: CloseInfo) => void;
  error: (err: ChargecheckError) => void;
  /** A retry was scheduled: attempt number (0-based) and delay on the clock. */
  retry: (event: { attempt: number; delayMs: number }) => void;
  ping: (event: { at: number }) => void;
}

type State = 'idle' | 'connecting' | 'open' | 'waiting' | 'stopped';

/**
 * A charger's link to its CSMS: connects, and after a failure or a drop waits an exponential,
 * capped, jittered delay on the injected clock and tries again, until `stop()`. While open it
 * sends a WebSocket ping every `pingIntervalSec` seconds (0 = off), changeable at run time.
 */
export class ReconnectingClient {
  private readonly listeners = new Listeners<ReconnectEvents>();
  private state: State = 'idle';
  private attempt = 0;
  private retryTimer: Timer | undefined;
  private pingTimer: Timer | undefined;
  private current: OcppConnection | undefined;
  private pingSec: number;

  constructor(private readonly options: ReconnectOptions) {
    this.pingSec = options.pingIntervalSec ?? 0;
  }

  get status(): State {
    return this.state;
  }

  get connection(): OcppConnection | undefined {
    return this.current;
  }

  on<K extends keyof ReconnectEvents>(event: K, fn: ReconnectEvents[K]): () => void {
    return this.listeners.on(event, fn);
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.connectNow();
  }

  /** Stops retrying and closes an open connection (1000). */
  stop(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.retryTimer?.cancel();
    this.pingTimer?.cancel();
    this.current?.close(1000, 'stopped');
  }

  /** WebSocketPingInterval changed (e.g. by ChangeConfiguration); 0 turns pings off. */
  setPingInterval(seconds: number): void {
    this.pingSec = Math.max(0, seconds);
    if (this.state === 'open') this.schedulePings();
  }

  private connectNow(): void {
    this.state = 'connecting';
    const { clock } = this.options;
    const release = clock.hold('connect');
    const connect = this.options.connect ?? connectOcpp;
    connect(this.options).then(
      (conn) => {
        release();
        if (this.state === 'stopped') {
          conn.close(1000, 'stopped');
          return;
        }
        this.opened(conn);
      },
      (err: unknown) => {
        release();
        if (this.state === 'stopped') return;
        this.listeners.emit('error', isChargecheckError(err) ? err : new ChargecheckError('TRANSPORT_HANDSHAKE_FAILED', String(err), {}, { cause: err }));
        this.scheduleRetry();
      },
    );
  }

  private opened(conn: OcppConnection): void {
    this.state = 'open';
    this.attempt = 0;
    this.current = conn;
    this.schedulePings();
    void conn.closed.then((info) => {
      this.pingTimer?.cancel();
      this.current = undefined;
      this.listeners.emit('close', info);
      if (this.state !== 'stopped') this.scheduleRetry();
    });
    this.listeners.emit('open', conn.channel, conn);
  }

  private scheduleRetry(): void {
    const delayMs = backoffDelay(this.attempt, this.options.backoff ?? {}, this.options.random ?? Math.random);
    this.listeners.emit('retry', { attempt: this.attempt, delayMs });
    this.attempt++;
    this.state = 'waiting';
    this.retryTimer = this.options.clock.setTimeout(() => {
      if (this.state === 'waiting') this.connectNow();
    }, delayMs);
  }

  private schedulePings(): void {
    this.pingTimer?.cancel();
    this.pingTimer = undefined;
    if (this.pingSec <= 0) return;
    const { clock } = this.options;
    this.pingTimer = clock.setInterval(() => {
      if (this.state !== 'open' || !this.current) return;
      this.current.ping();
      this.listeners.emit('ping', { at: clock.now() });
    }, this.pingSec * 1000);
  }
}
