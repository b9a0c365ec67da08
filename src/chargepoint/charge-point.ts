import type { Clock } from '../clock/clock.js';
import { ChargecheckError } from '../errors.js';
import type { ChargePointErrorCode, ChargePointStatus, RegistrationStatus } from '../ocpp/types.js';
import type { OcppPort } from '../rpc/port.js';
import { Charger } from './charger.js';
import type { Configuration } from './config/configuration.js';
import { FirmwareUpdater } from './firmware.js';
import { refresh, refreshAll } from './flow.js';
import { registerHandlers } from './handlers/register.js';
import * as physical from './physical.js';
import { isQuirkName, type QuirkName } from './quirks.js';
import { Registration } from './registration.js';
import type { RebootReason, Runtime } from './runtime.js';
import { scheduleAligned, syncSampling } from './sampler.js';
import { renewIfExpiring } from './security/certificates.js';
import type { SecurityEventType } from './security/events.js';
import type { LogUploadState } from './security/get-log.js';
import { applySecuritySetup, type SecuritySetup } from './security/setup.js';
import { SignedFirmwareUpdater } from './security/signed-firmware.js';
import { presentIdTag, startDone, stopTransaction } from './transactions.js';
import { DEFAULT_EV, DEFAULT_IDENTITY, type ChargePointEvents, type EvParams, type FileTransfer, type HostControl, type Identity, type StateStore } from './types.js';

export interface ChargerModelOptions {
  id: string;
  /** The charger's own clock (a DriftingClock over the run's clock, or the run's clock). */
  clock: Clock;
  identity?: Partial<Identity>;
  /** Default 1. */
  connectors?: number;
  /** The EV plug() uses when none is given. */
  ev?: Partial<EvParams>;
  /** Initial configuration overrides, validated like ChangeConfiguration (read-only keys allowed). */
  config?: Record<string, string>;
  quirks?: Iterable<QuirkName>;
  state?: StateStore;
  files?: FileTransfer;
  host?: HostControl;
  /** For voltage noise; deterministic in tests. Default Math.random. */
  random?: () => number;
  /** Take BootNotification/Heartbeat currentTime as the clock (default true). */
  syncClockFromCsms?: boolean;
  /** Rated current per phase, A (default 16). */
  ratedCurrentA?: number;
  /** Phases wired to each connector (default 3). */
  phases?: 1 | 3;
  /** Default 230 V. */
  nominalVoltage?: number;
  /** How long a reboot keeps the charger dark, ms (default 5000). */
  rebootMs?: number;
  /** Security whitepaper: certificates it is built with (docs/security.md). */
  security?: SecuritySetup;
  /** Log lines kept in memory (default 500); 0 keeps none (a swarm of thousands). */
  logLines?: number;
}

/** A transaction as observed from outside. */
export interface TransactionView {
  /** The CSMS's transactionId (undefined until StartTransaction.conf; -1 if it never came). */
  id?: number;
  localId: number;
  idTag: string;
  meterStart: number;
  startMs: number;
}

/**
 * The virtual charge point: OCPP 1.6J charger firmware talking only through an OcppPort.
 * The host calls `connected(port)` on every (re)connection and `disconnected()` when it drops;
 * physical actions (plug, idTag, faults) and observations are methods; events report changes.
 */
export class ChargerModel {
  private readonly ch: Charger;
  private readonly registrar: Registration;
  private readonly firmware: FirmwareUpdater;
  private readonly signedFirmware: SignedFirmwareUpdater;
  private readonly logUpload: LogUploadState = { status: 'Idle', generation: 0 };
  private readonly runtime: Runtime;
  private lastPort?: OcppPort;

