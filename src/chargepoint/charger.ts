import type { Clock, Timer } from '../clock/clock.js';
import { ChargecheckError, isChargecheckError } from '../errors.js';
import type { StartTransactionResponse } from '../ocpp/types.js';
import { ProfileStore } from '../smartcharging/profile-store.js';
import { AuthStore } from './auth.js';
import { Configuration } from './config/configuration.js';
import { Connector, type ActiveTransaction } from './connector.js';
import { Emitter } from './emitter.js';
import { addEnergy } from './ev.js';
import { Link } from './link.js';
import type { QuirkName } from './quirks.js';
import { CertStore } from './security/cert-store.js';
import { SecurityEvents } from './security/events.js';
import { pathTo } from './status-machine.js';
import { desiredStatus } from './status-derive.js';
import { ChargerTime } from './time.js';
import { TxQueue } from './tx-queue.js';
import type { ChargePointEvents, EvParams, FileTransfer, HostControl, Identity, PersistedState, PersistedTransaction, StateStore } from './types.js';

/** The resolved constructor options. */
export interface ModelSetup {
  id: string;
  identity: Identity;
  connectors: number;
  defaultEv: EvParams;
  ratedCurrentA: number;
  connectorPhases: 1 | 3;
  nominalVoltage: number;
  syncClockFromCsms: boolean;
  random: () => number;
  rebootMs: number;
  quirks: ReadonlySet<QuirkName>;
  files?: FileTransfer;
  host?: HostControl;
  state?: StateStore;
  /** Log lines kept in memory (default 500; a swarm keeps none). */
  logLines?: number;
}

const LOG_LINES = 500;

/**
 * The parts of the virtual charger and the few services they share (timers, log, persistence,
 * status reporting). Behaviour lives in the modules that take a Charger: flow.ts (power and
 * status), transactions.ts, registration.ts, sampler.ts, handlers/.
 */
export class Charger {
  readonly events = new Emitter<ChargePointEvents>();
  readonly time: ChargerTime;
  readonly config: Configuration;
  readonly connectors: Connector[];
  readonly link: Link;
  readonly auth: AuthStore;
  readonly profiles: ProfileStore;
  readonly queue: TxQueue;
  readonly logLines: string[] = [];
  /** Security whitepaper: root certificates and the charge point certificate. */
  readonly certs: CertStore;
  /** Security whitepaper: the security log and SecurityEventNotification. */
  readonly securityEvents: SecurityEvents;
  /** requestId of a signed install that reboots: report Installed after the next accepted boot. */
  signedFirmwareInstalled?: number;
  firmwareVersion: string;
  /** Report Installed after the next accepted boot. */
  firmwareInstalled = false;
  firmwareStatus: string = 'Idle';
  diagnosticsStatus: string = 'Idle';
  nextLocalTxId: number;
  /** Rebooting or powered off: no traffic, handlers refuse. */
  down = false;
  poweredOff = false;
  /** The next clock-aligned reading (ClockAlignedDataInterval). */
  alignedTimer?: Timer;
  private readonly timers = new Set<Timer>();
  private readonly saved?: PersistedState;

