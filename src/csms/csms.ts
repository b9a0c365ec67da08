import type { Clock } from '../clock/clock.js';
import type { ActionName } from '../ocpp/catalogue.js';
import type { ReplyOverride } from '../rpc/port.js';
import type { IdTagInfo } from '../ocpp/types.js';
import type { FrameChannel } from '../rpc/channel.js';
import { RpcEndpoint } from '../rpc/endpoint.js';
import type { FrameListener } from '../rpc/frames.js';
import type { PemPair } from '../transport/pki.js';
import { csrSigner } from './cert-signer.js';
import { configureCharger, curtailTransaction, DEFAULT_PLATFORM, type PlatformBehaviour } from './platform.js';
import { actLikeThePlatform } from './platform-acts.js';
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
  /** A CA (certificate and key) to sign chargers' CSRs with: SignCertificate → CertificateSigned. */
  certificateAuthority?: PemPair;
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
  /** Scripted replies not used yet, in order; each is on its charger's open session, if any. */
  private readonly scriptedReplies: ScriptedReply[] = [];
  private readonly sessionListeners = new Set<(s: CsmsSession) => void>();
  private readonly shared: CsmsShared;
  private readonly options: CsmsOptions;
  /** Chargers that completed a first accepted boot (the platform triggers only after that one). */
  private readonly everBooted = new Set<string>();

  constructor(options: CsmsOptions) {
    this.options = options;
    this.clock = options.clock;
    this.sessionListeners.add((session) => this.handOverReplies(session));
    this.policy = {
      heartbeatIntervalSec: 300,
      registration: () => 'Accepted',
      authorize: () => ACCEPT_ALL,
      ...(options.certificateAuthority ? { signer: csrSigner({ ca: options.certificateAuthority, clock: options.clock }) } : {}),
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
    if (this.platform.sessionActs) actLikeThePlatform(session, this.clock, this.everBooted);
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
   * The CSMS answers the next CALL of `action` from `chargePointId` with `reply`, on whichever
   * connection that CALL comes: the open one, or (not connected yet, or it reconnects before using
   * it — a real charger restarted by a Reset) the next. The returned function withdraws it as long
   * as it was not used.
   */
  overrideNextReply(chargePointId: string, action: ActionName, reply: ReplyOverride): () => void {
    const entry: ScriptedReply = { chargePointId, action, reply };
    this.scriptedReplies.push(entry);
    const open = this.sessionsById.get(chargePointId);
    if (open?.isOpen) entry.cancel = open.overrideNext(action, reply);
    return () => {
      const i = this.scriptedReplies.indexOf(entry);
      if (i < 0) return;
      this.scriptedReplies.splice(i, 1);
      entry.cancel?.();
    };
  }

  /** Whether an answer to `action` from `chargePointId` is scripted and not used yet. */
  hasScriptedReply(chargePointId: string, action: ActionName): boolean {
    return this.scriptedReplies.some((q) => q.chargePointId === chargePointId && q.action === action);
  }

  /**
   * Stops carrying `chargePointId`'s unused scripted replies to later connections (the end of the
   * scenario that made them); ones already on the open connection stay there.
   */
  forgetScriptedReplies(chargePointId: string): void {
    for (let i = this.scriptedReplies.length - 1; i >= 0; i--) if (this.scriptedReplies[i].chargePointId === chargePointId) this.scriptedReplies.splice(i, 1);
  }

  /** A new connection takes over the charger's unused scripted replies; a CALL of the action uses one up. */
  private handOverReplies(session: CsmsSession): void {
    const id = session.chargePointId;
    for (const e of this.scriptedReplies.filter((q) => q.chargePointId === id)) {
      e.cancel?.();
      e.cancel = session.overrideNext(e.action, e.reply);
    }
    session.subscribe({
      call: (action) => {
        const i = this.scriptedReplies.findIndex((q) => q.chargePointId === id && q.action === action);
        if (i >= 0) this.scriptedReplies.splice(i, 1);
      },
    });
  }

  close(): void {
    for (const s of this.sessionsById.values()) s.endpoint.close(1001, 'CSMS shutting down');
  }
}

interface ScriptedReply {
  readonly chargePointId: string;
  readonly action: ActionName;
  readonly reply: ReplyOverride;
  cancel?: () => void;
}