  constructor(options: ChargerModelOptions) {
    if (!options.id) throw new ChargecheckError('CP_BAD_OPTION', 'a charge point needs an id');
    const quirks = new Set<QuirkName>();
    for (const q of options.quirks ?? []) {
      if (!isQuirkName(q)) throw new ChargecheckError('CP_UNKNOWN_QUIRK', `unknown quirk '${String(q)}'`, { quirk: q });
      quirks.add(q);
    }
    const connectors = options.connectors ?? 1;
    if (!Number.isInteger(connectors) || connectors < 1) throw new ChargecheckError('CP_BAD_OPTION', `connectors must be a positive integer, not ${connectors}`);
    this.ch = new Charger(
      {
        id: options.id,
        identity: { ...DEFAULT_IDENTITY, ...options.identity },
        connectors,
        defaultEv: { ...DEFAULT_EV, ...options.ev },
        ratedCurrentA: options.ratedCurrentA ?? 16,
        connectorPhases: options.phases ?? 3,
        nominalVoltage: options.nominalVoltage ?? 230,
        syncClockFromCsms: options.syncClockFromCsms ?? true,
        random: options.random ?? Math.random,
        rebootMs: options.rebootMs ?? 5000,
        quirks,
        ...(options.logLines !== undefined ? { logLines: options.logLines } : {}),
        ...(options.files ? { files: options.files } : {}),
        ...(options.host ? { host: options.host } : {}),
        ...(options.state ? { state: options.state } : {}),
      },
      options.clock,
    );
    const ch = this.ch;
    applySecuritySetup(ch, options.security);
    this.applyOverrides(options.config ?? {});
    ch.profiles.setLimits(ch.storeLimits());
    ch.onStartDone = (local, txId, conf) => startDone(ch, local, txId, conf);
    this.registrar = new Registration(
      ch,
      () => this.accepted(),
      () => this.resumed(),
    );
    this.firmware = new FirmwareUpdater(ch, (reason) => this.reboot(reason));
    this.signedFirmware = new SignedFirmwareUpdater(ch, (reason) => this.reboot(reason));
    this.runtime = {
      ch,
      registrar: this.registrar,
      firmware: this.firmware,
      security: { firmware: this.signedFirmware, log: this.logUpload },
      reboot: (reason) => this.reboot(reason),
    };
    ch.config.onChange((key) => ch.guard(() => this.configChanged(key)));
    this.recoverCrashedTransactions();
    refreshAll(ch);
    ch.securityEvents.raise('StartupOfTheDevice', `firmware ${ch.firmwareVersion}`);
    ch.persist();
  }

  private applyOverrides(overrides: Record<string, string>): void {
    const saved = this.ch.restored;
    if (!saved) return this.ch.config.applyOverrides(overrides);
    // after a restart the CSMS's changes win; only the vendor's read-only settings are re-applied
    const fixed = Object.fromEntries(Object.entries(overrides).filter(([k]) => !(k in saved.config) && !Object.keys(saved.config).some((s) => s.toLowerCase() === k.toLowerCase())));
    this.ch.config.applyOverrides(fixed);
  }

  /** Transactions open when the previous process died: StopTransaction(PowerLoss) queued. */
  private recoverCrashedTransactions(): void {
    const ch = this.ch;
    for (const t of ch.restored?.transactions ?? []) {
      const c = ch.connectors[t.connectorId];
      const register = c?.registerWh ?? t.registerAtStart;
      const meterStop = Math.floor(ch.has('energy-backwards') ? register - t.registerAtStart : register);
      ch.queue.enqueue('StopTransaction', { transactionId: ch.queue.txIds.get(t.localTxId) ?? -1, meterStop, timestamp: ch.time.iso(), reason: 'PowerLoss', idTag: t.idTag }, t.localTxId, t.connectorId);
      ch.log(`transaction #${t.localTxId} on connector ${t.connectorId} was open at power loss: StopTransaction(PowerLoss) queued`);
    }
  }

  private configChanged(key: string): void {
    const ch = this.ch;
    if (key === 'HeartbeatInterval') this.registrar.startHeartbeat();
    if (key === 'MeterValueSampleInterval') for (const c of ch.outlets) syncSampling(ch, c, true);
    if (key === 'ClockAlignedDataInterval') scheduleAligned(ch);
  }

  // ---- connection -------------------------------------------------------------------------

  /** The host calls this on every (re)connection: boots when needed, otherwise resumes and drains the queue. */
  connected(port: OcppPort): void {
    const ch = this.ch;
    if (ch.poweredOff) return;
    this.lastPort = port;
    ch.link.attach(port);
    registerHandlers(port, this.runtime);
    if (ch.has('lose-queue')) {
      const n = ch.queue.dropOffline();
      if (n > 0) ch.log(`${n} queued transaction message(s) lost on reconnect (quirk lose-queue)`, 'CP_QUEUE_LOST');
    }
    if (ch.down) return;
    this.registrar.connected();
  }

