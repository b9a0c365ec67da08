import type { Clock } from '../clock/clock.js';
import type { ActionName } from '../ocpp/catalogue.js';
import type { ReplyOverride } from '../rpc/port.js';
import type { IdTagInfo } from '../ocpp/types.js';
import type { FrameChannel } from '../rpc/channel.js';
import { RpcEndpoint } from '../rpc/endpoint.js';
import type { FrameListener } from '../rpc/frames.js';
import { configureCharger, curtailTransaction, DEFAULT_PLATFORM, type PlatformBehaviour } from './platform.js';
import { CsmsSession, type CsmsPolicy, type CsmsShared, type LinkSummary } from './session.js';
import type { TransactionRecord } from './transactions.js';

export interface CsmsOptions {
  clock: Clock;
  policy?: Partial<CsmsPolicy>;
  platform?: Partial<PlatformBehaviour>;
  callTimeoutMs?: number;
  /** Validate the CSMS's own outgoing payloads (default true). */
  strictOutgoing?: boolean;
  /** Malformed frames tolerated per connection before it is closed with 1002 (RpcEndpoint default 20; 0 = never). */
  maxBadFrames?: number;
  /**
   * Transaction ids first, first + stride, …: `csms --processes N` gives worker I first I+1 and
   * stride N, so ids never collide across workers (default 1 and 1).
   */
  transactionIds?: { first: number; stride: number };
  /** A connection that sends no BootNotification this long after opening is closed with 1008 (default 120 s; 0 = never). */
  bootTimeoutMs?: number;
}

/** Default of CsmsOptions.bootTimeoutMs. */
export const BOOT_TIMEOUT_MS = 120_000;

const ACCEPT_ALL: IdTagInfo = { status: 'Accepted' };

/**
 * The built-in CSMS: one session per connected charger, shared transaction ids, the platform's
 * behaviour (configuration after boot), and frame events from every connection. The transport
 * (csms/server.ts) hands it channels; tests may hand it in-memory ones.
 */
export class Csms {
  readonly clock: Clock;
  readonly policy: CsmsPolicy;
  readonly platform: PlatformBehaviour;
  private readonly sessionsById = new Map<string, CsmsSession>();
  private readonly frameListeners = new Set<FrameListener>();
  /** Reply overrides made while the charger was not connected, handed to its next session. */
  private readonly pendingReplies: PendingReply[] = [];
  private readonly sessionListeners = new Set<(s: CsmsSession) => void>();
  private readonly shared: CsmsShared;
  private readonly options: CsmsOptions;

  constructor(options: CsmsOptions) {
    this.options = options;
    this.clock = options.clock;
    this.sessionListeners.add((session) => this.handOverReplies(session));
    this.policy = {
      heartbeatIntervalSec: 300,
      registration: () => 'Accepted',
      authorize: () => ACCEPT_ALL,
      ...options.policy,
    };
    this.platform = { ...DEFAULT_PLATFORM, ...options.platform };
    const ids = options.transactionIds ?? { first: 1, stride: 1 };
    let txNext = ids.first;
    const nextTransactionId = (): number => {
      const id = txNext;
      txNext += ids.stride;
      return id;
    };
    this.shared = { nextTransactionId, accepted: new Set(), transactions: new Map() };
  }

