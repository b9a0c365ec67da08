import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/chargecheck.js');

/** A child process whose output can be awaited line by line (event-driven, no sleeping). */
class Proc {
  readonly child: ChildProcessWithoutNullStreams;
  text = '';
  private waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  constructor(args: string[]) {
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

let csms: Proc;
let url: string;
const certDir = mkdtempSync(join(tmpdir(), 'cc-sim-'));

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
  csms = new Proc(['csms', '--listen', '127.0.0.1:0', '--charger', 'SIM1:simulate-pw-123', '--cert-dir', certDir]);
  url = (await csms.waitFor(/listening on (wss:\/\/\S+)\/<id>/))[1];
});
afterAll(() => csms.child.kill());

describe('chargecheck simulate, typed at as a person would', () => {
  it('boots, charges on plug + tag, reports faults, stops on unplug and quits', async () => {
    const sim = new Proc(['simulate', '--csms', url, '--id', 'SIM1', '--password', 'simulate-pw-123', '--ca', join(certDir, 'ca.pem'), '--no-frames']);
    await sim.waitFor(/boot Accepted/);
    await csms.waitFor(/SIM1 connector 1 Available/);
    sim.type('plug 1');
    await sim.waitFor(/connector 1 → Preparing/);
    sim.type('tag RFID-7 1');
    await sim.waitFor(/transaction started on connector 1 for RFID-7/);
    await sim.waitFor(/connector 1 → Charging/);
    sim.type('status');
    await sim.waitFor(/connector 1: Charging · \d+\.\d+ kW/);
    sim.type('fault 1 GroundFailure');
    await csms.waitFor(/SIM1 connector 1 Faulted \(GroundFailure\)/);
    sim.type('clear 1');
    sim.type('teleport');
    await sim.waitFor(/error SIM_BAD_COMMAND: unknown command 'teleport'/);
    sim.type('unplug 1');
    await sim.waitFor(/transaction stopped on connector 1/);
    await csms.waitFor(/SIM1 transaction \d+ stopped \d+ Wh/);
    sim.type('quit');
    expect(await sim.exited()).toBe(0);
    expect(sim.text).toContain('stopped');
  });

  it('says clearly when the password is wrong, keeps running until told to stop, then exits 3 (it never connected)', async () => {
    const sim = new Proc(['simulate', '--csms', url, '--id', 'SIM1', '--password', 'nope', '--ca', join(certDir, 'ca.pem')]);
    await sim.waitFor(/connection failed: TRANSPORT_AUTH_REJECTED/);
    sim.type('status');
    await sim.waitFor(/link down/);
    sim.child.stdin.end();
    expect(await sim.exited()).toBe(3);
  });

  it('rejects an unknown quirk with exit 2', async () => {
    const sim = new Proc(['simulate', '--csms', url, '--id', 'SIM1', '--quirk', 'teleporting']);
    expect(await sim.exited()).toBe(2);
    expect(sim.text).toContain('CP_UNKNOWN_QUIRK');
  });
});
