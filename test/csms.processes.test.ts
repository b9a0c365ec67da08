/**
 * `chargecheck csms --processes 2` as users run it (built bin/, real child processes sharing one
 * port through Node's cluster module) with a swarm over WSS: both workers take chargers, and
 * transaction ids never collide across them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSwarm } from '../src/swarm/fleet.js';

const ROOT = join(import.meta.dirname, '..');

describe('csms --processes 2', () => {
  let dir: string;
  let csms: ChildProcess;
  let url = '';
  let exited: Promise<number | null>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'csms-processes-'));
    csms = spawn(process.execPath, [join(ROOT, 'bin', 'chargecheck.js'), 'csms', '--listen', '127.0.0.1:0', '--charger', '*:cluster-secret-1', '--processes', '2', '--quiet',
      '--cert-dir', join(dir, 'certs'), '--trace', join(dir, 'trace.jsonl'), '--heartbeat', '60', '--curtail', '4000'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    exited = new Promise((resolve) => csms.once('exit', resolve));
    url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: csms.stdout! }).on('line', (line) => {
        const m = /listening on (wss:\/\/\S+)\/<id> \(2 processes\)/.exec(line);
        if (m) resolve(m[1]);
      });
      csms.once('exit', (code) => reject(new Error(`csms exited ${code}`)));
    });
  }, 30_000);
  afterAll(async () => {
    if (csms.exitCode === null) csms.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  });

  it('spreads a fleet over both workers with unique transaction ids, and stops on SIGTERM', async () => {
    const ca = await readFile(join(dir, 'certs', 'ca.pem'), 'utf8');
    const summary = await runSwarm({
      csms: url,
      count: 16,
      rampPerSecond: 200,
      password: 'cluster-secret-1',
      ca,
      durationSec: 3,
      pattern: { occupancyByHour: Array(24).fill(0.95), initialSpreadSec: 0.5, meanSessionMinutes: 600 },
    });
    expect(summary).toMatchObject({ chargers: 16, connected: 16, booted: 16, errors: 0, unanswered: 0 });
    expect(summary.transactions.started).toBeGreaterThan(4);
    // curtailed by whichever worker took the charger
    expect(summary.csmsActs.calls.SetChargingProfile.accepted).toBe(summary.transactions.started);

    csms.kill('SIGTERM');
    expect(await exited).toBe(0);
    const traces = (await readdir(dir)).filter((f) => f.startsWith('trace.jsonl.worker-')).sort();
    expect(traces).toEqual(['trace.jsonl.worker-0', 'trace.jsonl.worker-1']);
    const ids: number[] = [];
    const chargersPerWorker: number[] = [];
    for (const f of traces) {
      const lines = (await readFile(join(dir, f), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { connection: string; direction: string; raw: string });
      chargersPerWorker.push(new Set(lines.map((l) => l.connection)).size);
      const starts = new Set(lines.filter((l) => l.direction === 'in' && l.raw.includes('"StartTransaction"')).map((l) => (JSON.parse(l.raw) as [number, string])[1]));
      for (const l of lines) {
        if (l.direction !== 'out') continue;
        const frame = JSON.parse(l.raw) as [number, string, { transactionId?: number }];
        if (frame[0] === 3 && starts.has(frame[1])) ids.push(frame[2].transactionId!);
      }
    }
    expect(chargersPerWorker.every((n) => n > 0)).toBe(true);
    expect(chargersPerWorker.reduce((a, b) => a + b, 0)).toBe(16);
    expect(ids.length).toBe(summary.transactions.started);
    expect(new Set(ids).size).toBe(ids.length);
  }, 60_000);
});
