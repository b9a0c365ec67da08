import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCsmsServer, type CsmsServer } from '../src/csms/server.js';
import { createPki } from '../src/transport/pki.js';
import { LatencyHistogram } from '../src/swarm/histogram.js';
import { emptyActs, emptyTx, mergeSummaries, type SwarmSummary } from '../src/swarm/summary.js';
import { mergeSummaryDirs, readSummaryFile } from '../src/swarm/summary-files.js';
import { patternFrom } from '../src/swarm/swarm-scenario.js';

const ROOT = join(import.meta.dirname, '..');
const FLEET = 10;
const SHARDS = 3;

/** One shard as its own process, the way a Kubernetes Indexed Job pod runs it. */
const CHILD = `
import { readFileSync } from 'node:fs';
import { runSwarm } from './src/swarm/fleet.js';
import { writeSummaryFiles } from './src/swarm/summary-files.js';
import { parseShard } from './src/swarm/shard.js';
const e = process.env;
const summary = await runSwarm({
  csms: e.CSMS_URL, count: Number(e.COUNT), shard: parseShard(e.SHARD), password: e.PW, ca: readFileSync(e.CA_FILE, 'utf8'),
  durationSec: 2.5, rampPerSecond: 100,
  pattern: { occupancyByHour: Array(24).fill(0.9), initialSpreadSec: 0.3, meterIntervalSec: 1, meanSessionMinutes: 600 },
});
await writeSummaryFiles(e.OUT, summary);
`;

function runChild(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('sharded swarm in several processes', () => {
  let server: CsmsServer;
  let dir: string;
  beforeAll(async () => {
    const pki = await createPki();
    dir = await mkdtemp(join(tmpdir(), 'swarm-shards-'));
    await writeFile(join(dir, 'ca.pem'), pki.ca.cert);
    server = await startCsmsServer({ chargers: { '*': 'shard-secret' }, cert: pki.server, platform: { configureOnBoot: false } });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every id exactly once across the shards and merges their summaries exactly', async () => {
    const results = await Promise.all(
      Array.from({ length: SHARDS }, (_, i) =>
        runChild({ CSMS_URL: server.url, COUNT: String(FLEET), SHARD: `${i}/${SHARDS}`, PW: 'shard-secret', CA_FILE: join(dir, 'ca.pem'), OUT: join(dir, 'out', `shard-${i}`) }),
      ),
    );
    for (const r of results) expect(r.stderr).toBe('');
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);

    const ids = server.csms.sessions().map((s) => s.chargePointId).sort();
    expect(ids).toEqual(Array.from({ length: FLEET }, (_, i) => `P${String(i + 1).padStart(5, '0')}`));

    const shards: SwarmSummary[] = [];
    for (let i = 0; i < SHARDS; i++) shards.push(await readSummaryFile(join(dir, 'out', `shard-${i}`, 'summary.json')));
    expect(shards.map((s) => s.chargers)).toEqual([3, 3, 4]);

    const merged = await mergeSummaryDirs([join(dir, 'out')], join(dir, 'merged'));
    expect(merged).toMatchObject({ chargers: FLEET, connected: FLEET, booted: FLEET, errors: 0, missingShards: [] });
    expect(merged.shards.map((l) => l.shard)).toEqual(['0/3', '1/3', '2/3']);
    expect(merged.messages).toBe(shards.reduce((n, s) => n + s.messages, 0));
    // percentiles of the merge come from the summed buckets
    const summed = shards.map((s) => LatencyHistogram.fromJSON(s.latencyHistogram)).reduce((a, h) => a.merge(h), new LatencyHistogram());
    expect(merged.latencyHistogram.buckets).toEqual(summed.toJSON().buckets);
    expect(merged.latencyMs.p99).toBeCloseTo(summed.percentile(99), 3);
    expect(merged.latencyMs.count).toBe(shards.reduce((n, s) => n + s.latencyMs.count, 0));
    expect(merged.rssBytes).toBe(Math.max(...shards.map((s) => s.rssBytes)));
    const html = await readFile(join(dir, 'merged', 'summary.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
  });
});

describe('mergeSummaries', () => {
  const base = (shard: string, latencies: number[]): SwarmSummary => {
    const h = new LatencyHistogram();
    for (const v of latencies) h.record(v);
    return mergeSummaries([
      {
        kind: 'chargecheck-swarm-summary', version: 1, csms: 'wss://x/ocpp', idPrefix: 'P', fleetSize: 4,
        shards: [{ shard, chargers: 1, connected: 1, errors: 0, messages: 2, rssBytes: 100, latencyP99: 0, startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:01:00.000Z' }],
        missingShards: [], startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:01:00.000Z', durationSec: 60,
        chargers: 1, connected: 1, connectedAtEnd: 1, booted: 1, transactions: { started: 0, stopped: 0 }, messages: 2, messagesSent: 1, messagesReceived: 1, messagesPerSecond: 0,
        calls: { Heartbeat: { sent: 1, answered: 1, errors: 0 } }, errors: 0, errorsByCode: {},
        latencyMs: { p50: 0, p95: 0, p99: 0, max: 0, mean: 0, count: 0 }, latencyHistogram: h.toJSON(),
        steadyLatencyMs: { p50: 0, p95: 0, p99: 0, max: 0, mean: 0, count: 0 }, steadyLatencyHistogram: new LatencyHistogram().toJSON(), rampEndedAt: null, connectRatePerSec: 0,
        connectMs: { p50: 0, p95: 0, p99: 0, max: 0, mean: 0, count: 0 }, connectHistogram: new LatencyHistogram().toJSON(),
        rssBytes: 100, rssBytesTotal: 100, rssBytesPerCharger: 100, rssBaselineBytes: 0, unanswered: 0, quirkMix: '', quirks: {},
        csmsActs: emptyActs(), txMessages: emptyTx(), storm: null,
      },
    ]);
  };

  it('reports missing shards and refuses duplicates and other fleets', () => {
    const merged = mergeSummaries([base('0/4', [1]), base('2/4', [1000])]);
    expect(merged.missingShards).toEqual(['1/4', '3/4']);
    expect(merged.calls.Heartbeat).toEqual({ sent: 2, answered: 2, errors: 0 });
    expect(merged.latencyMs.p50).toBeCloseTo(1, 1); // not the average of the two shards' medians
    expect(() => mergeSummaries([base('0/4', []), base('0/4', [])])).toThrow(expect.objectContaining({ code: 'SWARM_DUPLICATE_SHARD' }));
    expect(() => mergeSummaries([base('0/4', []), { ...base('1/4', []), fleetSize: 5 }])).toThrow(expect.objectContaining({ code: 'SWARM_MERGE_MISMATCH' }));
    expect(() => mergeSummaries([])).toThrow(expect.objectContaining({ code: 'SWARM_NOTHING_TO_MERGE' }));
  });

  it('reads a swarm pattern and refuses unknown keys', () => {
    expect(patternFrom({ swarm: { timeScale: 24 } }, 'x.yaml')).toEqual({ timeScale: 24 });
    expect(() => patternFrom({ timescale: 24 }, 'x.yaml')).toThrow(expect.objectContaining({ code: 'SWARM_BAD_PATTERN' }));
    expect(() => patternFrom({ occupancyByHour: [1] }, 'x.yaml')).toThrow(expect.objectContaining({ code: 'SWARM_BAD_PATTERN' }));
  });
});