  disconnected(): void {
    this.ch.link.detach();
    this.registrar.disconnected();
  }

  private accepted(): void {
    const ch = this.ch;
    ch.queue.pump();
    ch.reportAll();
    this.firmware.afterBoot();
    this.signedFirmware.afterBoot();
    ch.securityEvents.flush();
    renewIfExpiring(ch);
    scheduleAligned(ch);
  }

  private resumed(): void {
    this.ch.reportChanged();
    this.ch.queue.pump();
    this.ch.securityEvents.flush();
    scheduleAligned(this.ch);
  }

  /**
   * Reboots: transactions stopped (reason), dark for `rebootMs`, then a fresh connection
   * (host.reconnect('reboot'), or the last port again) and a BootNotification.
   */
  reboot(reason: RebootReason = 'Reboot'): void {
    const ch = this.ch;
    if (ch.down || ch.poweredOff) return;
    ch.log(`reboot (${reason})`);
    ch.securityEvents.raise('ResetOrReboot', reason);
    if (reason === 'PowerLoss' && ch.has('forgets-on-reboot')) {
      for (const c of ch.connectors) {
        c.tx = undefined;
        c.availability = 'Operative';
      }
    }
    for (const c of ch.outlets) if (c.tx) stopTransaction(ch, c, reason);
    ch.down = true;
    this.registrar.needsBoot = true;
    this.registrar.disconnected();
    ch.link.registration = undefined;
    ch.link.detach();
    ch.alignedTimer?.cancel();
    for (const c of ch.connectors) {
      ch.integrate(c);
      for (const t of [c.sampleTimer, c.nextEvent, c.preparingTimer]) t?.cancel();
      c.pending = undefined;
      c.reported = undefined;
    }
    ch.persist();
    ch.after(ch.setup.rebootMs, () => {
      ch.down = false;
      refreshAll(ch);
      if (ch.setup.host) ch.setup.host.reconnect('reboot');
      else if (this.lastPort) this.connected(this.lastPort);
    });
  }

  /** Power cut (or host shutdown): state saved, every timer stopped, nothing more happens. */
  powerOff(): void {
    const ch = this.ch;
    if (ch.poweredOff) return;
    for (const c of ch.connectors) ch.integrate(c);
    ch.persist();
    ch.poweredOff = true;
    ch.cancelTimers();
    ch.queue.stop();
    this.registrar.disconnected();
    ch.link.detach();
  }

  shutdown(): void {
    this.powerOff();
  }

  // ---- physical and operator actions ------------------------------------------------------

  plug(connectorId: number, ev?: Partial<EvParams>): void {
    physical.plug(this.ch, connectorId, ev);
  }

  unplug(connectorId: number): void {
    physical.unplug(this.ch, connectorId);
  }

  /** An idTag at the reader; resolves once it was authorized (or refused) and acted on. */
  presentIdTag(idTag: string, connectorId?: number): Promise<void> {
    return presentIdTag(this.ch, idTag, connectorId);
  }

  fault(connectorId: number, errorCode: ChargePointErrorCode = 'OtherError'): void {
    physical.fault(this.ch, connectorId, errorCode);
  }

  clearFault(connectorId: number): void {
    physical.clearFault(this.ch, connectorId);
  }

  setEv(connectorId: number, params: Partial<EvParams>): void {
    physical.setEv(this.ch, connectorId, params);
  }

  // ---- observation ------------------------------------------------------------------------

  status(connectorId: number): ChargePointStatus {
    return this.ch.connector(connectorId).status;
  }

  errorCode(connectorId: number): ChargePointErrorCode {
    return this.ch.connector(connectorId).errorCode;
  }

  powerW(connectorId: number): number {
    return this.ch.connector(connectorId).powerW;
  }

  offeredW(connectorId: number): number {
    return this.ch.connector(connectorId).offeredW;
  }

