import type { Clock, Timer } from '../clock/clock.js';
import { DriftingClock } from '../clock/drifting.js';
import { ChargerModel } from '../chargepoint/charge-point.js';
import { transportBehaviour, type QuirkName, type TransportBehaviour } from '../chargepoint/quirks.js';
import type { HostControl, MeterEvent } from '../chargepoint/types.js';
import type { FrameChannel } from '../rpc/channel.js';
import { RpcEndpoint } from '../rpc/endpoint.js';
import { CALL, CALLRESULT, type FrameEvent } from '../rpc/frames.js';
import { backoffDelay, type BackoffPolicy } from '../transport/backoff.js';
import type { CompiledPattern, Rng } from './daily-pattern.js';
import { uniform } from './daily-pattern.js';
import { errorCodeOf, type FleetStats } from './fleet-stats.js';

/** An open connection to the CSMS as the fleet hands it to a charger. */
export interface OpenedLink {
  readonly channel: FrameChannel;
  /** Drops the link without a close handshake (network loss, `--storm`); default: close 1006-like. */
  abort?(): void;
}

/** What every charger of a fleet shares (one object per fleet: no per-charger copies). */
export interface FleetContext {
  readonly clock: Clock;
  /** Sub-millisecond time for latencies (the wheel's, or the clock's own on virtual time). */
  precise(): number;
  readonly stats: FleetStats;
  readonly pattern: CompiledPattern;
  readonly callTimeoutMs: number;
  readonly backoff: BackoffPolicy;
  /** The configuration every charger starts with (one shared object). */
  readonly config: Readonly<Record<string, string>>;
  open(id: string, transport: TransportBehaviour): Promise<OpenedLink>;
  /** True once the run is ending: no reconnects, no new sessions. */
  readonly stopping: boolean;
}

/** What the CSMS did to this charger, as bits (counted fleet-wide at the end). */
export const SAW = { profile: 1, curtailed: 2, overLimit: 4, trigger: 8 } as const;

const TX_ACTIONS = new Set(['StartTransaction', 'StopTransaction']);
const FAR = { transport: transportBehaviour([]) };

/**
 * One charger of a swarm: the real virtual charger (src/chargepoint, the model certify
 * certifies) bound to a fleet link instead of a ChargerHost. The fleet only plays the world
 * around it: it opens the connection (reconnecting with back-off and jitter), plugs EVs in and
 * presents the idTag per the daily pattern, and counts what crosses the wire. Boot, heartbeat,
 * status, transactions, the offline queue, meter values, configuration, profiles, triggers and
 * resets are the model's own.
 */
export class FleetCharger implements Rng, HostControl {
  rng: number;
  readonly model: ChargerModel;
  /** SAW bits. */
  saw = 0;
  /** Transaction CALLs sent again after the link dropped before their answer (possible duplicates at the CSMS). */
  resentTx = 0;
  /** Dropped by the storm and not connected since. */
  private stormPending = false;
  private endpoint: RpcEndpoint | undefined;
  private link: OpenedLink | undefined;
  private retryTimer: Timer | undefined;
  private patternTimer: Timer | undefined;
  private failures = 0;
  private everConnected = false;
  private everBooted = false;
  private stopped = false;
  /** A drop we caused (reboot, storm): not an error. */
  private expectDrop = false;
  private connecting = false;
  private sentAt = 0;
  private sentId = '';
  private sentAction = '';
  private sentTx = '';
  /** A transaction CALL that went out and got no answer before the link dropped. */
  private unansweredTx = '';
  private inId = '';
  private inAction = '';

  constructor(
    readonly id: string,
    private readonly ctx: FleetContext,
    seed: number,
    readonly quirk: QuirkName | undefined,
  ) {
    this.rng = seed;
    const transport = quirk ? transportBehaviour([quirk]) : FAR.transport;
    const clock = transport.clockOffsetMs ? new DriftingClock(ctx.clock, { offsetMs: transport.clockOffsetMs }) : ctx.clock;
    this.model = new ChargerModel({
      id,
      clock,
      quirks: quirk ? [quirk] : [],
      config: ctx.config,
      host: this,
      logLines: 0,
      random: () => uniform(this),
    });
    this.model.on('boot', ({ status }) => {
      if (status !== 'Accepted') {
        ctx.stats.error(`SWARM_BOOT_${status.toUpperCase()}`);
        return;
      }
      this.failures = 0;
      if (this.everBooted) return;
      this.everBooted = true;
      ctx.stats.booted++;
      this.armPattern(true);
    });
    this.model.on('transactionStarted', () => ctx.stats.inTransaction++);
    this.model.on('transactionStopped', () => ctx.stats.inTransaction--);
    this.model.on('meter', this.onMeter);
  }

