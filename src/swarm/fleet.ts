import type { Clock, Timer } from '../clock/clock.js';
import { WheelClock } from '../clock/wheel.js';
import type { TransportBehaviour } from '../chargepoint/quirks.js';
import { ChargecheckError } from '../errors.js';
import type { BackoffPolicy } from '../transport/backoff.js';
import { isHexKey, type PasswordForm } from '../transport/basic-auth.js';
import { connectOcpp, type OcppConnection } from '../transport/client.js';
import { CompiledPattern, DEFAULT_PATTERN, seedFor, type DailyPattern } from './daily-pattern.js';
import { FleetCharger, SAW, type FleetContext, type OpenedLink } from './fleet-charger.js';
import { FleetStats } from './fleet-stats.js';
import { buildSummary, type FleetTally } from './fleet-summary.js';
import { formatQuirkMix, quirkFor, type QuirkMix } from './quirk-mix.js';
import { chargerId, formatShard, shardRange, WHOLE_FLEET, type Shard } from './shard.js';
import type { SwarmSummary } from './summary.js';

export interface SwarmOptions {
  /** CSMS endpoint without the id, e.g. wss://csms.example/ocpp. */
  csms: string;
  /** N: the whole fleet (all shards). */
  count: number;
  /** New connections per second (this process). Default 50. */
  rampPerSecond?: number;
  /** Ids are prefix + 5-digit number from 1: P00001… Default "P". */
  idPrefix?: string;
  /** The AuthorizationKey every charger sends (HTTP Basic). */
  password?: string;
  /** Default: `hex` when the password is hex, else `text`. */
  passwordForm?: PasswordForm;
  /** Trusted root(s), PEM. */
  ca?: string | readonly string[];
  /** Allow ws://. */
  insecure?: boolean;
  /** Overrides of the built-in daily pattern (from --scenario). */
  pattern?: Partial<DailyPattern>;
  /** Run length from the first connect, seconds. Default 300. */
  durationSec?: number;
  shard?: Shard;
  /** Ends the run early (Ctrl-C); the summary is still produced. */
  signal?: AbortSignal;
  /** How often onProgress is called, ms. Default 1000. */
  progressIntervalMs?: number;
  /** TLS/WebSocket handshakes in flight at once. Default 200. */
  maxConnecting?: number;
  callTimeoutMs?: number;
  /**
   * Default a new WheelClock (100 ms), stopped at the end. Any Clock works (a VirtualClock runs
   * the fleet on virtual time); a WheelClock also gives sub-millisecond latencies.
   */
  clock?: Clock;
  /** How a charger connects; default connectOcpp over WSS. Tests pass in-memory channels. */
  open?: (id: string, transport: TransportBehaviour) => Promise<OpenedLink>;
  /** RSS sampler; default process.memoryUsage.rss. */
  rss?: () => number;
  /** RSS before the fleet existed (per-charger RSS subtracts it); default: sampled at the start. */
  rssBaseline?: number;
  /** A realistic share of bad chargers: each listed quirk on that share of the fleet (by id). */
  quirkMix?: QuirkMix;
  /** Drop every connection at once this many seconds after the start (a reconnect storm). */
  stormAtSec?: number;
  /** End the run this many seconds after the ramp is over and the boot storm settled (at most durationSec). */
  holdAfterRampSec?: number;
  /** Reconnect back-off (exponential, capped, jittered); default 1 s doubling to 60 s, 50 % jitter. */
  backoff?: BackoffPolicy;
  /**
   * Source addresses to connect from, used in turn (charger n from the (n mod k)-th). One source
   * address has ~28,000 ephemeral ports towards one CSMS address: more chargers need more
   * (127.0.0.2, 127.0.0.3, … on loopback).
   */
  localAddresses?: readonly string[];
}