  /** Binds a new connection; a second connection for the same id replaces the first. */
  attach(channel: FrameChannel, chargePointId: string, info: LinkSummary = {}): CsmsSession {
    const endpoint = new RpcEndpoint({
      channel,
      clock: this.clock,
      label: chargePointId,
      role: 'Csms',
      callTimeoutMs: this.options.callTimeoutMs,
      strictOutgoing: this.options.strictOutgoing,
      maxBadFrames: this.options.maxBadFrames,
    });
    for (const l of this.frameListeners) endpoint.onFrame(l);
    const old = this.sessionsById.get(chargePointId);
    if (old?.isOpen) old.endpoint.close(1001, 'replaced by a new connection');
    const session = new CsmsSession(chargePointId, endpoint, this.clock, this.policy, this.shared, info);
    this.sessionsById.set(chargePointId, session);
    this.closeIfNoBoot(session);
    if (this.platform.configureOnBoot) {
      session.subscribe({
        boot: (_boot, status) => {
          if (status === 'Accepted') queueMicrotask(() => void configureCharger(session));
        },
      });
    }
    const curtailW = this.platform.curtailW;
    if (curtailW !== undefined) {
      session.subscribe({
        transaction: (tx, phase) => {
          // a second later: the charger has taken StartTransaction.conf and knows the transactionId
          if (phase === 'started') this.clock.setTimeout(() => void curtailTransaction(session, tx.connectorId, tx.id, curtailW), 1_000);
        },
      });
    }
    for (const l of this.sessionListeners) l(session);
    return session;
  }

  /** Connections closed because they sent no BootNotification in time. */
  bootTimeouts = 0;

  private closeIfNoBoot(session: CsmsSession): void {
    const ms = this.options.bootTimeoutMs ?? BOOT_TIMEOUT_MS;
    if (ms <= 0) return;
    const timer = this.clock.setTimeout(() => {
      // a charger accepted before may come back without booting (OCPP 1.6: BootNotification after a reboot, not after a network drop)
      if (session.boot || !session.isOpen || this.shared.accepted.has(session.chargePointId)) return;
      this.bootTimeouts++;
      session.endpoint.close(1008, `no BootNotification within ${Math.round(ms / 1000)} s`);
    }, ms);
    const off = session.subscribe({
      boot: () => {
        timer.cancel();
        off();
      },
      closed: () => {
        timer.cancel();
        off();
      },
    });
  }

  session(chargePointId: string): CsmsSession | undefined {
    return this.sessionsById.get(chargePointId);
  }

  sessions(): CsmsSession[] {
    return [...this.sessionsById.values()];
  }

  transactions(): TransactionRecord[] {
    return [...this.shared.transactions.values()];
  }

  /** Frame events from every connection, present and future. */
  onFrame(listener: FrameListener): () => void {
    this.frameListeners.add(listener);
    const detach = [...this.sessionsById.values()].map((s) => s.endpoint.onFrame(listener));
    return () => {
      this.frameListeners.delete(listener);
      for (const d of detach) d();
    };
  }

  onSession(listener: (s: CsmsSession) => void): () => void {
    this.sessionListeners.add(listener);
    return () => this.sessionListeners.delete(listener);
  }

  /**
   * The CSMS answers the next CALL of `action` from `chargePointId` with `reply`: on its open
   * connection, or (not connected yet) on the next one. The returned function withdraws the
   * override, before or after it was handed to the connection, as long as it was not used.
   */
  overrideNextReply(chargePointId: string, action: ActionName, reply: ReplyOverride): () => void {
    const open = this.sessionsById.get(chargePointId);
    if (open?.isOpen) return open.overrideNext(action, reply);
    const entry: PendingReply = { chargePointId, action, reply };
    this.pendingReplies.push(entry);
    return () => {
      const i = this.pendingReplies.indexOf(entry);
      if (i >= 0) this.pendingReplies.splice(i, 1);
      else entry.cancel?.();
    };
  }

  private handOverReplies(session: CsmsSession): void {
    for (const p of this.pendingReplies.filter((q) => q.chargePointId === session.chargePointId)) {
      this.pendingReplies.splice(this.pendingReplies.indexOf(p), 1);
      p.cancel = session.overrideNext(p.action, p.reply);
    }
  }

  close(): void {
    for (const s of this.sessionsById.values()) s.endpoint.close(1001, 'CSMS shutting down');
  }
}

interface PendingReply {
  readonly chargePointId: string;
  readonly action: ActionName;
  readonly reply: ReplyOverride;
  cancel?: () => void;
}
