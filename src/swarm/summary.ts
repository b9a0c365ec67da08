import { ChargecheckError } from '../errors.js';
import { LatencyHistogram, type HistogramJson } from './histogram.js';

export const SUMMARY_KIND = 'chargecheck-swarm-summary';

/** Charger-initiated CALLs of one action. */
export interface ActionCounts {
  sent: number;
  answered: number;
  errors: number;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  count: number;
}

/** One shard's headline figures, kept in a merged summary so a bad pod stands out. */
export interface ShardLine {
  shard: string;
  chargers: number;
  connected: number;
  errors: number;
  messages: number;
  rssBytes: number;
  latencyP99: number;
  startedAt: string;
  endedAt: string;
}

/**
 * summary.json: what one `chargecheck swarm` process (one shard) measured, or the merge of several.
 * Everything additive is a plain sum on merge; latencies are merged through their histograms.
 */
export interface SwarmSummary {
  kind: typeof SUMMARY_KIND;
  version: 1;
  csms: string;
  idPrefix: string;
  /** N of --count: the whole fleet across all shards. */
  fleetSize: number;
  /** Shard lines, one per process that contributed. */
  shards: ShardLine[];
  /** Shards of the fleet not present (merged summaries only). */
  missingShards: string[];
  startedAt: string;
  endedAt: string;
  durationSec: number;
  /** Chargers this summary covers. */
  chargers: number;
  /** Chargers that opened a WebSocket at least once. */
  connected: number;
  connectedAtEnd: number;
  /** Chargers whose BootNotification was Accepted. */
  booted: number;
  transactions: { started: number; stopped: number };
  /** OCPP frames, both directions. */
  messages: number;
  messagesSent: number;
  messagesReceived: number;
  messagesPerSecond: number;
  calls: Record<string, ActionCounts>;
  errors: number;
  errorsByCode: Record<string, number>;
  /** CSMS latency: charger's CALL sent → CALLRESULT/CALLERROR received. */
  latencyMs: Percentiles;
  latencyHistogram: HistogramJson;
  /** The same, from 10 s after the ramp ended (boot storm over) to the end of the run. */
  steadyLatencyMs: Percentiles;
  steadyLatencyHistogram: HistogramJson;
  /** When the last charger first connected; null when none did. */
  rampEndedAt: string | null;
  /** Chargers first connected per second, from the start to rampEndedAt. */
  connectRatePerSec: number;
  /** TCP + TLS + WebSocket upgrade per connection. */
  connectMs: Percentiles;
  connectHistogram: HistogramJson;
  /** Peak RSS of the process (merged: the largest shard's peak). */
  rssBytes: number;
  /** Sum of the shards' peak RSS. */
  rssBytesTotal: number;
  rssBytesPerCharger: number;
}

export function percentilesOf(h: LatencyHistogram): Percentiles {
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  return {
    p50: round(h.percentile(50)),
    p95: round(h.percentile(95)),
    p99: round(h.percentile(99)),
    max: round(h.count ? h.maxMs : 0),
    mean: round(h.mean()),
    count: h.count,
  };
}