/** A live view, once per progress interval. Latency percentiles are over the last interval only. */
export interface SwarmProgress {
  elapsedSec: number;
  chargers: number;
  started: number;
  connecting: number;
  connected: number;
  booted: number;
  inTransaction: number;
  messages: number;
  messagesPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; count: number };
  errors: number;
  rssBytes: number;
  /** In the steady window (ramp over, boot storm settled, no storm going on). */
  steady: boolean;
}

const CLOSE_GRACE_MS = 5_000;
/** The boot storm (BootNotification, StatusNotifications, the platform's configuration) is over by then. */
const STEADY_AFTER_RAMP_MS = 10_000;

/**
 * Runs this process's slice of a swarm against a CSMS and returns its summary: ramps the
 * connections, lets every charger live its day for `durationSec`, then closes them all.
 */
export async function runSwarm(options: SwarmOptions, onProgress?: (p: SwarmProgress) => void): Promise<SwarmSummary> {
  checkOptions(options);
  const clock: Clock = options.clock ?? new WheelClock();
  const wheel = clock instanceof WheelClock ? clock : undefined;
  const resolutionMs = wheel?.resolutionMs ?? 100;
  const ownsClock = options.clock === undefined;
  const shard = options.shard ?? WHOLE_FLEET;
  const prefix = options.idPrefix ?? 'P';
  const { first, last } = shardRange(options.count, shard);
  const rss = lastGood(options.rss ?? (() => process.memoryUsage.rss()));
  const rssBaseline = options.rssBaseline ?? rss();
  const chargers: FleetCharger[] = [];
  const stats = new FleetStats();
  const links = new Set<OcppConnection>();
  const startedMs = clock.now();
  const basePattern = { ...DEFAULT_PATTERN, ...options.pattern };
  const pattern = new CompiledPattern(basePattern, startedMs);
  const mix = options.quirkMix ?? [];
  const ctx: FleetContext & { stopping: boolean } = {
    clock,
    precise: wheel ? () => wheel.preciseNow() : () => clock.now(),
    stats,
    pattern,
    callTimeoutMs: options.callTimeoutMs ?? 30_000,
    backoff: options.backoff ?? { baseMs: 1_000, capMs: 60_000, jitter: 0.5 },
    config: Object.freeze({ MeterValueSampleInterval: String(basePattern.meterIntervalSec) }),
    stopping: false,
    open: options.open ?? ((id, transport) => openWss(options, clock, id, transport, links)),
  };

  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let next = first;
  let credit = 0;
  const ramp = options.rampPerSecond ?? 50;
  const maxConnecting = options.maxConnecting ?? 200;
  const rampStep = (): void => {
    credit = Math.min(credit + (ramp * resolutionMs) / 1000, Math.max(1, ramp));
    while (credit >= 1 && next <= last && stats.connecting < maxConnecting) {
      credit--;
      const id = chargerId(prefix, next++);
      const cp = new FleetCharger(id, ctx, seedFor(id, basePattern.seed), quirkFor(mix, id, basePattern.seed));
      chargers.push(cp);
      void cp.connect();
    }
    if (next > last) {
      rampTimer?.cancel();
      // The ramp is over when every charger has had its first connection attempt settled and booted (or failed).
      settleTimer ??= clock.setInterval(() => {
        if (stats.connecting > 0) return;
        // a charger that connected but is not accepted (yet) holds the ramp open for at most 30 s
        if (stats.booted < stats.connectedEver && clock.now() - stats.lastFirstConnectMs < 30_000) return;
        settleTimer?.cancel();
        rampDoneMs = clock.now();
        clock.setTimeout(() => (stats.steadyPhase = true), STEADY_AFTER_RAMP_MS);
        if (options.holdAfterRampSec !== undefined) clock.setTimeout(finish, STEADY_AFTER_RAMP_MS + options.holdAfterRampSec * 1000);
      }, resolutionMs);
    }
  };
  let rampDoneMs: number | undefined;
  let settleTimer: Timer | undefined;
  const rampTimer = clock.setInterval(rampStep, resolutionMs);
  rampStep();

  const stormTimer = options.stormAtSec === undefined ? undefined : clock.setTimeout(() => storm(chargers, stats, clock.now()), options.stormAtSec * 1000);

  let lastProgress = { at: startedMs, messages: 0 };
  const progress = (): SwarmProgress => {
    const now = clock.now();
    const messages = stats.sent + stats.received;
    const dt = (now - lastProgress.at) / 1000;
    const p: SwarmProgress = {
      elapsedSec: Math.round((now - startedMs) / 100) / 10,
      chargers: last - first + 1,
      started: chargers.length,
      connecting: stats.connecting,
      connected: stats.connectedNow,
      booted: stats.booted,
      inTransaction: stats.inTransaction,
      messages,
      messagesPerSecond: dt > 0 ? Math.round(((messages - lastProgress.messages) / dt) * 10) / 10 : 0,
      latencyMs: { p50: stats.window.percentile(50), p95: stats.window.percentile(95), p99: stats.window.percentile(99), count: stats.window.count },
      errors: stats.errors,
      rssBytes: rss(),
      steady: stats.steadyPhase && !stats.stormPhase,
    };
    stats.sampleRss(p.rssBytes);
    stats.window.reset();
    lastProgress = { at: now, messages };
    return p;
  };
  const progressTimer = clock.setInterval(() => {
    const p = progress();
    onProgress?.(p);
  }, options.progressIntervalMs ?? 1_000);

  const end = clock.setTimeout(finish, (options.durationSec ?? 300) * 1000);
  options.signal?.addEventListener('abort', finish, { once: true });
  if (options.signal?.aborted) finish();
  await finished;
  end.cancel();
  options.signal?.removeEventListener('abort', finish);

  ctx.stopping = true;
  rampTimer.cancel();
  settleTimer?.cancel();
  stormTimer?.cancel();
  stats.steadyPhase = false;
  progressTimer.cancel();
  stats.sampleRss(rss());
  const connectedAtEnd = stats.connectedNow;
  const tally = tallyFleet(chargers);
  for (const cp of chargers) cp.stop();
  await drain(clock, resolutionMs, links, stats);
  const endedMs = clock.now();
  onProgress?.(progress());
  if (ownsClock) wheel?.stop();
  return buildSummary({
    csms: options.csms,
    idPrefix: prefix,
    fleetSize: options.count,
    shard: formatShard(shard),
    chargers: last - first + 1,
    startedMs,
    endedMs,
    rampDoneMs,
    connectedAtEnd,
    stats,
    rssBaseline,
    quirkMix: formatQuirkMix(mix),
    tally,
  });
}

