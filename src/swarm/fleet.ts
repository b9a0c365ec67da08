import type { Timer } from '../clock/clock.js';
import { WheelClock } from '../clock/wheel.js';
import { ChargecheckError } from '../errors.js';
import { isHexKey, type PasswordForm } from '../transport/basic-auth.js';
import { connectOcpp, type OcppConnection } from '../transport/client.js';
import { CompiledPattern, DEFAULT_PATTERN, seedFor, type DailyPattern } from './daily-pattern.js';
import { FleetStats } from './fleet-stats.js';
import { buildSummary } from './fleet-summary.js';
import { chargerId, formatShard, shardRange, WHOLE_FLEET, type Shard } from './shard.js';
import type { SwarmSummary } from './summary.js';
import { SwarmCharger, type FleetContext, type OpenedLink } from './swarm-charger.js';

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
  /** Default a new WheelClock (100 ms), stopped at the end. */
  clock?: WheelClock;
  /** How a charger connects; default connectOcpp over WSS. Tests pass in-memory channels. */
  open?: (id: string) => Promise<OpenedLink>;
  /** RSS sampler; default process.memoryUsage.rss. */
  rss?: () => number;
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
  const clock = options.clock ?? new WheelClock();
  const ownsClock = options.clock === undefined;
  const shard = options.shard ?? WHOLE_FLEET;
  const prefix = options.idPrefix ?? 'P';
  const { first, last } = shardRange(options.count, shard);
  const chargers: SwarmCharger[] = [];
  const stats = new FleetStats();
  const links = new Set<OcppConnection>();
  const startedMs = clock.now();
  const basePattern = { ...DEFAULT_PATTERN, ...options.pattern };
  const pattern = new CompiledPattern(basePattern, startedMs);
  const rss = lastGood(options.rss ?? (() => process.memoryUsage.rss()));
  const ctx: FleetContext & { stopping: boolean } = {
    clock,
    stats,
    pattern,
    callTimeoutMs: options.callTimeoutMs ?? 30_000,
    stopping: false,
    open: options.open ?? ((id) => openWss(options, clock, id, links)),
  };

  let next = first;
  let credit = 0;
  const ramp = options.rampPerSecond ?? 50;
  const maxConnecting = options.maxConnecting ?? 200;
  const rampStep = (): void => {
    credit = Math.min(credit + (ramp * clock.resolutionMs) / 1000, Math.max(1, ramp));
    while (credit >= 1 && next <= last && stats.connecting < maxConnecting) {
      credit--;
      const id = chargerId(prefix, next++);
      const cp = new SwarmCharger(id, ctx, seedFor(id, basePattern.seed));
      chargers.push(cp);
      void cp.connect();
    }
    if (next > last) {
      rampTimer?.cancel();
      settleTimer ??= clock.setInterval(() => {
        if (stats.connecting > 0) return;
        settleTimer?.cancel();
        clock.setTimeout(() => (stats.steadyPhase = true), STEADY_AFTER_RAMP_MS);
      }, clock.resolutionMs);
    }
  };
  let settleTimer: Timer | undefined;
  const rampTimer = clock.setInterval(rampStep, clock.resolutionMs);
  rampStep();

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

  await new Promise<void>((resolve) => {
    const end = clock.setTimeout(resolve, (options.durationSec ?? 300) * 1000);
    options.signal?.addEventListener(
      'abort',
      () => {
        end.cancel();
        resolve();
      },
      { once: true },
    );
    if (options.signal?.aborted) resolve();
  });

  ctx.stopping = true;
  rampTimer.cancel();
  settleTimer?.cancel();
  stats.steadyPhase = false;
  progressTimer.cancel();
  stats.sampleRss(rss());
  const connectedAtEnd = stats.connectedNow;
  for (const cp of chargers) cp.stop();
  await drain(clock, links, stats);
  const endedMs = clock.now();
  onProgress?.(progress());
  if (ownsClock) clock.stop();
  return buildSummary({
    csms: options.csms,
    idPrefix: prefix,
    fleetSize: options.count,
    shard: formatShard(shard),
    chargers: last - first + 1,
    startedMs,
    endedMs,
    connectedAtEnd,
    stats,
  });
}

function checkOptions(o: SwarmOptions): void {
  if (!Number.isInteger(o.count) || o.count < 1) throw new ChargecheckError('SWARM_BAD_OPTION', `--count must be a positive integer, got ${o.count}`, { option: 'count' });
  if (o.rampPerSecond !== undefined && !(o.rampPerSecond > 0)) throw new ChargecheckError('SWARM_BAD_OPTION', `--ramp must be > 0, got ${o.rampPerSecond}`, { option: 'ramp' });
  if (o.durationSec !== undefined && !(o.durationSec > 0)) throw new ChargecheckError('SWARM_BAD_OPTION', `--duration must be > 0, got ${o.durationSec}`, { option: 'duration' });
  const prefix = o.idPrefix ?? 'P';
  if (chargerId(prefix, o.count).length > 20) {
    throw new ChargecheckError('SWARM_BAD_OPTION', `--id-prefix "${prefix}" makes ids longer than 20 characters (OCPP chargeBoxIdentity)`, { option: 'id-prefix' });
  }
}

async function openWss(o: SwarmOptions, clock: WheelClock, id: string, links: Set<OcppConnection>): Promise<OpenedLink> {
  const password = o.password;
  const conn = await connectOcpp({
    endpoint: o.csms,
    id,
    clock,
    authorizationKey: password,
    passwordForm: o.passwordForm ?? (password !== undefined && isHexKey(password) ? 'hex' : 'text'),
    ca: o.ca,
    insecure: o.insecure,
  });
  links.add(conn);
  void conn.closed.then(() => links.delete(conn));
  return conn;
}

/** Waits (bounded) for handshakes in flight and the close handshakes of every link. */
function drain(clock: WheelClock, links: Set<OcppConnection>, stats: FleetStats): Promise<void> {
  const deadline = clock.now() + CLOSE_GRACE_MS;
  return new Promise((resolve) => {
    const check = clock.setInterval(() => {
      if ((links.size === 0 && stats.connecting === 0) || clock.now() >= deadline) {
        check.cancel();
        resolve();
      }
    }, clock.resolutionMs);
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
