import { isoTime, type Timer } from '../clock/clock.js';
import type { WheelClock } from '../clock/wheel.js';
import type { ActionName } from '../ocpp/catalogue.js';
import type { RequestOf, ResponseOf, StopReason } from '../ocpp/types.js';
import type { FrameChannel } from '../rpc/channel.js';
import { RpcEndpoint } from '../rpc/endpoint.js';
import { CALL, type FrameEvent } from '../rpc/frames.js';
import type { CompiledPattern, Rng } from './daily-pattern.js';
import { uniform } from './daily-pattern.js';
import { errorCodeOf, type FleetStats } from './fleet-stats.js';
import { installSwarmHandlers } from './swarm-handlers.js';
import { powerLimitW, type SmartChargingState } from './swarm-profiles.js';

/** An open connection to the CSMS as the fleet hands it to a charger. */
export interface OpenedLink {
  readonly channel: FrameChannel;
}

/** What every charger of a fleet shares (one object per fleet: no per-charger copies). */
export interface FleetContext {
  readonly clock: WheelClock;
  readonly stats: FleetStats;
  readonly pattern: CompiledPattern;
  readonly callTimeoutMs: number;
  open(id: string): Promise<OpenedLink>;
  /** True once the run is ending: no reconnects, no new sessions. */
  readonly stopping: boolean;
}

export type ChargerPhase = 'idle' | 'connecting' | 'booting' | 'ready' | 'offline' | 'stopped';

interface Session {
  transactionId: number | undefined;
  startMs: number;
  lastSampleMs: number;
  evW: number;
  powerW: number;
}

const MEASURAND_LISTS = new Map<string, readonly string[]>();
const DEFAULT_MEASURANDS = intern('Energy.Active.Import.Register');
const BOOT_RETRY_SEC = 30;

/** One shared array per distinct MeterValuesSampledData value, whatever the fleet size. */
export function intern(csv: string): readonly string[] {
  let list = MEASURAND_LISTS.get(csv);
  if (!list) {
    list = Object.freeze(csv.split(',').map((s) => s.trim()).filter(Boolean));
    MEASURAND_LISTS.set(csv, list);
  }
  return list;
}

/**
 * A light virtual charger for load: boots, heartbeats, charges one connector per the fleet's daily
 * pattern with MeterValues at the configured interval, obeys charging profiles and the platform's
 * configuration, reconnects with back-off. All timers are on the shared wheel; all static data is
 * shared. About a dozen fields plus its RpcEndpoint and socket.
 */
export class SwarmCharger implements Rng, SmartChargingState {
  rng: number;
  phase: ChargerPhase = 'idle';
  port: RpcEndpoint | undefined;
  heartbeatSec = 300;
  sampleSec: number;
  measurands: readonly string[] = DEFAULT_MEASURANDS;
  energyWh = 0;
  session: Session | undefined;
  profiles: SmartChargingState['profiles'];
  private heartbeatTimer: Timer | undefined;
  private meterTimer: Timer | undefined;
  private patternTimer: Timer | undefined;
  private retryTimer: Timer | undefined;
  private everBooted = false;
  private everConnected = false;
  private failures = 0;
  private sentAt = 0;
  private sentId = '';
  private sentAction = '';

  constructor(
    readonly id: string,
    private readonly ctx: FleetContext,
    seed: number,
  ) {
    this.rng = seed;
    this.sampleSec = ctx.pattern.pattern.meterIntervalSec;
  }

  get clock(): WheelClock {
    return this.ctx.clock;
  }

  /** Connects (first time, or again after a drop); resolves when the attempt is over either way. */
  async connect(): Promise<void> {
    if (this.ctx.stopping || this.phase === 'stopped') return;
    const { stats, clock } = this.ctx;
    this.phase = 'connecting';
    stats.connecting++;
    const t0 = clock.preciseNow();
    let link: OpenedLink;
    try {
      link = await this.ctx.open(this.id);
    } catch (err) {
      stats.connecting--;
      stats.error(errorCodeOf(err));
      if ((this.phase as ChargerPhase) !== 'stopped') {
        this.phase = 'offline';
        this.retryLater();
      }
      return;
    }
    stats.connecting--;
    stats.connect.record(clock.preciseNow() - t0);
    if (this.ctx.stopping || (this.phase as ChargerPhase) !== 'connecting') {
      link.channel.close(1000, 'swarm finished');
      return;
    }
    stats.connectedNow++;
    if (!this.everConnected) {
      stats.connectedEver++;
      stats.lastFirstConnectMs = clock.now();
    }
    this.everConnected = true;
    const port = new RpcEndpoint({ channel: link.channel, clock, label: this.id, role: 'ChargePoint', callTimeoutMs: this.ctx.callTimeoutMs });
    this.port = port;
    port.onFrame(this.onFrame);
    port.onClose(() => this.dropped(port));
    installSwarmHandlers(port, this);
    this.phase = 'booting';
    void this.boot();
  }