/** Drops every open link at once; each charger comes back on its own back-off. */
function storm(chargers: readonly FleetCharger[], stats: FleetStats, nowMs: number): void {
  stats.stormAtMs = nowMs;
  stats.steadyPhase = false;
  let dropped = 0;
  for (const cp of chargers) if (cp.dropLink()) dropped++;
  stats.stormDropped = dropped;
  stats.stormPhase = dropped > 0;
  if (dropped === 0) stats.stormAllBackMs = nowMs;
}

/** Per-charger observations, counted once at the end (nothing per charger is kept in the stats). */
function tallyFleet(chargers: readonly FleetCharger[]): FleetTally {
  const t: FleetTally = { inFlightAtEnd: 0, quirks: {}, withProfile: 0, curtailed: 0, overLimit: 0, overLimitWithoutQuirk: 0, triggered: 0, enqueued: 0, delivered: 0, dropped: 0, droppedWithoutQuirk: 0, pendingAtEnd: 0, resent: 0 };
  for (const cp of chargers) {
    if (cp.callInFlight) t.inFlightAtEnd++;
    if (cp.quirk) t.quirks[cp.quirk] = (t.quirks[cp.quirk] ?? 0) + 1;
    if (cp.saw & SAW.profile) t.withProfile++;
    if (cp.saw & SAW.curtailed) t.curtailed++;
    if (cp.saw & SAW.overLimit) {
      t.overLimit++;
      if (!cp.quirk) t.overLimitWithoutQuirk++;
    }
    if (cp.saw & SAW.trigger) t.triggered++;
    const q = cp.model.txMessageCounts;
    t.enqueued += q.enqueued;
    t.delivered += q.delivered;
    t.dropped += q.dropped;
    if (!cp.quirk) t.droppedWithoutQuirk += q.dropped;
    t.pendingAtEnd += cp.model.queueLength;
    t.resent += cp.resentTx;
  }
  return t;
}

