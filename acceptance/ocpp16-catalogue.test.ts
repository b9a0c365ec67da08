/**
 * Issue 11, acceptance: `chargecheck certify --listen … --profile ocpp16` (the built CLI, its own
 * process, real time, the generated test PKI) against ACME Wallbox — a charge point on ocpp-rpc's
 * RPCClient that chargecheck did not write — in another process. certify restarts it with Reset
 * before each case, as it would a real charger; with --non-interactive a case that needs a physical
 * act is "needs operator". Each case's verdict follows from what ACME implements.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../src/results/model.js';
import { BIN, buildDist, ROOT } from '../test/helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'acceptance-ocpp16-'));
const children: ChildProcess[] = [];

function start(args: string[], onLine: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
  return child;
}

beforeAll(() => buildDist());
afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

const EXPECTED = {
  TC_001_CS: 'pass', // Rejected boot retried after the interval (20 s, real time)
  TC_021_CS: 'pass',
  TC_040_1_CS: 'pass', // an unknown key is NotSupported
  TC_041_CS: 'needs-operator', // a fault is a physical act
  TC_054_CS: 'fail', // DiagnosticsStatusNotification / FirmwareStatusNotification triggers NotImplemented
  TC_055_CS: 'fail', // a trigger for connector 9 Accepted
  TC_058_1_CS: 'pass',
  TC_085_CS: 'pass',
} as const;

describe('acceptance: certify --profile ocpp16 ↔ ACME Wallbox (ocpp-rpc, another process), real time', () => {
  it('gives each case the verdict ACME deserves', async () => {
    const t0 = performance.now();
    const id = 'ACME-ACC-1';
    const password = 'acme-acceptance-key';
    const out = join(dir, 'report');
    let url: string | undefined;
    const output: string[] = [];
    const certify = start(
      [BIN, 'certify', '--listen', '127.0.0.1:0', '--charger', `${id}:${password}`, '--cert-dir', join(dir, 'certs'), '--profile', 'ocpp16',
        '--grep', `^(${Object.keys(EXPECTED).join('|')})\\b`, '--non-interactive', '--act-timeout', '5', '--connect-timeout', '120', '--reporter', 'terminal,json', '--out', out],
      (line) => {
        output.push(line);
        const m = /^certify listener: (wss:\/\/\S+)\/[^/]+$/.exec(line);
        if (m) url = m[1];
      },
    );
    const exited = new Promise<number | null>((resolve) => certify.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
    while (!url) await new Promise((r) => setTimeout(r, 50));
    start(['--import', 'tsx', 'acceptance/peers/acme-process.ts', url, id, password, join(dir, 'certs', 'ca.pem')], () => {});
    const code = await exited;
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunResult;
    const verdicts = Object.fromEntries((report.cases ?? []).map((c) => [c.id, c.verdict]));
    process.stdout.write(`ocpp16 catalogue vs ACME (other process, real time): ${JSON.stringify(verdicts)}; exit ${code}; ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    expect(report.mode).toBe('real');
    expect(verdicts, output.slice(-40).join('\n')).toEqual(EXPECTED);
    expect(code).toBe(1);
  });
});
