/**
 * npm run bench — prints figures and ratios, asserts nothing. BENCH_QUICK=1 for a short run;
 * BENCH_STEPS=2000,5000 to choose the fleet sizes; BENCH_HOLD=SECONDS for the hold per step.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { execSync } from 'node:child_process';
import { createPki } from '../src/transport/pki.js';
import type { SwarmSummary } from '../src/swarm/summary.js';
import { roundTrips } from './roundtrip.js';
import { tlsHandshakeRate } from './tls-handshakes.js';

const QUICK = process.env.BENCH_QUICK === '1';
const MiB = 1_048_576;
const fdLimit = Number(execSync('ulimit -n', { shell: '/bin/bash' }).toString().trim()) || 1024;

function tsx(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script], { cwd: new URL('..', import.meta.url).pathname, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`child exited ${code} before printing`)));
  });
}

async function benchRoundTrips(): Promise<void> {
  const pki = await createPki();
  const sizes = QUICK ? [1, 100] : [1, 100, 1_000];
  const seconds = QUICK ? 2 : 5;
  console.log(`\n== MeterValues round trips/s over WSS (validation both sides) vs raw ws echo, ${seconds} s each, one process`);
  console.log('connections   OCPP rt/s   raw ws rt/s   ratio (target >= 0.7)');
  for (const r of await roundTrips(pki, sizes, seconds)) {
    console.log(`${String(r.connections).padStart(11)} ${r.ocppPerSec.toFixed(0).padStart(11)} ${r.rawPerSec.toFixed(0).padStart(13)}   ${r.ratio.toFixed(2)}`);
  }
}

interface StepResult {
  summary: SwarmSummary;
  baselineRss: number;
  peakHeap: number;
  peakExternal: number;
}

async function benchFleet(): Promise<void> {
  const steps = (process.env.BENCH_STEPS ?? (QUICK ? '500,2000' : '2000,10000,19500')).split(',').map(Number);
  const hold = Number(process.env.BENCH_HOLD ?? (QUICK ? 20 : 65));
  const maxFleet = fdLimit - 200;
  console.log(`\n== Fleet against the CSMS in another process (WSS, heartbeat 60 s, MeterValues 60 s after the platform's configuration)`);
  console.log(`ulimit -n = ${fdLimit}: one process can hold at most ~${maxFleet} connections${steps.some((s) => s > maxFleet) ? ' (larger steps are capped)' : ''}`);
  const csms = tsx('bench/csms-process.ts', {});
  const { url, caFile, port } = JSON.parse(await firstLine(csms)) as { url: string; caFile: string; port: number };
  const ca = readFileSync(caFile, 'utf8');
  try {
    const concurrency = 200;
    const rawRate = await tlsHandshakeRate(port, ca, QUICK ? 500 : 2_000, concurrency);
    console.log(`raw TLS handshakes/s against the CSMS (no WebSocket, ${concurrency} in flight): ${rawRate.toFixed(0)}`);
    console.log('chargers  connected  connect/s  ratio-to-raw  errors  msgs   steady p50/p95/p99 ms  (n)     RSS/charger  heap/charger  held?');
    let largestHeld = 0;
    for (const wanted of steps) {
      const count = Math.min(wanted, maxFleet);
      const child = tsx('bench/swarm-step.ts', { CSMS_URL: url, CA_FILE: caFile, COUNT: String(count), DURATION: String(Math.ceil(count / 150) + hold), MAX_CONNECTING: String(concurrency) });
      const r = JSON.parse(await firstLine(child)) as StepResult;
      const s = r.summary;
      const perCharger = (s.rssBytes - r.baselineRss) / s.chargers;
      const heapPer = r.peakHeap / s.chargers;
      const held = s.connected === s.chargers && s.steadyLatencyMs.p99 < 200 && s.steadyLatencyMs.count > 0;
      if (held) largestHeld = Math.max(largestHeld, count);
      console.log(
        [
          String(count).padStart(8),
          String(s.connected).padStart(10),
          s.connectRatePerSec.toFixed(0).padStart(10),
          (s.connectRatePerSec / rawRate).toFixed(2).padStart(13),
          String(s.errors).padStart(7),
          String(s.messages).padStart(6),
          `${s.steadyLatencyMs.p50.toFixed(1)}/${s.steadyLatencyMs.p95.toFixed(1)}/${s.steadyLatencyMs.p99.toFixed(1)}`.padStart(22),
          `(${s.steadyLatencyMs.count})`.padStart(8),
          `${(perCharger / 1024).toFixed(1)} KiB`.padStart(12),
          `${(heapPer / 1024).toFixed(1)} KiB`.padStart(13),
          held ? '  yes' : '  no',
        ].join(' '),
      );
      if (Object.keys(s.errorsByCode).length) console.log(`          errors: ${JSON.stringify(s.errorsByCode)}`);
      console.log(`          peak RSS ${(s.rssBytes / MiB).toFixed(0)} MiB (baseline ${(r.baselineRss / MiB).toFixed(0)} MiB), in tx at end ≈ ${s.transactions.started - s.transactions.stopped}, all-calls p99 ${s.latencyMs.p99.toFixed(1)} ms`);
    }
    console.log(`largest fleet held at steady p99 < 200 ms: ${largestHeld} (target >= 20,000 in one process)`);
  } finally {
    csms.kill('SIGTERM');
  }
}

await benchRoundTrips();
await benchFleet();
