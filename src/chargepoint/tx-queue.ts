import type { Timer } from '../clock/clock.js';
import { isChargecheckError } from '../errors.js';
import type { RequestOf, ResponseOf } from '../ocpp/types.js';
import type { Link } from './link.js';
import type { QueuedMessage } from './types.js';

export type TxAction = QueuedMessage['action'];

export interface TxQueueDeps {
  link: Link;
  /** TransactionMessageAttempts / TransactionMessageRetryInterval (s). */
  attempts(): number;
  retryIntervalS(): number;
  after(ms: number, fn: () => void): Timer;
  log(line: string, code?: string): void;
  /** Called after every change to the queue (persist). */
  changed(): void;
  /** StartTransaction answered, or given up (transactionId -1, conf undefined). */
  startDone(localTxId: number, transactionId: number, conf: ResponseOf<'StartTransaction'> | undefined): void;
}

/** After a timeout (connection still up) the head is retried this much later. */
const TIMEOUT_RETRY_MS = 10_000;

/**
 * The transaction-related messages (Start, Stop, sampled and aligned MeterValues) in order
 * (digest §11): one at a time, held while offline or not Accepted, resent per
 * TransactionMessageAttempts / TransactionMessageRetryInterval on CALLERROR. A Stop or
 * MeterValues gets the transactionId its Start received when it is sent (-1 if it never got one).
 */
export class TxQueue {
  items: QueuedMessage[];
  nextSeq: number;
  /** localTxId -> CSMS transactionId. */
  readonly txIds: Map<number, number>;
  /** Messages put in, answered, and dropped (given up after CALLERRORs, or lost by `lose-queue`). */
  readonly counts = { enqueued: 0, delivered: 0, dropped: 0 };
  private busy = false;
  private retry?: Timer;
  private drainWaiter?: { connectorId: number; fn: () => void }[];
  /** localTxId -> connector, learnt from the messages (a Stop carries no connectorId). */
  private readonly txConnector = new Map<number, number>();

  constructor(
    private readonly deps: TxQueueDeps,
    saved?: { queue: QueuedMessage[]; nextSeq: number; txIds: Record<string, number> },
  ) {
    this.items = saved?.queue.map((m) => ({ ...m })) ?? [];
    this.nextSeq = saved?.nextSeq ?? 1;
    this.txIds = new Map(Object.entries(saved?.txIds ?? {}).map(([k, v]) => [Number(k), v]));
    for (const m of this.items) this.learnConnector(m.localTxId, m.payload.connectorId);
  }

  private learnConnector(localTxId: number | undefined, connectorId: unknown): void {
    if (localTxId !== undefined && typeof connectorId === 'number') this.txConnector.set(localTxId, connectorId);
  }

  get length(): number {
    return this.items.length;
  }

  /** `connectorId`: the transaction's connector, for messages that do not carry it (StopTransaction). */
  enqueue<A extends TxAction>(action: A, payload: RequestOf<A>, localTxId?: number, connectorId?: number): void {
    this.learnConnector(localTxId, connectorId ?? (payload as { connectorId?: unknown }).connectorId);
    const msg: QueuedMessage = {
      seq: this.nextSeq++,
      action,
      payload: payload as unknown as Record<string, unknown>,
      attempts: 0,
      offline: !this.deps.link.ready,
    };
    if (localTxId !== undefined) msg.localTxId = localTxId;
    this.counts.enqueued++;
    this.items.push(msg);
    this.deps.changed();
    this.pump();
  }

  /** The `lose-queue` quirk: what was queued while offline is dropped on reconnect. */
  dropOffline(): number {
    const before = this.items.length;
    this.items = this.items.filter((m) => !m.offline || (this.busy && m === this.items[0]));
    const dropped = before - this.items.length;
    this.counts.dropped += dropped;
    if (dropped > 0) this.deps.changed();
    return dropped;
  }