function checkOptions(o: SwarmOptions): void {
  if (!Number.isInteger(o.count) || o.count < 1) throw new ChargecheckError('SWARM_BAD_OPTION', `--count must be a positive integer, got ${o.count}`, { option: 'count' });
  if (o.rampPerSecond !== undefined && !(o.rampPerSecond > 0)) throw new ChargecheckError('SWARM_BAD_OPTION', `--ramp must be > 0, got ${o.rampPerSecond}`, { option: 'ramp' });
  if (o.stormAtSec !== undefined && !(o.stormAtSec > 0)) throw new ChargecheckError('SWARM_BAD_OPTION', `--storm must be > 0 seconds, got ${o.stormAtSec}`, { option: 'storm' });
  if (o.durationSec !== undefined && !(o.durationSec > 0)) throw new ChargecheckError('SWARM_BAD_OPTION', `--duration must be > 0, got ${o.durationSec}`, { option: 'duration' });
  const prefix = o.idPrefix ?? 'P';
  if (chargerId(prefix, o.count).length > 20) {
    throw new ChargecheckError('SWARM_BAD_OPTION', `--id-prefix "${prefix}" makes ids longer than 20 characters (OCPP chargeBoxIdentity)`, { option: 'id-prefix' });
  }
}

async function openWss(o: SwarmOptions, clock: Clock, id: string, transport: TransportBehaviour, links: Set<OcppConnection>): Promise<OpenedLink> {
  const password = transport.sendBasicAuth ? o.password : undefined;
  const from = o.localAddresses?.length ? o.localAddresses[Number(/\d+$/.exec(id)?.[0] ?? 0) % o.localAddresses.length] : undefined;
  const conn = await connectOcpp({
    localAddress: from,
    endpoint: transport.useTls ? o.csms : o.csms.replace(/^wss:/, 'ws:'),
    id,
    clock,
    authorizationKey: password,
    passwordForm: o.passwordForm ?? (password !== undefined && isHexKey(password) ? 'hex' : 'text'),
    ca: o.ca,
    insecure: o.insecure || !transport.useTls,
  });
  links.add(conn);
  void conn.closed.then(() => links.delete(conn));
  return conn;
}

/** Waits (bounded) for handshakes in flight and the close handshakes of every link. */
function drain(clock: Clock, resolutionMs: number, links: Set<OcppConnection>, stats: FleetStats): Promise<void> {
  const deadline = clock.now() + CLOSE_GRACE_MS;
  return new Promise((resolve) => {
    const check = clock.setInterval(() => {
      if ((links.size === 0 && stats.connecting === 0) || clock.now() >= deadline) {
        check.cancel();
        resolve();
      }
    }, resolutionMs);
  });
}

/**
 * An RSS sampler that never throws: reading RSS opens /proc/self/stat, which fails with EMFILE
 * when the fd table is full — exactly when a swarm is at its limit. Keeps the last good reading.
 */
function lastGood(sample: () => number): () => number {
  let last = 0;
  return () => {
    try {
      last = sample();
    } catch {
      // EMFILE and the like: the progress line and the summary show the last reading
    }
    return last;
  };
}