  /** Reset from the CSMS: stop the transaction, drop the connection, boot again shortly after. */
  async reboot(reason: 'SoftReset' | 'HardReset'): Promise<void> {
    if (this.session) await this.endSession(reason);
    const port = this.port;
    this.port = undefined;
    this.cancelTimers();
    if (port?.isOpen) {
      this.ctx.stats.connectedNow--;
      port.close(1000, 'reset');
    }
    if (this.phase === 'stopped' || this.ctx.stopping) return;
    this.phase = 'offline';
    this.retryTimer = this.clock.setTimeout(() => void this.connect(), 2_000);
  }

  /** Ends the charger's run: timers off, connection closed normally. */
  stop(): void {
    if (this.phase === 'stopped') return;
    const wasOpen = this.port?.isOpen ?? false;
    this.phase = 'stopped';
    this.cancelTimers();
    this.patternTimer?.cancel();
    if (wasOpen) this.port?.close(1000, 'swarm finished');
  }

  /** Sends a CALL; failures are counted (not thrown) unless the connection is already gone. */
  async send<A extends ActionName>(action: A, payload: RequestOf<A>): Promise<ResponseOf<A> | undefined> {
    const port = this.port;
    if (!port?.isOpen) return undefined;
    try {
      return await port.call(action, payload);
    } catch (err) {
      const code = errorCodeOf(err);
      // A dropped connection is counted once (SWARM_DISCONNECTED), not once per CALL it cut off.
      if (code !== 'RPC_CLOSED') this.ctx.stats.error(code);
      return undefined;
    }
  }

  async boot(): Promise<void> {
    const res = await this.send('BootNotification', {
      chargePointVendor: 'chargecheck',
      chargePointModel: 'swarm',
      chargePointSerialNumber: this.id,
      firmwareVersion: '1.0.0',
    });
    if (this.phase !== 'booting') return;
    if (!res || res.status !== 'Accepted') {
      if (res) this.ctx.stats.error(`SWARM_BOOT_${res.status.toUpperCase()}`);
      const wait = res && res.interval > 0 ? res.interval : BOOT_RETRY_SEC;
      this.retryTimer = this.clock.setTimeout(() => void this.boot(), wait * 1000);
      return;
    }
    this.phase = 'ready';
    this.failures = 0;
    if (!this.everBooted) this.ctx.stats.booted++;
    this.setHeartbeat(res.interval > 0 ? res.interval : this.heartbeatSec);
    void this.sendStatus(0, 'Available');
    void this.sendStatus(1, this.session ? 'Charging' : 'Available');
    if (this.session) this.startMeter();
    if (!this.everBooted) this.armPattern();
    this.everBooted = true;
  }

  setHeartbeat(sec: number): void {
    this.heartbeatSec = sec;
    this.heartbeatTimer?.cancel();
    if (this.phase !== 'ready' || sec <= 0) return;
    this.heartbeatTimer = this.clock.setInterval(() => void this.send('Heartbeat', {}), sec * 1000);
  }

  setSampleInterval(sec: number): void {
    this.sampleSec = sec;
    if (this.session) this.startMeter();
  }

  sendStatus(connectorId: number, status: RequestOf<'StatusNotification'>['status']): Promise<unknown> {
    return this.send('StatusNotification', { connectorId, status, errorCode: 'NoError', timestamp: isoTime(this.clock) });
  }

  /** An EV plugs in (pattern) or the CSMS starts remotely; `lengthMs` of pattern time, if known. */
  async startSession(idTag: string, lengthPatternMs?: number): Promise<void> {
    if (this.session || this.phase !== 'ready' || this.ctx.stopping) return;
    const { stats, pattern } = this.ctx;
    const now = this.clock.now();
    const session: Session = { transactionId: undefined, startMs: now, lastSampleMs: now, evW: pattern.evPower(this), powerW: 0 };
    this.session = session;
    stats.inTransaction++;
    this.patternTimer?.cancel();
    if (lengthPatternMs !== undefined) this.patternTimer = this.clock.setTimeout(() => void this.endSession('EVDisconnected'), pattern.toReal(lengthPatternMs));
    void this.sendStatus(1, 'Preparing');
    const res = await this.send('StartTransaction', { connectorId: 1, idTag, meterStart: Math.round(this.energyWh), timestamp: isoTime(this.clock) });
    if (this.session !== session) return;
    session.transactionId = res?.transactionId;
    if (res) stats.txStarted++;
    session.powerW = powerLimitW(this, session.evW);
    void this.sendStatus(1, 'Charging');
    this.startMeter();
  }

