import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { BIN, ROOT } from './cli.js';

/**
 * The built CLI as a child process whose output can be awaited by pattern (event-driven, no
 * sleeping) and typed at on stdin, as a person at a terminal would.
 */
export class CliChild {
  readonly child: ChildProcessWithoutNullStreams;
  text = '';
  private waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    const onData = (d: Buffer) => {
      this.text += d.toString();
      this.waiters = this.waiters.filter((w) => {
        const m = this.text.match(w.re);
        if (m) w.resolve(m);
        return !m;
      });
    };
    this.child.stdout.on('data', onData);
    this.child.stderr.on('data', onData);
  }

  /** Resolves with the first match of `re` in everything printed so far; rejects if the process exits first. */
  waitFor(re: RegExp): Promise<RegExpMatchArray> {
    const m = this.text.match(re);
    if (m) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      this.waiters.push({ re, resolve });
      this.child.once('exit', () => setImmediate(() => (this.text.match(re) ? resolve(this.text.match(re)!) : reject(new Error(`exited before ${re}:\n${this.text}`)))));
    });
  }

  type(line: string): void {
    this.child.stdin.write(line + '\n');
  }

  exited(): Promise<number> {
    return new Promise((resolve) => (this.child.exitCode !== null ? resolve(this.child.exitCode) : this.child.once('exit', (c) => resolve(c ?? -1))));
  }
}