  /** The smart-charging limit in force, W (undefined = none). */
  limitW(connectorId: number): number | undefined {
    const c = this.ch.connector(connectorId);
    refresh(this.ch, c);
    return c.limitW;
  }

  /**
   * The limit computed at the connector's last re-evaluation, W, without re-evaluating (safe
   * inside a `meter` listener, which runs during one).
   */
  limitInForceW(connectorId: number): number | undefined {
    return this.ch.connector(connectorId).limitW;
  }

  /** Transaction messages queued, answered, and dropped (CALLERROR attempts used up, or `lose-queue`). */
  get txMessageCounts(): { readonly enqueued: number; readonly delivered: number; readonly dropped: number } {
    return this.ch.queue.counts;
  }

  /** The energy register, Wh (exact): one connector's, or the sum over all. */
  energyWh(connectorId?: number): number {
    const cs = connectorId === undefined ? this.ch.outlets : [this.ch.connector(connectorId)];
    let sum = 0;
    for (const c of cs) {
      this.ch.integrate(c);
      sum += c.registerWh;
    }
    return sum;
  }

  socPercent(connectorId: number): number | undefined {
    const c = this.ch.connector(connectorId);
    this.ch.integrate(c);
    return c.ev?.socPercent;
  }

  transaction(connectorId: number): TransactionView | undefined {
    const tx = this.ch.connector(connectorId).tx;
    if (!tx) return undefined;
    const view: TransactionView = { localId: tx.localTxId, idTag: tx.idTag, meterStart: tx.meterStart, startMs: tx.startMs };
    if (tx.transactionId !== undefined) view.id = tx.transactionId;
    return view;
  }

  get configuration(): Configuration {
    return this.ch.config;
  }

  /** The last BootNotification answer (undefined before the first, and after a reboot). */
  get registration(): RegistrationStatus | undefined {
    return this.ch.link.registration;
  }

  get quirks(): ReadonlySet<QuirkName> {
    return this.ch.setup.quirks;
  }

  /**
   * Raises a security event (WP2 §8) from outside the model, e.g. the host's TLS check of the
   * CSMS certificate (InvalidCentralSystemCertificate) or a refused login.
   */
  securityEvent(type: SecurityEventType, techInfo?: string): void {
    this.ch.securityEvents.raise(type, techInfo);
  }

  /**
   * WP2 A05: the connection on a raised SecurityProfile failed, so the firmware goes back to the
   * profile it last connected with (the only way down; ChangeConfiguration cannot lower it).
   */
  fallBackSecurityProfile(profile: number): void {
    const ch = this.ch;
    const from = ch.config.int('SecurityProfile');
    if (profile >= from) return;
    ch.config.change('SecurityProfile', String(profile), { force: true });
    ch.persist();
    ch.log(`SecurityProfile ${from} could not connect: back to ${profile}`);
    ch.securityEvents.raise('ReconfigurationOfSecurityParameters', `SecurityProfile ${from} failed to connect; fallback to ${profile}`);
  }

  /** The security log (GetLog SecurityLog), oldest first. */
  get securityLog(): readonly { timeMs: number; type: SecurityEventType; techInfo?: string }[] {
    return this.ch.securityEvents.log;
  }

  /** The charge point certificate chain and key (Security Profile 3), when it has one. */
  get clientCertificate(): { cert: string; key: string } | undefined {
    const own = this.ch.certs.chargePoint;
    return own ? { cert: own.chain, key: own.key } : undefined;
  }

  /** Installed root certificates (PEM) of one type. */
  rootCertificates(type: 'CentralSystemRootCertificate' | 'ManufacturerRootCertificate'): string[] {
    return this.ch.certs.rootPems(type);
  }

  get firmwareVersion(): string {
    return this.ch.firmwareVersion;
  }

  get id(): string {
    return this.ch.setup.id;
  }

  /** Transaction messages waiting for delivery. */
  get queueLength(): number {
    return this.ch.queue.length;
  }

  /** The charger's own clock (what its timestamps say), ms. */
  clockNow(): number {
    return this.ch.time.now();
  }

  on<K extends keyof ChargePointEvents>(event: K, listener: (payload: ChargePointEvents[K]) => void): () => void {
    return this.ch.events.on(event, listener);
  }
}
