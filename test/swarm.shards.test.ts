import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCsmsServer, type CsmsServer } from '../src/csms/server.js';
import { createPki } from '../src/transport/pki.js';
import { LatencyHistogram } from '../src/swarm/histogram.js';
import { emptyActs, emptyTx, mergeSummaries, type SwarmSummary } from '../src/swarm/summary.js';
import { readSummaryFile } from '../src/swarm/summary-files.js';
import { patternFrom } from '../src/swarm/swarm-scenario.js';

const ROOT = join(import.meta.dirname, '..');
const FLEET = 10;
const SHARDS = 3;
const PATTERN = `swarm:
  occupancyByHour: [${Array(24).fill(0.9).join(', ')}]
  initialSpreadSec: 0.3
  meterIntervalSec: 1
  meanSessionMinutes: 600
`;

/** The built CLI, as a user runs it. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'chargecheck.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const sum = (shards: SwarmSummary[], f: (s: SwarmSummary) => number): number => shards.reduce((n, s) => n + f(s), 0);

describe('swarm --processes 3: shards as child processes, merged', () => {
  let server: CsmsServer;
  let dir: string;
  beforeAll(async () => {
    const pki = await createPki();
    dir = await mkdtemp(join(tmpdir(), 'swarm-shards-'));
    await writeFile(join(dir, 'ca.pem'), pki.ca.cert);
    await writeFile(join(dir, 'pattern.yaml'), PATTERN);
    server = await startCsmsServer({ chargers: { '*': 'shard-secret' }, cert: pki.server, platform: { configureOnBoot: false, curtailW: 3_000 } });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every id exactly once across the shards, and the merged summary is the sum of its shards', async () => {
    const out = join(dir, 'out');
    const r = await cli(['swarm', '--csms', server.url, '--count', String(FLEET), '--processes', String(SHARDS), '--password', 'shard-secret', '--ca', join(dir, 'ca.pem'),
      '--duration', '3', '--ramp', '100', '--scenario', join(dir, 'pattern.yaml'), '--quirk-mix', 'ignore-limit=30%', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`merged ${SHARDS} of ${SHARDS} shards (exit codes 0, 0, 0)`);
    expect(r.stdout).toMatch(/^\[0\/3\] chargers 3 · connected 3/m);

    const ids = server.csms.sessions().map((s) => s.chargePointId).sort();
    expect(ids).toEqual(Array.from({ length: FLEET }, (_, i) => `P${String(i + 1).padStart(5, '0')}`));

    const shards: SwarmSummary[] = [];
    for (let i = 0; i < SHARDS; i++) shards.push(await readSummaryFile(join(out, `shard-${i}`, 'summary.json')));
    expect(shards.map((s) => s.chargers)).toEqual([3, 3, 4]);
    const merged = await readSummaryFile(join(out, 'summary.json'));
    expect(merged).toMatchObject({ chargers: FLEET, connected: FLEET, booted: FLEET, errors: 0, missingShards: [], quirkMix: 'ignore-limit=30%' });
    expect(merged.shards.map((l) => l.shard)).toEqual(['0/3', '1/3', '2/3']);
    // every count is the sum of the shards' counts
    for (const f of [(s: SwarmSummary) => s.messages, (s: SwarmSummary) => s.messagesSent, (s: SwarmSummary) => s.messagesReceived, (s: SwarmSummary) => s.unanswered, (s: SwarmSummary) => s.inFlightAtEnd,
      (s: SwarmSummary) => s.transactions.started, (s: SwarmSummary) => s.transactions.stopped, (s: SwarmSummary) => s.rssBytesTotal, (s: SwarmSummary) => s.rssBaselineBytes,
      (s: SwarmSummary) => s.csmsActs.chargersWithProfile, (s: SwarmSummary) => s.csmsActs.chargersCurtailed, (s: SwarmSummary) => s.csmsActs.chargersOverLimit,
      (s: SwarmSummary) => s.txMessages.enqueued, (s: SwarmSummary) => s.txMessages.delivered, (s: SwarmSummary) => s.connectedAtEnd]) {
      expect(f(merged), f.toString()).toBe(sum(shards, f));
    }
    expect(merged.transactions.started).toBeGreaterThan(0);
    expect(merged.csmsActs.chargersWithProfile).toBeGreaterThan(0);
    for (const action of Object.keys(merged.calls)) {
      expect(merged.calls[action]).toEqual({ sent: sum(shards, (s) => s.calls[action]?.sent ?? 0), answered: sum(shards, (s) => s.calls[action]?.answered ?? 0), errors: sum(shards, (s) => s.calls[action]?.errors ?? 0) });
    }
    for (const action of Object.keys(merged.csmsActs.calls)) {
      expect(merged.csmsActs.calls[action].received).toBe(sum(shards, (s) => s.csmsActs.calls[action]?.received ?? 0));
    }
    expect(Object.values(merged.quirks).reduce((a, b) => a + b, 0)).toBe(sum(shards, (s) => Object.values(s.quirks).reduce((a, b) => a + b, 0)));
    // percentiles of the merge come from the summed buckets
    const summed = shards.map((s) => LatencyHistogram.fromJSON(s.latencyHistogram)).reduce((a, h) => a.merge(h), new LatencyHistogram());
    expect(merged.latencyHistogram.buckets).toEqual(summed.toJSON().buckets);
    expect(merged.latencyMs.p99).toBeCloseTo(summed.percentile(99), 3);
    expect(merged.latencyMs.count).toBe(sum(shards, (s) => s.latencyMs.count));
    expect(merged.rssBytes).toBe(Math.max(...shards.map((s) => s.rssBytes)));
    const html = await readFile(join(out, 'summary.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('What the CSMS did to the fleet');
    expect(html).toContain(`<td class="id">ignore-limit</td><td class="num">${merged.quirks['ignore-limit'] ?? 0}</td>`);
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
  }, 60_000);

  it('refuses --processes with --shard, and a bad quirk mix, with a clear error', async () => {
    const both = await cli(['swarm', '--csms', server.url, '--count', '4', '--processes', '2', '--shard', '0/2']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--processes and --shard do not go together');
    const mix = await cli(['swarm', '--csms', server.url, '--count', '4', '--quirk-mix', 'ignore-limits=3%']);
    expect(mix.code).toBe(2);
    expect(mix.stderr).toContain("unknown quirk 'ignore-limits'");
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
        rssBytes: 100, rssBytesTotal: 100, rssBytesPerCharger: 100, rssBaselineBytes: 0, unanswered: 0, inFlightAtEnd: 0, quirkMix: '', quirks: {},
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