  /** Stops retry timers (power off). */
  stop(): void {
    this.drainWaiter = undefined;
    this.retry?.cancel();
    this.retry = undefined;
  }

  /** Sends the head if possible; continues until empty, offline or waiting for a retry. */
  pump(): void {
    if (this.busy || this.retry || !this.deps.link.ready) return;
    const head = this.items[0];
    if (!head) return;
    this.busy = true;
    const payload = this.payloadOf(head);
    this.deps.link.call(head.action, payload as never).then(
      (conf) => {
        this.busy = false;
        this.remove(head);
        this.counts.delivered++;
        if (head.action === 'StartTransaction' && head.localTxId !== undefined) {
          const start = conf as ResponseOf<'StartTransaction'>;
          this.txIds.set(head.localTxId, start.transactionId);
          this.deps.startDone(head.localTxId, start.transactionId, start);
        }
        this.deps.changed();
        this.pump();
      },
      (err: unknown) => {
        this.busy = false;
        this.failed(head, err);
      },
    );
  }

  private payloadOf(msg: QueuedMessage): Record<string, unknown> {
    if (msg.action === 'StartTransaction' || msg.localTxId === undefined) return msg.payload;
    return { ...msg.payload, transactionId: this.txIds.get(msg.localTxId) ?? -1 };
  }

  private remove(msg: QueuedMessage): void {
    this.items = this.items.filter((m) => m !== msg);
    this.fireDrained();
  }

  /** True while a queued message concerns `connectorId` (its own connectorId, or its Start's). */
  holdsFor(connectorId: number): boolean {
    return this.items.some((m) => m.payload.connectorId === connectorId || (m.localTxId !== undefined && this.txConnector.get(m.localTxId) === connectorId));
  }

  /**
   * Calls `fn` once no queued message concerns `connectorId` (at once if none does). A later call
   * replaces the waiters (one boot's status report at a time); stop() drops them.
   */
  whenClearFor(waiters: { connectorId: number; fn: () => void }[]): void {
    this.drainWaiter = waiters;
    this.fireDrained();
  }

  private fireDrained(): void {
    const waiters = this.drainWaiter;
    if (!waiters) return;
    const ready = waiters.filter((w) => !this.holdsFor(w.connectorId));
    this.drainWaiter = waiters.filter((w) => !ready.includes(w));
    if (this.drainWaiter.length === 0) this.drainWaiter = undefined;
    for (const w of ready) w.fn();
  }

  private failed(head: QueuedMessage, err: unknown): void {
    if (isChargecheckError(err, 'RPC_CALLERROR')) {
      head.attempts++;
      const max = Math.max(1, this.deps.attempts());
      if (head.attempts >= max) {
        this.deps.log(`${head.action} #${head.seq} given up after ${head.attempts} CALLERROR answers`, 'CP_TX_MESSAGE_DROPPED');
        this.remove(head);
        this.counts.dropped++;
        if (head.action === 'StartTransaction' && head.localTxId !== undefined) {
          this.txIds.set(head.localTxId, -1);
          this.deps.startDone(head.localTxId, -1, undefined);
        }
        this.deps.changed();
        this.pump();
        return;
      }
      this.deps.changed();
      this.schedule(this.deps.retryIntervalS() * 1000 * head.attempts);
      return;
    }
    if (isChargecheckError(err, 'RPC_TIMEOUT') && this.deps.link.ready) {
      this.schedule(TIMEOUT_RETRY_MS);
      return;
    }
    // closed / offline: wait for the next connection, which calls pump()
  }

  private schedule(ms: number): void {
    this.retry = this.deps.after(ms, () => {
      this.retry = undefined;
      this.pump();
    });
  }

  toJSON(): { queue: QueuedMessage[]; nextSeq: number; txIds: Record<string, number> } {
    return { queue: this.items.map((m) => ({ ...m })), nextSeq: this.nextSeq, txIds: Object.fromEntries([...this.txIds].map(([k, v]) => [String(k), v])) };
  }
}