  get transport(): TransportBehaviour {
    return this.quirk ? transportBehaviour([this.quirk]) : FAR.transport;
  }

  get isConnected(): boolean {
    return this.endpoint !== undefined;
  }

  get isConnecting(): boolean {
    return this.connecting;
  }

  /** A CALL of ours is out and unanswered (at the end of a run: cut by the stop, not lost). */
  get callInFlight(): boolean {
    return this.sentId !== '';
  }

  /** Connects (first time, or again after a drop); resolves when the attempt is over either way. */
  async connect(): Promise<void> {
    if (this.ctx.stopping || this.stopped || this.endpoint || this.connecting) return;
    const { stats, clock } = this.ctx;
    this.connecting = true;
    stats.connecting++;
    const release = clock.hold(`connect ${this.id}`);
    const t0 = this.ctx.precise();
    let link: OpenedLink;
    try {
      link = await this.ctx.open(this.id, this.transport);
    } catch (err) {
      release();
      this.connecting = false;
      stats.connecting--;
      stats.error(errorCodeOf(err));
      this.retryLater();
      return;
    }
    release();
    this.connecting = false;
    stats.connecting--;
    stats.connect.record(this.ctx.precise() - t0);
    if (this.ctx.stopping || this.stopped) {
      link.channel.close(1000, 'swarm finished');
      return;
    }
    stats.connectedNow++;
    if (!this.everConnected) {
      stats.connectedEver++;
      stats.lastFirstConnectMs = clock.now();
    }
    this.everConnected = true;
    if (this.stormPending) {
      this.stormPending = false;
      stats.backFromStorm(clock.now());
    }
    const endpoint = new RpcEndpoint({ channel: link.channel, clock, label: this.id, role: 'ChargePoint', callTimeoutMs: this.ctx.callTimeoutMs });
    this.endpoint = endpoint;
    this.link = link;
    endpoint.onFrame(this.onFrame);
    endpoint.onClose(() => this.closed(endpoint));
    this.model.connected(endpoint);
  }

  /** HostControl: the model reboots (Reset, firmware) or changed its key: drop and come back. */
  reconnect(reason: string): void {
    if (this.endpoint) {
      this.expectDrop = true;
      this.endpoint.close(1012, reason);
    } else if (!this.connecting) this.retryLater();
  }

  /** Drops the link with no close handshake (the reconnect storm); the charger comes back by itself. */
  dropLink(): boolean {
    if (!this.link || !this.endpoint) return false;
    this.expectDrop = true;
    this.stormPending = true;
    if (this.link.abort) this.link.abort();
    else this.link.channel.close(1006, 'link lost');
    return true;
  }