/** Checks the shape of a parsed summary.json well enough to merge it. Throws SWARM_BAD_SUMMARY. */
export function assertSummary(value: unknown, source: string): asserts value is SwarmSummary {
  const s = value as Partial<SwarmSummary> | null;
  if (!s || typeof s !== 'object' || s.kind !== SUMMARY_KIND) {
    throw new ChargecheckError('SWARM_BAD_SUMMARY', `${source} is not a chargecheck swarm summary (kind "${SUMMARY_KIND}")`, { source });
  }
  for (const key of ['chargers', 'connected', 'errors', 'messages', 'rssBytes'] as const) {
    if (typeof s[key] !== 'number') throw new ChargecheckError('SWARM_BAD_SUMMARY', `${source}: "${key}" is missing or not a number`, { source, key });
  }
  if (!s.latencyHistogram || !Array.isArray(s.shards)) {
    throw new ChargecheckError('SWARM_BAD_SUMMARY', `${source}: "latencyHistogram" or "shards" is missing`, { source });
  }
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/**
 * Merges shard summaries into one: sums, exact histogram merge (percentiles recomputed from the
 * merged buckets), the union of shard lines. Throws SWARM_MERGE_MISMATCH for summaries of
 * different fleets and SWARM_DUPLICATE_SHARD when a shard appears twice.
 */
export function mergeSummaries(summaries: readonly SwarmSummary[]): SwarmSummary {
  if (summaries.length === 0) throw new ChargecheckError('SWARM_NOTHING_TO_MERGE', 'no summaries to merge', {});
  const first = summaries[0];
  const seen = new Set<string>();
  const latency = new LatencyHistogram();
  const connect = new LatencyHistogram();
  const steady = new LatencyHistogram();
  let rampEnd = Number.NEGATIVE_INFINITY;
  const calls: Record<string, ActionCounts> = {};
  const errorsByCode: Record<string, number> = {};
  const shards: ShardLine[] = [];
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  const sum = { chargers: 0, connected: 0, connectedAtEnd: 0, booted: 0, started: 0, stopped: 0, messages: 0, sent: 0, received: 0, errors: 0, rssMax: 0, rssTotal: 0 };
  for (const s of summaries) {
    if (s.fleetSize !== first.fleetSize || s.idPrefix !== first.idPrefix) {
      throw new ChargecheckError('SWARM_MERGE_MISMATCH', `cannot merge a summary of ${s.fleetSize} × ${s.idPrefix}… with one of ${first.fleetSize} × ${first.idPrefix}…`, {
        fleetSize: [first.fleetSize, s.fleetSize],
        idPrefix: [first.idPrefix, s.idPrefix],
      });
    }
    for (const line of s.shards) {
      if (seen.has(line.shard)) throw new ChargecheckError('SWARM_DUPLICATE_SHARD', `shard ${line.shard} appears in more than one summary`, { shard: line.shard });
      seen.add(line.shard);
      shards.push(line);
    }
    latency.merge(LatencyHistogram.fromJSON(s.latencyHistogram));
    connect.merge(LatencyHistogram.fromJSON(s.connectHistogram));
    steady.merge(LatencyHistogram.fromJSON(s.steadyLatencyHistogram));
    if (s.rampEndedAt) rampEnd = Math.max(rampEnd, Date.parse(s.rampEndedAt));
    for (const [action, c] of Object.entries(s.calls)) {
      const t = (calls[action] ??= { sent: 0, answered: 0, errors: 0 });
      t.sent += c.sent;
      t.answered += c.answered;
      t.errors += c.errors;
    }
    addCounts(errorsByCode, s.errorsByCode);
    start = Math.min(start, Date.parse(s.startedAt));
    end = Math.max(end, Date.parse(s.endedAt));
    sum.chargers += s.chargers;
    sum.connected += s.connected;
    sum.connectedAtEnd += s.connectedAtEnd;
    sum.booted += s.booted;
    sum.started += s.transactions.started;
    sum.stopped += s.transactions.stopped;
    sum.messages += s.messages;
    sum.sent += s.messagesSent;
    sum.received += s.messagesReceived;
    sum.errors += s.errors;
    sum.rssMax = Math.max(sum.rssMax, s.rssBytes);
    sum.rssTotal += s.rssBytesTotal;
  }
  const durationSec = Math.max(0, (end - start) / 1000);
  shards.sort((a, b) => shardOrder(a.shard) - shardOrder(b.shard));
  return {
    kind: SUMMARY_KIND,
    version: 1,
    csms: first.csms,
    idPrefix: first.idPrefix,
    fleetSize: first.fleetSize,
    shards,
    missingShards: missingShards(shards.map((l) => l.shard)),
    startedAt: new Date(start).toISOString(),
    endedAt: new Date(end).toISOString(),
    durationSec,
    chargers: sum.chargers,
    connected: sum.connected,
    connectedAtEnd: sum.connectedAtEnd,
    booted: sum.booted,
    transactions: { started: sum.started, stopped: sum.stopped },
    messages: sum.messages,
    messagesSent: sum.sent,
    messagesReceived: sum.received,
    messagesPerSecond: durationSec > 0 ? Math.round((sum.messages / durationSec) * 10) / 10 : 0,
    calls,
    errors: sum.errors,
    errorsByCode,
    latencyMs: percentilesOf(latency),
    latencyHistogram: latency.toJSON(),
    steadyLatencyMs: percentilesOf(steady),
    steadyLatencyHistogram: steady.toJSON(),
    rampEndedAt: Number.isFinite(rampEnd) ? new Date(rampEnd).toISOString() : null,
    connectRatePerSec: connectRate(sum.connected, start, rampEnd),
    connectMs: percentilesOf(connect),
    connectHistogram: connect.toJSON(),
    rssBytes: sum.rssMax,
    rssBytesTotal: sum.rssTotal,
    rssBytesPerCharger: sum.chargers ? Math.round(sum.rssTotal / sum.chargers) : 0,
  };
}

/** Chargers connected per second between the start and the end of the ramp. */
export function connectRate(connected: number, startMs: number, rampEndMs: number): number {
  const sec = (rampEndMs - startMs) / 1000;
  return Number.isFinite(sec) && sec > 0 ? Math.round((connected / sec) * 10) / 10 : 0;
}

function shardOrder(label: string): number {
  const [i, n] = label.split('/').map(Number);
  return (n || 1) * 1e6 + (i || 0);
}

/** For shard labels I/N: which of 0…N-1 are absent (all with the same N). */
function missingShards(labels: readonly string[]): string[] {
  const counts = new Set(labels.map((l) => Number(l.split('/')[1])));
  if (counts.size !== 1) return [];
  const n = [...counts][0];
  const present = new Set(labels.map((l) => Number(l.split('/')[0])));
  const missing: string[] = [];
  for (let i = 0; i < n; i++) if (!present.has(i)) missing.push(`${i}/${n}`);
  return missing;
}
