/**
 * Where a charger's bytes go: runs COUNT chargers against CSMS_URL, waits until they are all
 * connected and booted, writes a V8 heap snapshot and prints the retained-size census by
 * constructor (self sizes, top 25) and process.memoryUsage per charger. For docs/performance.md.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { runSwarm } from '../src/swarm/fleet.js';

const e = process.env;
const count = Number(e.COUNT ?? 2000);
const before = process.memoryUsage();
const controller = new AbortController();
let snapshotTaken = false;
const run = runSwarm(
  { csms: e.CSMS_URL ?? '', count, rampPerSecond: 100_000, password: 'bench-secret', ca: readFileSync(e.CA_FILE ?? '', 'utf8'), durationSec: 600, signal: controller.signal, pattern: { occupancyByHour: Array(24).fill(0.5), initialSpreadSec: 5 }, progressIntervalMs: 1_000 },
  (p) => {
    if (snapshotTaken || p.booted < count || p.elapsedSec < 15) return;
    snapshotTaken = true;
    const m = process.memoryUsage();
    const file = writeHeapSnapshot(join(tmpdir(), `swarm-${process.pid}.heapsnapshot`));
    const snap = JSON.parse(readFileSync(file, 'utf8')) as { snapshot: { meta: { node_fields: string[]; node_types: string[][] } }; nodes: number[]; strings: string[] };
    unlinkSync(file);
    const f = snap.snapshot.meta.node_fields;
    const [typeI, nameI, sizeI] = [f.indexOf('type'), f.indexOf('name'), f.indexOf('self_size')];
    const types = snap.snapshot.meta.node_types[0];
    const census = new Map<string, number>();
    for (let i = 0; i < snap.nodes.length; i += f.length) {
      const t = types[snap.nodes[i + typeI]];
      const key = t === 'object' || t === 'closure' ? `${t}:${snap.strings[snap.nodes[i + nameI]]}` : t;
      census.set(key, (census.get(key) ?? 0) + snap.nodes[i + sizeI]);
    }
    const total = [...census.values()].reduce((a, b) => a + b, 0);
    console.log(`heap snapshot: ${(total / 1_048_576).toFixed(1)} MiB self size, ${(total / count / 1024).toFixed(1)} KiB per charger`);
    for (const [k, v] of [...census].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(v / count).toFixed(0).padStart(8)} B/charger  ${k}`);
    const per = (a: number, b: number): string => `${((a - b) / count / 1024).toFixed(1)} KiB`;
    console.log(`per charger: rss ${per(m.rss, before.rss)}, heapUsed ${per(m.heapUsed, before.heapUsed)}, external ${per(m.external, before.external)}, arrayBuffers ${per(m.arrayBuffers, before.arrayBuffers)}`);
    controller.abort();
  },
);
await run;
