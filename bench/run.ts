/**
 * npm run bench — prints figures and ratios, asserts nothing, and writes every figure to
 * bench-results.json (BENCH_OUT to choose the file). BENCH_QUICK=1 for a short run;
 * BENCH_STEPS=1000,5000 to choose the fleet sizes; BENCH_HOLD=SECONDS for the steady window;
 * BENCH_QUIRK_MIX=ignore-limit=3%,… and BENCH_CURTAIL_W=W for a fleet the CSMS curtails;
 * BENCH_SKIP_RT=1 to skip the round-trip comparison.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import { createPki } from '../src/transport/pki.js';
import type { SwarmSummary } from '../src/swarm/summary.js';
import { roundTrips, type RoundTripResult } from './roundtrip.js';
import { tlsHandshakeRate } from './tls-handshakes.js';

const QUICK = process.env.BENCH_QUICK === '1';
const MiB = 1_048_576;
const fdLimit = Number(execSync('ulimit -n', { shell: '/bin/bash' }).toString().trim()) || 1024;
const results: Record<string, unknown> = {
  when: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryBytes: totalmem(), node: process.version, fdLimit, loadAverage: execSync('cat /proc/loadavg').toString().trim() },
};

function tsx(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script], { cwd: new URL('..', import.meta.url).pathname, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
}

/** JSON lines of a child, in order. */
function jsonLines(child: ChildProcess, on: (o: Record<string, unknown>) => void): void {
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      on(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not ours
    }
  });
}

async function benchRoundTrips(): Promise<void> {
  const pki = await createPki();
  const sizes = QUICK ? [1, 100] : [1, 100, 1_000];
  const seconds = QUICK ? 2 : 5;
  console.log(`\n== MeterValues round trips/s over WSS (validation both sides) vs raw ws echo, ~${seconds} s of fixed work each, one process`);
  console.log('connections   OCPP rt/s   raw ws rt/s   ratio (target >= 0.7)   round trips timed (OCPP / raw)');
  const rows: RoundTripResult[] = await roundTrips(pki, sizes, seconds);
  for (const r of rows) {
    console.log(`${String(r.connections).padStart(11)} ${r.ocppPerSec.toFixed(0).padStart(11)} ${r.rawPerSec.toFixed(0).padStart(13)}   ${r.ratio.toFixed(3).padStart(5)}                   ${r.ocppRoundTrips} / ${r.rawRoundTrips}`);
  }
  results.roundTrips = rows;
}

interface CsmsSample {
  rss: number;
  sessions: number;
  cpuMs: number;
  frames: number;
  at: number;
}

interface StepOut {
  summary: SwarmSummary;
  baselineRss: number;
  peakHeap: number;
  steady?: { cpuMs: number; messages: number; seconds: number };
}

const f1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '-');
const f3 = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : '-');