  /** Ends the charger's run: the model powers off, the connection closes normally. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.retryTimer?.cancel();
    this.patternTimer?.cancel();
    this.model.powerOff();
    this.endpoint?.close(1000, 'swarm finished');
  }

  private closed(endpoint: RpcEndpoint): void {
    if (this.endpoint !== endpoint) return;
    this.endpoint = undefined;
    this.link = undefined;
    const stats = this.ctx.stats;
    stats.connectedNow--;
    if (this.sentTx) this.unansweredTx = this.sentTx;
    this.sentId = '';
    this.sentTx = '';
    this.model.disconnected();
    if (this.stopped || this.ctx.stopping) return;
    if (this.expectDrop) this.expectDrop = false;
    else stats.error('SWARM_DISCONNECTED');
    this.retryLater();
  }

  private retryLater(): void {
    if (this.ctx.stopping || this.stopped) return;
    this.retryTimer?.cancel();
    const delay = backoffDelay(this.failures++, this.ctx.backoff, () => uniform(this));
    this.retryTimer = this.ctx.clock.setTimeout(() => void this.connect(), delay);
  }

  /** Every frame of this charger's connection: counts, the latency of its own CALLs, what the CSMS did. */
  private readonly onFrame = (e: FrameEvent): void => {
    const stats = this.ctx.stats;
    const frame = e.frame;
    if (e.direction === 'out') {
      stats.sent++;
      if (!frame) return;
      if (frame[0] === CALL) {
        this.sentAt = this.ctx.precise();
        this.sentId = frame[1];
        this.sentAction = frame[2];
        stats.callSent(frame[2]);
        if (frame[2] === 'MeterValues') this.judgeLimit(1, this.model.powerW(1));
        const key = txKey(frame[2], frame[3]);
        this.sentTx = key;
        if (key && key === this.unansweredTx) this.resentTx++;
        this.unansweredTx = '';
      } else if (frame[1] === this.inId) {
        if (frame[0] === CALLRESULT && frame[2].status === 'Accepted') stats.csmsAccepted(this.inAction);
        this.inId = '';
      }
      return;
    }
    stats.received++;
    if (!frame) return;
    if (frame[0] === CALL) {
      this.inId = frame[1];
      this.inAction = frame[2];
      stats.csmsCall(frame[2]);
      if (frame[2] === 'SetChargingProfile') this.saw |= SAW.profile;
      else if (frame[2] === 'TriggerMessage') this.saw |= SAW.trigger;
      return;
    }
    if (frame[1] === this.sentId) {
      this.sentId = '';
      this.sentTx = '';
      stats.callDone(this.sentAction, frame[0] === CALLRESULT, this.ctx.precise() - this.sentAt, this.ctx.clock.now());
    }
  };

  /** Whether the charger keeps to the limit in force: at every change of power, and at every MeterValues it reports. */
  private readonly onMeter = (e: MeterEvent): void => {
    if (e.connectorId > 0) this.judgeLimit(e.connectorId, e.powerW);
  };

  private judgeLimit(connectorId: number, powerW: number): void {
    if (powerW <= 0) return;
    const limit = this.model.limitInForceW(connectorId);
    if (limit === undefined) return;
    this.saw |= powerW > limit + 1 ? SAW.overLimit : SAW.curtailed;
  }

  /** After the first accepted boot: the session already running at start, or the next plug-in. */
  private armPattern(first: boolean): void {
    if (this.ctx.stopping || this.stopped) return;
    const { pattern, clock } = this.ctx;
    const nowPattern = pattern.patternTime(clock.now());
    if (first) {
      const remaining = pattern.initialSession(this, nowPattern);
      if (remaining !== undefined) {
        const spreadMs = pattern.pattern.initialSpreadSec * 1000 * uniform(this);
        this.patternTimer = clock.setTimeout(() => this.plugIn(remaining), spreadMs);
        return;
      }
    }
    const wait = pattern.nextArrival(this, nowPattern);
    if (!Number.isFinite(wait)) return;
    this.patternTimer = clock.setTimeout(() => this.plugIn(pattern.sessionLength(this)), pattern.toReal(wait));
  }

  /** An EV arrives: plugged in, the driver's tag at the reader; it leaves after `lengthPatternMs`. */
  private plugIn(lengthPatternMs: number): void {
    if (this.ctx.stopping || this.stopped) return;
    const { pattern, clock } = this.ctx;
    try {
      this.model.plug(1, { maxPowerW: pattern.evPower(this), socPercent: Math.round(10 + 50 * uniform(this)) });
    } catch (err) {
      this.ctx.stats.error(errorCodeOf(err));
      return;
    }
    void this.model.presentIdTag(pattern.pattern.idTag, 1).catch((err: unknown) => this.ctx.stats.error(errorCodeOf(err)));
    this.patternTimer = clock.setTimeout(() => this.leave(), pattern.toReal(lengthPatternMs));
  }

  private leave(): void {
    if (this.stopped) return;
    this.model.unplug(1);
    this.armPattern(false);
  }
}

/** Identity of a transaction message (action + its own timestamp), to see it sent twice. */
function txKey(action: string, payload: Record<string, unknown>): string {
  if (TX_ACTIONS.has(action)) return `${action}|${String(payload.timestamp)}`;
  if (action === 'MeterValues' && payload.transactionId !== undefined) {
    const mv = payload.meterValue as { timestamp?: string }[] | undefined;
    return `MeterValues|${mv?.[0]?.timestamp ?? ''}`;
  }
  return '';
}
