/**
 * Where a CLI command reads and writes: the process's streams for the binary, captured buffers for
 * in-process tests. `main(argv, io)` makes `io` current while the command runs; commands write
 * through `cliIo()` instead of `process.stdout`, and wait for signals through `onSignal`. One
 * `main()` runs at a time per process (the binary runs one; tests call it one after the other).
 */
export type ShutdownSignal = 'SIGINT' | 'SIGTERM';

export interface CliOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: CliOutput & NodeJS.WritableStream;
  readonly stderr: CliOutput & NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Calls `fn` on each SIGINT/SIGTERM until the returned function is called. */
  onSignal(fn: (signal: ShutdownSignal) => void): () => void;
  /** Ends the process at once (a second SIGINT/SIGTERM); in-process callers record it instead. */
  exitNow(code: number): void;
}

export const processIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  onSignal(fn) {
    const int = () => fn('SIGINT');
    const term = () => fn('SIGTERM');
    process.on('SIGINT', int);
    process.on('SIGTERM', term);
    return () => {
      process.off('SIGINT', int);
      process.off('SIGTERM', term);
    };
  },
  exitNow(code) {
    process.exit(code);
  },
};

let current: CliIo = processIo;

/** The streams of the command that is running (the process's outside `main`). */
export function cliIo(): CliIo {
  return current;
}

/** Runs `fn` with `io` current; restores the previous one afterwards. */
export async function withCliIo<T>(io: CliIo, fn: () => Promise<T>): Promise<T> {
  const previous = current;
  current = io;
  try {
    return await fn();
  } finally {
    current = previous;
  }
}

/** True when colour is wanted on `out`: a TTY and NO_COLOR unset or empty (https://no-color.org). */
export function wantsColor(out: CliOutput, env: CliIo['env'] = cliIo().env): boolean {
  return out.isTTY === true && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}
