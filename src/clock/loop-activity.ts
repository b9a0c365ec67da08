import { createHook, executionAsyncResource } from 'node:async_hooks';

/**
 * What the event loop of this process is doing, seen through async_hooks, for the virtual clock:
 * - `events` counts callbacks the loop ran (socket reads and writes, TLS steps, timers, immediates,
 *   nextTicks) except promise reactions and the tracker's own turns;
 * - `pending` counts one-shot requests in flight (fs, DNS, connect, write, crypto/zlib jobs on the
 *   thread pool), which end with a callback whenever the work is done, however long it takes.
 * No wall time anywhere: the loop is idle when a whole turn ran no callback and nothing is pending.
 *
 * Enabled when the first VirtualClock is made and never disabled: real-time runs and the swarm
 * never pay for the hooks.
 */
class LoopActivity {
  events = 0;
  private readonly inFlight = new Map<number, { type: string; job?: { ondone?: unknown } }>();
  private readonly own = new WeakSet<object>();
  private waiters: (() => void)[] = [];
  private enabled = false;
  /** Work done by another process (a hook's child, an HTTP peer) that this loop cannot see. */
  private external = 0;

  get pending(): number {
    // A crypto job run synchronously (randomFillSync, pbkdf2Sync …) is created like an async one
    // but never calls back; only async ones get an `ondone` callback. Drop the others.
    for (const [id, entry] of this.inFlight) if (entry.job && typeof entry.job.ondone !== 'function') this.inFlight.delete(id);
    return this.inFlight.size + this.external;
  }

  /**
   * Counts `work` as pending until it settles: for work another process does (a child process, a
   * request to a server in another process), which shows no callback here while it runs. Event
   * driven: the settle waits for the promise, never for a span of wall time.
   */
  track<T>(work: Promise<T>): Promise<T> {
    this.external++;
    const done = (): void => {
      this.external--;
      this.wake();
    };
    work.then(done, done);
    return work;
  }

  enable(): void {
    if (this.enabled) return;
    this.enabled = true;
    createHook({
      init: (asyncId, type, _trigger, resource) => {
        if (type === 'PROMISE' || !ONE_SHOT.test(type)) return;
        this.inFlight.set(asyncId, CRYPTO_JOB.test(type) ? { type, job: resource as { ondone?: unknown } } : { type });
      },
      before: (asyncId) => {
        const resource = executionAsyncResource();
        if (resource instanceof Promise || this.own.has(resource)) return;
        this.events++;
        if (this.inFlight.delete(asyncId)) this.wake();
      },
      destroy: (asyncId) => {
        if (this.inFlight.delete(asyncId)) this.wake();
      },
    }).enable();
  }

  /** The types of the requests in flight (diagnosis). */
  pendingTypes(): string[] {
    return [...this.inFlight.values()].map((e) => e.type);
  }

  /** One full loop turn (poll phase included) that is not counted as activity. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      const immediate = setImmediate(resolve);
      this.own.add(immediate);
    });
  }

  /** Resolves when a pending request completes (at once when none is pending). */
  requestsDone(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/**
 * Request types that complete exactly once (Node's async resource types): fs and DNS requests,
 * connects, stream writes and shutdowns, and thread-pool crypto jobs (not zlib: a ZLIB handle is
 * reused by a stream, so it does not end after one callback).
 */
const ONE_SHOT = /^(FSREQ|GETADDRINFOREQWRAP|GETNAMEINFOREQWRAP|QUERY|TCPCONNECTWRAP|PIPECONNECTWRAP|WRITEWRAP|SHUTDOWNWRAP|.*REQUEST$|.*JOB$)/;

const CRYPTO_JOB = /(REQUEST|JOB)$/;

export const loopActivity = new LoopActivity();
