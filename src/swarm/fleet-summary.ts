import type { FleetStats } from './fleet-stats.js';
import { connectRate, percentilesOf, rssPerCharger, SUMMARY_KIND, type ActionCounts, type StormSummary, type SwarmSummary } from './summary.js';

/** Per-charger observations summed over the fleet at the end of a run. */
export interface FleetTally {
  /** Chargers with a CALL out when the run stopped. */
  inFlightAtEnd: number;
  quirks: Record<string, number>;
  withProfile: number;
  curtailed: number;
  overLimit: number;
  overLimitWithoutQuirk: number;
  triggered: number;
  enqueued: number;
  delivered: number;
  dropped: number;
  droppedWithoutQuirk: number;
  pendingAtEnd: number;
  resent: number;
}

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
  /** When every charger had connected and booted (or failed); undefined if the run ended first. */
  rampDoneMs?: number;
  rssBaseline: number;
  quirkMix: string;
  tally: FleetTally;
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
  const { tally } = input;
  let unanswered = 0;
  for (const c of Object.values(calls)) unanswered += c.sent - c.answered - c.errors;
  unanswered -= tally.inFlightAtEnd;
  const csmsCalls = Object.fromEntries([...stats.csmsCalls].sort(([a], [b]) => a.localeCompare(b)).map(([a, c]) => [a, { ...c }]));
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
    rssBytesPerCharger: rssPerCharger(stats.peakRss, input.rssBaseline, stats.connectedEver),
    rssBaselineBytes: input.rssBaseline,
    unanswered,
    inFlightAtEnd: tally.inFlightAtEnd,
    quirkMix: input.quirkMix,
    quirks: Object.fromEntries(Object.entries(tally.quirks).sort(([a], [b]) => a.localeCompare(b))),
    csmsActs: {
      calls: csmsCalls,
      chargersWithProfile: tally.withProfile,
      chargersCurtailed: tally.curtailed,
      chargersOverLimit: tally.overLimit,
      chargersOverLimitWithoutQuirk: tally.overLimitWithoutQuirk,
      chargersTriggered: tally.triggered,
    },
    txMessages: {
      enqueued: tally.enqueued,
      delivered: tally.delivered,
      dropped: tally.dropped,
      pendingAtEnd: tally.pendingAtEnd,
      resent: tally.resent,
      droppedWithoutQuirk: tally.droppedWithoutQuirk,
    },
    storm: stormOf(input),
  };
}

function stormOf(input: SummaryInput): StormSummary | null {
  const { stats } = input;
  if (!stats.stormAtMs) return null;
  return {
    atSec: Math.round(stats.stormAtMs - input.startedMs) / 1000,
    dropped: stats.stormDropped,
    reconnected: stats.stormBack,
    allReconnectedSec: stats.stormAllBackMs ? Math.round(stats.stormAllBackMs - stats.stormAtMs) / 1000 : null,
    latencyMs: percentilesOf(stats.storm),
    latencyHistogram: stats.storm.toJSON(),
  };
}
