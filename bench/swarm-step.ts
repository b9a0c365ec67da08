/**
 * One step of the fleet-capacity bench, in its own process (its own fd limit and RSS): runs a
 * fleet of COUNT chargers of the one charger model against CSMS_URL until HOLD seconds after the
 * ramp is over (and the boot storm settled), then prints JSON lines: {"event":"steady"} when the
 * steady window opens, {"event":"end"} when it closes, and finally the result with the summary,
 * the RSS before the fleet existed, and CPU and frames over the steady window.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { runSwarm } from '../src/swarm/fleet.js';
import { parseQuirkMix } from '../src/swarm/quirk-mix.js';

const e = process.env;
const baselineRss = process.memoryUsage.rss();
let peakHeap = 0;
let steadyAt: { cpu: NodeJS.CpuUsage; messages: number; at: number } | undefined;
let steadyEnd: { cpu: NodeJS.CpuUsage; messages: number; at: number } | undefined;
const say = (o: object): boolean => process.stdout.write(`${JSON.stringify(o)}\n`);
const hold = Number(e.HOLD ?? 60);
/** PROFILE=FILE: a CPU profile of the steady window only (where the cycles per message go). */
const profiler = e.PROFILE ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
}
const summary = await runSwarm(
  {
    csms: e.CSMS_URL ?? '',
    count: Number(e.COUNT),
    rampPerSecond: Number(e.RAMP ?? 100_000),
    maxConnecting: Number(e.MAX_CONNECTING ?? 200),
    password: 'bench-secret',
    ca: readFileSync(e.CA_FILE ?? '', 'utf8'),
    rssBaseline: baselineRss,
    holdAfterRampSec: hold,
    // a cap: the ramp plus the hold, with room for a slow ramp (the run normally ends at ramp + 10 s + hold)
    durationSec: Number(e.MAX_DURATION ?? 3_600),
    quirkMix: e.QUIRK_MIX ? parseQuirkMix(e.QUIRK_MIX) : undefined,
    pattern: { occupancyByHour: Array(24).fill(0.5), initialSpreadSec: 30 },
    progressIntervalMs: 1_000,
  },
  (p) => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    const mark = { cpu: process.cpuUsage(), messages: p.messages, at: Date.now() };
    if (p.steady && !steadyAt) {
      steadyAt = mark;
      say({ event: 'steady' });
      void profiler?.post('Profiler.start');
    }
    if (p.steady) steadyEnd = mark;
    if (e.VERBOSE) process.stderr.write(`${JSON.stringify(p)}\n`);
  },
);
say({ event: 'end' });
if (profiler && e.PROFILE) {
  const { profile } = await profiler.post('Profiler.stop');
  writeFileSync(e.PROFILE, JSON.stringify(profile));
}
let steady: { cpuMs: number; messages: number; seconds: number } | undefined;
if (steadyAt && steadyEnd && steadyEnd !== steadyAt) {
  const endCpu = steadyEnd.cpu;
  const cpuMs = (endCpu.user - steadyAt.cpu.user + endCpu.system - steadyAt.cpu.system) / 1000;
  steady = { cpuMs, messages: steadyEnd.messages - steadyAt.messages, seconds: (steadyEnd.at - steadyAt.at) / 1000 };
}
say({ event: 'result', summary, baselineRss, peakHeap, steady });
