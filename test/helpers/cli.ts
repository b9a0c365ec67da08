import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CliIo, ShutdownSignal } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/chargecheck.js', import.meta.url));
const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/**
 * For tests that spawn the built binary: dist/ is built once by the global setup, before any test
 * file runs; this only checks it is there (test files used to rebuild it in parallel, racing).
 */
export function buildDist(): void {
  if (!existsSync(MAIN)) throw new Error('dist/cli/main.js is missing: run the tests through vitest (its global setup builds dist/ once)');
}

/** Collects what a command writes. */
class Capture extends Writable {
  text = '';
  readonly isTTY: boolean;
  constructor(tty = false) {
    super();
    this.isTTY = tty;
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface InProcessOptions {
  /** Working directory while the command runs (process.chdir; restored afterwards). */
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Lines for stdin; stdin ends after them (default: empty). `null`: stdin stays open (write to `stdin`). */
  stdin?: string | null;
  /** Makes stdout and stderr claim to be terminals. */
  tty?: boolean;
}

export interface InProcessCli {
  /** Resolves with the exit code main() returns. */
  readonly done: Promise<CliResult>;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Delivers SIGINT/SIGTERM to the command as the process would. */
  signal(sig: ShutdownSignal): void;
  /** Exit codes the command asked for with exitNow (a second signal). */
  readonly exitNow: number[];
  readonly stdin: PassThrough;
}

/**
 * Runs `chargecheck ARGS` in this process through main(argv, io): no build, no process start, the
 * streams captured. One at a time (main() makes its io current for the process).
 */
export function startMain(args: readonly string[], options: InProcessOptions = {}): InProcessCli {
  const stdout = new Capture(options.tty);
  const stderr = new Capture(options.tty);
  const stdin = new PassThrough();
  if (options.stdin !== null) stdin.end(options.stdin ?? '');
  const handlers = new Set<(s: ShutdownSignal) => void>();
  const exitNow: number[] = [];
  const io: CliIo = {
    stdout,
    stderr,
    stdin,
    env: { ...(options.env ?? {}) },
    onSignal(fn) {
      handlers.add(fn);
      return () => handlers.delete(fn);
    },
    exitNow: (code) => void exitNow.push(code),
  };
  const previous = process.cwd();
  if (options.cwd) process.chdir(options.cwd);
  const done = main(['node', 'chargecheck', ...args], io)
    .catch((err: unknown) => {
      stderr.text += `internal error: ${err instanceof Error ? err.message : String(err)}\n`;
      return 4;
    })
    .then((code) => {
      if (options.cwd) process.chdir(previous);
      return { code, stdout: stdout.text, stderr: stderr.text };
    });
  return {
    done,
    stdout: () => stdout.text,
    stderr: () => stderr.text,
    signal: (sig) => {
      for (const h of [...handlers]) h(sig);
    },
    exitNow,
    stdin,
  };
}

/** Runs `chargecheck ARGS` in this process to completion (see startMain). */
export function runMain(args: readonly string[], options: InProcessOptions = {}): Promise<CliResult> {
  return startMain(args, options).done;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/chargecheck.js ARGS` to completion. */
export function runCli(args: readonly string[], cwd: string): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A long-running CLI process (e.g. `chargecheck csms`) whose output lines can be awaited. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly stderr: () => string;
  /** Resolves with the first stdout line (past or future) matching `re`; rejects if the process exits first. */
  waitForLine(re: RegExp): Promise<RegExpExecArray>;
  /** Sends `signal` (default SIGINT) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

export function startCli(args: readonly string[], cwd: string): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (let i = waiters.length - 1; i >= 0; i--) {
        const m = waiters[i].re.exec(line);
        if (m) {
          waiters[i].resolve(m);
          waiters.splice(i, 1);
        }
      }
    }
  });
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine(re) {
      for (const line of lines) {
        const m = re.exec(line);
        if (m) return Promise.resolve(m);
      }
      return new Promise((resolve, reject) => {
        waiters.push({ re, resolve });
        void exited.then((code) => reject(new Error(`chargecheck exited (${code}) before printing ${re}; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`)));
      });
    },
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