  async endSession(reason: StopReason): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.accumulate(session);
    this.session = undefined;
    this.ctx.stats.inTransaction--;
    this.meterTimer?.cancel();
    this.patternTimer?.cancel();
    this.profiles?.removeTxProfiles(1);
    if (session.transactionId !== undefined) {
      const res = await this.send('StopTransaction', { transactionId: session.transactionId, meterStop: Math.round(this.energyWh), timestamp: isoTime(this.clock), reason });
      if (res) this.ctx.stats.txStopped++;
    }
    void this.sendStatus(1, 'Finishing');
    void this.sendStatus(1, 'Available');
    if (reason === 'EVDisconnected') this.armPattern();
  }

  /** Re-reads the limit from the installed profiles (after SetChargingProfile / ClearChargingProfile). */
  applyLimits(): void {
    if (!this.session) return;
    this.accumulate(this.session);
    this.session.powerW = powerLimitW(this, this.session.evW);
  }

  sendMeterValues(): Promise<unknown> {
    const session = this.session;
    if (session) this.accumulate(session);
    const timestamp = isoTime(this.clock);
    const sampledValue: RequestOf<'MeterValues'>['meterValue'][number]['sampledValue'] = [];
    for (const m of this.measurands) {
      if (m === 'Energy.Active.Import.Register') sampledValue.push({ value: String(Math.round(this.energyWh)), measurand: m, unit: 'Wh' });
      else if (m === 'Power.Active.Import') sampledValue.push({ value: String(session?.powerW ?? 0), measurand: m, unit: 'W' });
    }
    const payload: RequestOf<'MeterValues'> = { connectorId: 1, meterValue: [{ timestamp, sampledValue }] };
    if (session?.transactionId !== undefined) payload.transactionId = session.transactionId;
    return this.send('MeterValues', payload);
  }

  activeTransactionId(): number | undefined {
    return this.session?.transactionId;
  }

  transactionStartMs(): number | undefined {
    return this.session?.startMs;
  }

  /** Every frame of this charger's connection: counts, and the latency of its own CALLs. */
  private readonly onFrame = (e: FrameEvent): void => {
    const stats = this.ctx.stats;
    const frame = e.frame;
    if (e.direction === 'out') {
      stats.sent++;
      if (frame && frame[0] === CALL) {
        this.sentAt = this.clock.preciseNow();
        this.sentId = frame[1];
        this.sentAction = frame[2];
        stats.callSent(frame[2]);
      }
      return;
    }
    stats.received++;
    if (frame && frame[0] !== CALL && frame[1] === this.sentId) {
      this.sentId = '';
      stats.callDone(this.sentAction, frame[0] === 3, this.clock.preciseNow() - this.sentAt);
    }
  };

  private startMeter(): void {
    this.meterTimer?.cancel();
    if (this.phase !== 'ready' || this.sampleSec <= 0) return;
    this.meterTimer = this.clock.setInterval(() => void this.sendMeterValues(), this.sampleSec * 1000);
  }

  private accumulate(session: Session): void {
    const now = this.clock.now();
    this.energyWh += (session.powerW * (now - session.lastSampleMs)) / 3_600_000;
    session.lastSampleMs = now;
  }

  /** After the first boot: the session already running at start, or the next plug-in. */
  private armPattern(): void {
    if (this.ctx.stopping) return;
    const { pattern } = this.ctx;
    const nowPattern = pattern.patternTime(this.clock.now());
    if (!this.everBooted) {
      const remaining = pattern.initialSession(this, nowPattern);
      if (remaining !== undefined) {
        const spreadMs = pattern.pattern.initialSpreadSec * 1000 * uniform(this);
        this.patternTimer = this.clock.setTimeout(() => void this.startSession(pattern.pattern.idTag, remaining), spreadMs);
        return;
      }
    }
    const wait = pattern.nextArrival(this, nowPattern);
    if (!Number.isFinite(wait)) return;
    this.patternTimer = this.clock.setTimeout(() => void this.startSession(pattern.pattern.idTag, pattern.sessionLength(this)), pattern.toReal(wait));
  }

  private dropped(port: RpcEndpoint): void {
    if (this.port !== port) return;
    this.ctx.stats.connectedNow--;
    this.cancelTimers();
    if (this.phase === 'stopped' || this.ctx.stopping) return;
    this.ctx.stats.error('SWARM_DISCONNECTED');
    this.phase = 'offline';
    this.retryLater();
  }

  private retryLater(): void {
    if (this.ctx.stopping) return;
    this.failures++;
    const delay = Math.min(60_000, 1_000 * 2 ** Math.min(this.failures, 6)) * (0.5 + uniform(this));
    this.retryTimer = this.clock.setTimeout(() => void this.connect(), delay);
  }

  private cancelTimers(): void {
    this.heartbeatTimer?.cancel();
    this.meterTimer?.cancel();
    this.retryTimer?.cancel();
  }
}
