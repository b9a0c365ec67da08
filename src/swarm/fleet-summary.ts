import type { FleetStats } from './fleet-stats.js';
import { connectRate, percentilesOf, SUMMARY_KIND, type ActionCounts, type SwarmSummary } from './summary.js';

export interface SummaryInput {
  csms: string;
  idPrefix: string;
  fleetSize: number;
  shard: string;
  chargers: number;
  startedMs: number;
  endedMs: number;
  connectedAtEnd: number;
  stats: FleetStats;
}

/** One process's summary.json from its fleet counters. */
export function buildSummary(input: SummaryInput): SwarmSummary {
  const { stats } = input;
  const durationSec = Math.max(0, (input.endedMs - input.startedMs) / 1000);
  const messages = stats.sent + stats.received;
  const latencyMs = percentilesOf(stats.latency);
  const calls: Record<string, ActionCounts> = {};
  for (const [action, c] of [...stats.calls].sort(([a], [b]) => a.localeCompare(b))) calls[action] = { ...c };
  const errorsByCode = Object.fromEntries([...stats.errorsByCode].sort(([a], [b]) => a.localeCompare(b)));
  const startedAt = new Date(input.startedMs).toISOString();
  const endedAt = new Date(input.endedMs).toISOString();
  return {
    kind: SUMMARY_KIND,
    version: 1,
    csms: input.csms,
    idPrefix: input.idPrefix,
    fleetSize: input.fleetSize,
    shards: [
      {
        shard: input.shard,
        chargers: input.chargers,
        connected: stats.connectedEver,
        errors: stats.errors,
        messages,
        rssBytes: stats.peakRss,
        latencyP99: latencyMs.p99,
        startedAt,
        endedAt,
      },
    ],
    missingShards: [],
    startedAt,
    endedAt,
    durationSec,
    chargers: input.chargers,
    connected: stats.connectedEver,
    connectedAtEnd: input.connectedAtEnd,
    booted: stats.booted,
    transactions: { started: stats.txStarted, stopped: stats.txStopped },
    messages,
    messagesSent: stats.sent,
    messagesReceived: stats.received,
    messagesPerSecond: durationSec > 0 ? Math.round((messages / durationSec) * 10) / 10 : 0,
    calls,
    errors: stats.errors,
    errorsByCode,
    latencyMs,
    latencyHistogram: stats.latency.toJSON(),
    steadyLatencyMs: percentilesOf(stats.steady),
    steadyLatencyHistogram: stats.steady.toJSON(),
    rampEndedAt: stats.lastFirstConnectMs ? new Date(stats.lastFirstConnectMs).toISOString() : null,
    connectRatePerSec: connectRate(stats.connectedEver, input.startedMs, stats.lastFirstConnectMs || Number.NaN),
    connectMs: percentilesOf(stats.connect),
    connectHistogram: stats.connect.toJSON(),
    rssBytes: stats.peakRss,
    rssBytesTotal: stats.peakRss,
    rssBytesPerCharger: input.chargers ? Math.round(stats.peakRss / input.chargers) : 0,
  };
}