  constructor(
    readonly setup: ModelSetup,
    clock: Clock,
  ) {
    this.time = new ChargerTime(clock);
    this.link = new Link(() => this.time.mono());
    const saved = setup.state?.load();
    this.saved = saved;
    this.config = new Configuration({ NumberOfConnectors: String(setup.connectors) }, saved?.config);
    this.connectors = Array.from({ length: setup.connectors + 1 }, (_, i) => new Connector(i));
    const mono = this.time.mono();
    for (const c of this.connectors) {
      c.registerWh = saved?.energyWh[c.id] ?? 0;
      c.availability = saved?.availability[c.id] ?? 'Operative';
      c.lastIntegratedMs = mono;
      c.phases = setup.connectorPhases;
    }
    this.auth = new AuthStore(saved ? { cache: saved.authCache, list: saved.localList } : undefined);
    this.profiles = new ProfileStore(this.storeLimits(), (saved?.profiles as ConstructorParameters<typeof ProfileStore>[1]) ?? []);
    this.firmwareVersion = saved?.firmwareVersion ?? setup.identity.firmwareVersion;
    this.firmwareInstalled = saved?.firmwareInstalled ?? false;
    this.nextLocalTxId = saved?.nextLocalTxId ?? 1;
    this.certs = new CertStore(saved?.security?.certs);
    this.securityEvents = new SecurityEvents(this, saved?.security?.events, () => this.persist());
    this.signedFirmwareInstalled = saved?.security?.signedFirmwareInstalled;
    this.queue = new TxQueue(
      {
        link: this.link,
        attempts: () => this.config.int('TransactionMessageAttempts'),
        retryIntervalS: () => this.config.int('TransactionMessageRetryInterval'),
        after: (ms, fn) => this.after(ms, fn),
        log: (line, code) => this.log(line, code),
        changed: () => this.persist(),
        startDone: (local, txId, conf) => this.onStartDone(local, txId, conf),
      },
      saved ? { queue: saved.queue, nextSeq: saved.nextSeq, txIds: saved.txIds } : undefined,
    );
  }

  /** The state loaded at construction (for recovering transactions open at a crash). */
  get restored(): PersistedState | undefined {
    return this.saved;
  }

  /** Set by transactions.ts: what to do when a StartTransaction was answered or given up. */
  onStartDone: (localTxId: number, transactionId: number, conf: StartTransactionResponse | undefined) => void = () => {};

  storeLimits(): ConstructorParameters<typeof ProfileStore>[0] {
    return {
      maxStackLevel: this.config.int('ChargeProfileMaxStackLevel'),
      maxPeriods: this.config.int('ChargingScheduleMaxPeriods'),
      maxInstalled: this.config.int('MaxChargingProfilesInstalled'),
      allowedUnits: (this.config.get('ChargingScheduleAllowedChargingRateUnit') ?? '').split(',').filter((u): u is 'Current' | 'Power' => u === 'Current' || u === 'Power'),
      numberOfConnectors: this.setup.connectors,
    };
  }

  /** Adds the energy drawn since the last integration at the (constant) power in force: ΔE = P·Δt. */
  integrate(c: Connector): void {
    const now = this.time.mono();
    const dt = now - c.lastIntegratedMs;
    c.lastIntegratedMs = now;
    if (dt <= 0 || c.powerW <= 0) return;
    const wh = (c.powerW * dt) / 3_600_000;
    c.registerWh += wh;
    if (c.ev) addEnergy(c.ev, wh);
  }

  has(quirk: QuirkName): boolean {
    return this.setup.quirks.has(quirk);
  }

  /** Connector by id (0 = the charger); throws CP_UNKNOWN_CONNECTOR. */
  connector(id: number): Connector {
    const c = this.connectors[id];
    if (!c || !Number.isInteger(id)) throw new ChargecheckError('CP_UNKNOWN_CONNECTOR', `no connector ${id} (this charger has ${this.setup.connectors})`, { connectorId: id });
    return c;
  }

  get outlets(): Connector[] {
    return this.connectors.slice(1);
  }

  /** A tracked timer: cancelled by power-off; a throw inside is logged, never crashes the host. */
  after(ms: number, fn: () => void): Timer {
    const t = this.time.after(ms, () => {
      this.timers.delete(tracked);
      if (this.poweredOff) return;
      this.guard(fn);
    });
    // a cancelled timer leaves the set too (refresh re-plans its next event on every change)
    const tracked: Timer = {
      cancel: () => {
        this.timers.delete(tracked);
        t.cancel();
      },
    };
    this.timers.add(tracked);
    return tracked;
  }

  guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      const code = isChargecheckError(err) ? err.code : 'CP_INTERNAL';
      this.log(`error: ${err instanceof Error ? err.message : String(err)}`, code);
    }
  }

  cancelTimers(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  log(line: string, code?: string): void {
    const keep = this.setup.logLines ?? LOG_LINES;
    if (keep <= 0 && !this.events.has('log')) return;
    const timeMs = this.time.now();
    if (keep > 0) {
      this.logLines.push(`${new Date(timeMs).toISOString()} ${code ? `[${code}] ` : ''}${line}`);
      if (this.logLines.length > keep) this.logLines.shift();
    }
    this.events.emit('log', code === undefined ? { timeMs, line } : { timeMs, code, line });
  }

  /** Saves everything that must survive a crash (called after every change). */
  persist(): void {
    const store = this.setup.state;
    if (!store || this.poweredOff) return;
    const q = this.queue.toJSON();
    const a = this.auth.toJSON();
    store.save({
      version: 1,
      energyWh: this.connectors.map((c) => c.registerWh),
      config: this.config.toJSON(),
      profiles: this.profiles.toJSON(),
      authCache: a.cache,
      localList: a.list,
      availability: this.connectors.map((c) => (c.scheduledAvailability ?? c.availability)),
      queue: q.queue,
      nextSeq: q.nextSeq,
      nextLocalTxId: this.nextLocalTxId,
      txIds: q.txIds,
      transactions: this.outlets.flatMap((c) => (c.tx ? [toPersisted(c.tx)] : [])),
      firmwareVersion: this.firmwareVersion,
      firmwareInstalled: this.firmwareInstalled,
      security: {
        certs: this.certs.toJSON(),
        events: [...this.securityEvents.pending],
        ...(this.signedFirmwareInstalled !== undefined ? { signedFirmwareInstalled: this.signedFirmwareInstalled } : {}),
      },
    });
  }

  /** Moves the connector to the status its state calls for, along allowed transitions, reporting each step. */
  applyStatus(c: Connector): void {
    const want = desiredStatus(c, this.connectors[0], this.setup.quirks);
    const steps = pathTo(c.status, want.status, c.id);
    if (steps.length === 0 && want.errorCode === c.errorCode) return;
    if (steps.length === 0) steps.push(want.status);
    for (const status of steps) {
      const from = c.status;
      c.status = status;
      c.errorCode = status === want.status ? want.errorCode : 'NoError';
      if (from !== status) this.log(`connector ${c.id}: ${from} -> ${status}${c.errorCode !== 'NoError' ? ` (${c.errorCode})` : ''}`);
      this.events.emit('status', { connectorId: c.id, status: c.status, errorCode: c.errorCode });
      this.reportStatus(c);
    }
  }

  /** Sends the connector's current status when Accepted and online; otherwise it goes out on reconnect. */
  reportStatus(c: Connector): void {
    if (!this.link.ready || this.down) return;
    const sent = { status: c.status, errorCode: c.errorCode };
    c.reported = sent;
    this.link
      .call('StatusNotification', { connectorId: c.id, errorCode: sent.errorCode, status: sent.status, ...(this.has('no-status-timestamp') ? {} : { timestamp: this.time.iso() }) })
      .catch(() => {
        if (c.reported === sent) c.reported = undefined;
      });
  }

  /** After a reconnect without reboot: the current status of every connector whose status changed while offline. */
  reportChanged(): void {
    for (const c of this.connectors) {
      if (!c.reported || c.reported.status !== c.status || c.reported.errorCode !== c.errorCode) this.reportStatus(c);
    }
  }

  /**
   * After every accepted boot: connector 0 and every connector. A connector with transaction
   * messages still queued (from before a restart) reports after they went out, so the CSMS sees
   * the old transaction end before the connector's new status.
   */
  reportAll(): void {
    this.queue.whenClearFor(this.connectors.map((c) => ({ connectorId: c.id, fn: () => this.reportStatus(c) })));
  }
}

function toPersisted(tx: ActiveTransaction): PersistedTransaction {
  const out: PersistedTransaction = {
    connectorId: tx.connectorId,
    localTxId: tx.localTxId,
    idTag: tx.idTag,
    meterStart: tx.meterStart,
    startMs: tx.startMs,
    registerAtStart: tx.registerAtStart,
  };
  if (tx.parentIdTag !== undefined) out.parentIdTag = tx.parentIdTag;
  if (tx.reservationId !== undefined) out.reservationId = tx.reservationId;
  return out;
}
