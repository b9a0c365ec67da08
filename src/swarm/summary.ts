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

/** What the CSMS did to the fleet, and how the fleet took it. */
export interface CsmsActs {
  /** CSMS-initiated CALLs per action: received by the fleet, answered Accepted. */
  calls: Record<string, { received: number; accepted: number }>;
  /** Chargers that received at least one SetChargingProfile. */
  chargersWithProfile: number;
  /** Chargers seen drawing at or below a limit in force (the profile obeyed). */
  chargersCurtailed: number;
  /** Chargers seen drawing above a limit in force. */
  chargersOverLimit: number;
  /** Of those, chargers with no quirk: a model bug or a CSMS that limits what it should not. */
  chargersOverLimitWithoutQuirk: number;
  /** Chargers that received at least one TriggerMessage. */
  chargersTriggered: number;
}

/** Transaction messages (Start/Stop/MeterValues in a transaction) through the chargers' offline queues. */
export interface TxMessageCounts {
  enqueued: number;
  delivered: number;
  /** Given up after CALLERRORs, or lost on reconnect by `lose-queue` chargers. */
  dropped: number;
  /** Still queued when the run ended. */
  pendingAtEnd: number;
  /** Sent again after the link dropped before their answer (the CSMS may have them twice). */
  resent: number;
  /** Dropped by chargers without a quirk: must be 0. */
  droppedWithoutQuirk: number;
}

/** `--storm`: every connection dropped at once, and how the fleet came back. */
export interface StormSummary {
  /** Seconds after the start when the links were dropped (per shard; merged: the earliest). */
  atSec: number;
  dropped: number;
  /** Dropped chargers connected and booted again before the run ended. */
  reconnected: number;
  /** Seconds from the drop until the last dropped charger was back; null if some never came back. */
  allReconnectedSec: number | null;
  /** CALL latency from the drop until 10 s after all were back (or the end). */
  latencyMs: Percentiles;
  latencyHistogram: HistogramJson;
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
  /** (peak RSS − RSS before the fleet) ÷ chargers connected; merged: summed over shards ÷ summed connected. */
  rssBytesPerCharger: number;
  /** RSS of the process before the fleet existed (merged: summed). */
  rssBaselineBytes: number;
  /** Charger CALLs never answered: sent − answered − CALLERROR − in flight at the end (timeouts, dropped links). */
  unanswered: number;
  /** CALLs out when the run stopped (cut by the stop, not lost; not in `unanswered`). */
  inFlightAtEnd: number;
  /** The `--quirk-mix` the fleet ran with ('' = none). */
  quirkMix: string;
  /** Chargers per quirk. */
  quirks: Record<string, number>;
  csmsActs: CsmsActs;
  txMessages: TxMessageCounts;
  storm: StormSummary | null;
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
  const sum = { chargers: 0, connected: 0, connectedAtEnd: 0, booted: 0, started: 0, stopped: 0, messages: 0, sent: 0, received: 0, errors: 0, rssMax: 0, rssTotal: 0, rssBaseline: 0, unanswered: 0, inFlight: 0 };
  const quirks: Record<string, number> = {};
  const acts = emptyActs();
  const tx = emptyTx();
  const storms: StormSummary[] = [];
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
    sum.rssBaseline += s.rssBaselineBytes ?? 0;
    sum.unanswered += s.unanswered ?? 0;
    sum.inFlight += s.inFlightAtEnd ?? 0;
    if (s.quirkMix !== undefined && s.quirkMix !== first.quirkMix) {
      throw new ChargecheckError('SWARM_MERGE_MISMATCH', `cannot merge a fleet with quirk mix '${s.quirkMix}' and one with '${first.quirkMix}'`, { quirkMix: [first.quirkMix, s.quirkMix] });
    }
    addCounts(quirks, s.quirks ?? {});
    if (s.csmsActs) addActs(acts, s.csmsActs);
    if (s.txMessages) addCounts(tx as unknown as Record<string, number>, s.txMessages as unknown as Record<string, number>);
    if (s.storm) storms.push(s.storm);
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
    rssBytesPerCharger: rssPerCharger(sum.rssTotal, sum.rssBaseline, sum.connected),
    rssBaselineBytes: sum.rssBaseline,
    unanswered: sum.unanswered,
    inFlightAtEnd: sum.inFlight,
    quirkMix: first.quirkMix ?? '',
    quirks,
    csmsActs: acts,
    txMessages: tx,
    storm: mergeStorms(storms),
  };
}

/** RSS the chargers added, per charger connected (0 when none connected). */
export function rssPerCharger(peak: number, baseline: number, connected: number): number {
  return connected > 0 ? Math.round(Math.max(0, peak - baseline) / connected) : 0;
}

export function emptyActs(): CsmsActs {
  return { calls: {}, chargersWithProfile: 0, chargersCurtailed: 0, chargersOverLimit: 0, chargersOverLimitWithoutQuirk: 0, chargersTriggered: 0 };
}

export function emptyTx(): TxMessageCounts {
  return { enqueued: 0, delivered: 0, dropped: 0, pendingAtEnd: 0, resent: 0, droppedWithoutQuirk: 0 };
}

function addActs(into: CsmsActs, from: CsmsActs): void {
  for (const [action, c] of Object.entries(from.calls)) {
    const t = (into.calls[action] ??= { received: 0, accepted: 0 });
    t.received += c.received;
    t.accepted += c.accepted;
  }
  into.chargersWithProfile += from.chargersWithProfile;
  into.chargersCurtailed += from.chargersCurtailed;
  into.chargersOverLimit += from.chargersOverLimit;
  into.chargersOverLimitWithoutQuirk += from.chargersOverLimitWithoutQuirk;
  into.chargersTriggered += from.chargersTriggered;
}

/** Storms of several shards: counts summed, latencies through the histograms, the slowest recovery. */
function mergeStorms(storms: readonly StormSummary[]): StormSummary | null {
  if (storms.length === 0) return null;
  const latency = new LatencyHistogram();
  let all: number | null = 0;
  for (const s of storms) {
    latency.merge(LatencyHistogram.fromJSON(s.latencyHistogram));
    all = all === null || s.allReconnectedSec === null ? null : Math.max(all, s.allReconnectedSec);
  }
  return {
    atSec: Math.min(...storms.map((s) => s.atSec)),
    dropped: storms.reduce((t, s) => t + s.dropped, 0),
    reconnected: storms.reduce((t, s) => t + s.reconnected, 0),
    allReconnectedSec: all,
    latencyMs: percentilesOf(latency),
    latencyHistogram: latency.toJSON(),
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
