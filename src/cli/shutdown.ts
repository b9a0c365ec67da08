import { ChargecheckError } from '../errors.js';
import { cliIo, type ShutdownSignal } from './io.js';

/** Exit codes of a run stopped by a signal (128 + the signal's number, as shells report it). */
export const SIGNAL_EXIT: Readonly<Record<ShutdownSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/** Resolves on SIGINT or SIGTERM. */
export function waitForShutdown(): Promise<ShutdownSignal> {
  return new Promise((resolve) => {
    const off = cliIo().onSignal((signal) => {
      off();
      resolve(signal);
    });
  });
}

export interface Interruption {
  /** Aborts on the first SIGINT/SIGTERM; its reason is a RUN_INTERRUPTED error with `details.exitCode`. */
  readonly signal: AbortSignal;
  /** Stops listening (call when the command is done). */
  dispose(): void;
}

/**
 * For `run` and `swarm`: the first SIGINT/SIGTERM stops the work cleanly (the command still writes
 * every report with what was recorded, then exits 130 / 143); a second one exits at once.
 */
export function interruptOnSignals(what: string): Interruption {
  const io = cliIo();
  const abort = new AbortController();
  const off = io.onSignal((sig) => {
    if (abort.signal.aborted) {
      io.stderr.write(`${sig} again: exiting without reports\n`);
      io.exitNow(SIGNAL_EXIT[sig]);
      return;
    }
    io.stderr.write(`${sig}: stopping ${what} and writing reports (send it again to exit at once)\n`);
    abort.abort(new ChargecheckError('RUN_INTERRUPTED', `${sig} received`, { signal: sig, exitCode: SIGNAL_EXIT[sig] }));
  });
  return { signal: abort.signal, dispose: off };
}
