/**
 * One step of the fleet-capacity bench, in its own process (its own fd limit and RSS): runs a
 * fleet of COUNT chargers against CSMS_URL for DURATION seconds and prints one JSON line with
 * the summary and the RSS before the fleet existed (so RSS per charger excludes the runtime).
 */
import { readFileSync } from 'node:fs';
import { runSwarm } from '../src/swarm/fleet.js';

const e = process.env;
const baselineRss = process.memoryUsage.rss();
const heapBefore = process.memoryUsage().heapUsed;
let peakHeap = 0;
let peakExternal = 0;
const summary = await runSwarm(
  {
    csms: e.CSMS_URL ?? '',
    count: Number(e.COUNT),
    rampPerSecond: Number(e.RAMP ?? 100_000),
    maxConnecting: Number(e.MAX_CONNECTING ?? 200),
    password: 'bench-secret',
    ca: readFileSync(e.CA_FILE ?? '', 'utf8'),
    durationSec: Number(e.DURATION),
    pattern: { occupancyByHour: Array(24).fill(0.5), initialSpreadSec: 30 },
    progressIntervalMs: 2_000,
  },
  (p) => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakExternal = Math.max(peakExternal, m.external + m.arrayBuffers);
    if (e.VERBOSE) process.stderr.write(`${JSON.stringify(p)}\n`);
  },
);
process.stdout.write(`${JSON.stringify({ summary, baselineRss, heapBefore, peakHeap, peakExternal })}\n`);
