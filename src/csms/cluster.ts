import cluster from 'node:cluster';
import { ChargecheckError } from '../errors.js';

/** Set in each worker's environment: `I/N`. */
const WORKER_ENV = 'CHARGECHECK_CSMS_WORKER';

export interface WorkerSlot {
  index: number;
  count: number;
}

/** This process's slot when it is a `csms --processes N` worker; undefined otherwise. */
export function csmsWorkerSlot(): WorkerSlot | undefined {
  if (!cluster.isWorker) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(process.env[WORKER_ENV] ?? '');
  return m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
}

/** Transaction ids a worker hands out: I+1, I+1+N, … (never the same id from two workers). */
export function transactionIdsFor(slot: WorkerSlot | undefined): { first: number; stride: number } | undefined {
  return slot ? { first: slot.index + 1, stride: slot.count } : undefined;
}

/** A worker tells the primary it listens. */
export function reportListening(url: string): void {
  process.send?.({ chargecheckCsms: 'listening', url });
}

/** A worker that has closed its server lets go of the primary's IPC channel, so it can exit. */
export function leaveCluster(): void {
  if (cluster.isWorker && process.connected) process.disconnect();
}

/**
 * `csms --processes N`, the primary: forks N workers of this same command (Node's cluster module,
 * so they share the one listening port and the kernel spreads connections over them), calls
 * `onListening` once all N listen, and resolves when they have all exited. SIGINT/SIGTERM (or
 * `signal`) stops them. A worker that dies is not replaced: the run is a measurement, not a service.
 */
export async function runCsmsPrimary(n: number, onListening: (url: string) => void, onExit: (index: number, code: number | null) => void, signal: AbortSignal): Promise<void> {
  if (!Number.isInteger(n) || n < 1) throw new ChargecheckError('CLI_BAD_NUMBER', `--processes takes a positive whole number, got '${n}'`);
  let listening = 0;
  const exits: Promise<void>[] = [];
  const workers = Array.from({ length: n }, (_, index) => {
    const worker = cluster.fork({ [WORKER_ENV]: `${index}/${n}` });
    worker.on('message', (m: { chargecheckCsms?: string; url?: string }) => {
      if (m.chargecheckCsms === 'listening' && ++listening === n && m.url) onListening(m.url);
    });
    exits.push(new Promise((resolve) => worker.once('exit', (code) => resolve(onExit(index, code)))));
    return worker;
  });
  const stop = (): void => {
    for (const w of workers) if (!w.isDead()) w.process.kill('SIGTERM');
  };
  signal.addEventListener('abort', stop, { once: true });
  await Promise.all(exits);
  signal.removeEventListener('abort', stop);
}