async function benchFleet(): Promise<void> {
  const steps = (process.env.BENCH_STEPS ?? (QUICK ? '500,2000' : '1000,5000,19500')).split(',').map(Number);
  const hold = Number(process.env.BENCH_HOLD ?? (QUICK ? 20 : 60));
  const maxFleet = fdLimit - 200;
  console.log(`\n== Fleet of the one charger model against the CSMS in another process (WSS + Basic auth, heartbeat 60 s, MeterValues 60 s after the platform's configuration)`);
  console.log(`ulimit -n = ${fdLimit}: one process can hold at most ~${maxFleet} connections${steps.some((s) => s > maxFleet) ? ' (larger steps are capped)' : ''}; load average now ${String((results.machine as { loadAverage: string }).loadAverage)}`);
  const csms = tsx('bench/csms-process.ts', process.env.BENCH_CURTAIL_W ? { CURTAIL_W: process.env.BENCH_CURTAIL_W } : {});
  let latest: CsmsSample | undefined;
  const first = new Promise<{ url: string; caFile: string; port: number }>((resolve) =>
    jsonLines(csms, (o) => {
      if (typeof o.url === 'string') resolve(o as unknown as { url: string; caFile: string; port: number });
      else latest = o as unknown as CsmsSample;
    }),
  );
  const { url, caFile, port } = await first;
  const ca = readFileSync(caFile, 'utf8');
  const rows: Record<string, unknown>[] = [];
  results.fleet = { hold, steps: rows };
  let largestHeld = 0;
  try {
    const concurrency = 200;
    for (const wanted of steps) {
      const count = Math.min(wanted, maxFleet);
      // the ceiling for the connect rate, measured right before the step, against the same CSMS
      const rawRate = await tlsHandshakeRate(port, ca, Math.min(2_000, Math.max(500, count)), concurrency);
      const child = tsx('bench/swarm-step.ts', { CSMS_URL: url, CA_FILE: caFile, COUNT: String(count), HOLD: String(hold), MAX_CONNECTING: String(concurrency), QUIRK_MIX: process.env.BENCH_QUIRK_MIX ?? '' });
      let csmsAtSteady: CsmsSample | undefined;
      let csmsAtEnd: CsmsSample | undefined;
      const r = await new Promise<StepOut>((resolve, reject) => {
        jsonLines(child, (o) => {
          if (o.event === 'steady') csmsAtSteady = latest;
          else if (o.event === 'end') csmsAtEnd = latest;
          else if (o.event === 'result') resolve(o as unknown as StepOut);
        });
        child.once('exit', (code) => reject(new Error(`swarm step exited ${code} before its result`)));
      });
      const s = r.summary;
      const connectRatio = s.connectRatePerSec / rawRate;
      // CPU per request/response (a CALL and its answer = 2 frames) over the steady window
      const swarmCpuPerRt = r.steady && r.steady.messages > 0 ? r.steady.cpuMs / (r.steady.messages / 2) : Number.NaN;
      const csmsCpuPerRt = csmsAtSteady && csmsAtEnd && csmsAtEnd.frames > csmsAtSteady.frames ? (csmsAtEnd.cpuMs - csmsAtSteady.cpuMs) / ((csmsAtEnd.frames - csmsAtSteady.frames) / 2) : Number.NaN;
      const perChargerKiB = s.rssBytesPerCharger / 1024;
      // the target's measure: RSS growth per charger from the smallest step (1,000 by default) to this one
      const base = rows[0] as { connected: number; peakRssBytes: number } | undefined;
      const growthPerCharger = base && s.connected > base.connected ? (s.rssBytes - base.peakRssBytes) / (s.connected - base.connected) : Number.NaN;
      const steadyN = s.steadyLatencyMs.count;
      const checks = {
        allConnected: s.connected === s.chargers,
        noErrors: s.errors === 0,
        noUnanswered: s.unanswered === 0,
        steadyP99Below200: steadyN > 0 && s.steadyLatencyMs.p99 < 200,
        bootStormP99Below1s: s.latencyMs.p99 < 1_000,
      };
      const held = Object.values(checks).every(Boolean);
      if (held) largestHeld = Math.max(largestHeld, count);
      const row = {
        chargers: count,
        connected: s.connected,
        errors: s.errors,
        errorsByCode: s.errorsByCode,
        sent: s.calls ? Object.values(s.calls).reduce((n, c) => n + c.sent, 0) : 0,
        unanswered: s.unanswered,
        inFlightAtEnd: s.inFlightAtEnd,
        messages: s.messages,
        connectPerSec: s.connectRatePerSec,
        rawTlsHandshakesPerSec: rawRate,
        connectRatio,
        steadyP50: s.steadyLatencyMs.p50,
        steadyP99: s.steadyLatencyMs.p99,
        steadyCount: steadyN,
        bootStormP99: s.latencyMs.p99,
        swarmCpuMsPerRequestResponse: swarmCpuPerRt,
        csmsCpuMsPerRequestResponse: csmsCpuPerRt,
        steadyWindow: r.steady,
        csmsWindow: csmsAtSteady && csmsAtEnd ? { cpuMs: csmsAtEnd.cpuMs - csmsAtSteady.cpuMs, frames: csmsAtEnd.frames - csmsAtSteady.frames, seconds: (csmsAtEnd.at - csmsAtSteady.at) / 1000 } : undefined,
        peakRssBytes: s.rssBytes,
        baselineRssBytes: r.baselineRss,
        rssPerChargerBytes: s.rssBytesPerCharger,
        rssGrowthPerChargerBytes: growthPerCharger,
        peakHeapBytes: r.peakHeap,
        csmsRssBytes: csmsAtEnd?.rss,
        checks,
        held,
        csmsActs: s.csmsActs,
        txMessages: s.txMessages,
      };
      rows.push(row);
      console.log(`\n-- ${count} chargers: ${held ? 'HELD' : 'not held'} ${held ? '' : JSON.stringify(Object.entries(checks).filter(([, v]) => !v).map(([k]) => k))}`);
      console.log(`   connected ${s.connected}/${count} · errors ${s.errors}${s.errors ? ` ${JSON.stringify(s.errorsByCode)}` : ''} · calls sent ${row.sent} − answered − errored − in flight at the stop (${s.inFlightAtEnd}) = unanswered ${s.unanswered} · frames ${s.messages}`);
      console.log(`   connect ${f1(s.connectRatePerSec)}/s beside raw TLS handshakes ${f1(rawRate)}/s (same CSMS, just before) = ${connectRatio.toFixed(2)} × raw (target ≥ 0.8)`);
      console.log(`   latency: boot storm (all calls) p99 ${f1(s.latencyMs.p99)} ms (target < 1000) · steady p50/p99 ${f1(s.steadyLatencyMs.p50)}/${f1(s.steadyLatencyMs.p99)} ms over ${steadyN} calls (target < 200)`);
      console.log(`   CPU per request/response over the steady window: swarm ${f3(swarmCpuPerRt)} ms (target ≤ 0.1) · CSMS ${f3(csmsCpuPerRt)} ms (target ≤ 0.05)`);
      console.log(`   RSS: peak ${(s.rssBytes / MiB).toFixed(0)} MiB − baseline ${(r.baselineRss / MiB).toFixed(0)} MiB = ${f1(perChargerKiB)} KiB per charger connected · growth from the ${base ? base.connected : '-'} step ${f1(growthPerCharger / 1024)} KiB per charger (target ≤ 64) · heap peak ${(r.peakHeap / MiB).toFixed(0)} MiB · CSMS RSS ${csmsAtEnd ? (csmsAtEnd.rss / MiB).toFixed(0) : '-'} MiB`);
    }
    results.largestHeld = largestHeld;
    console.log(`\nlargest fleet held (all connected, 0 errors, 0 unanswered, steady p99 < 200 ms, boot-storm p99 < 1 s): ${largestHeld}`);
  } finally {
    csms.kill('SIGTERM');
  }
}

if (process.env.BENCH_SKIP_RT !== '1') await benchRoundTrips();
await benchFleet();
const out = process.env.BENCH_OUT ?? 'bench-results.json';
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nevery figure: ${out}`);
