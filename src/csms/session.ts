import type { Clock } from '../clock/clock.js';
import { isoTime } from '../clock/clock.js';
import type { ActionName } from '../ocpp/catalogue.js';
import type { BootNotificationRequest, ChargePointStatus, IdTagInfo, RegistrationStatus, RequestOf, ResponseOf } from '../ocpp/types.js';
import { OcppCallError } from '../rpc/call-error.js';
import type { RpcEndpoint } from '../rpc/endpoint.js';
import type { CallContext, CallOptions, ReplyOverride } from '../rpc/port.js';
import { ReplyOverrides } from '../rpc/reply-overrides.js';
import type { CsrSigner } from './cert-signer.js';
import type { TransactionRecord } from './transactions.js';
import { applyChargerCall } from './view.js';

export interface ConnectorState {
  status: ChargePointStatus;
  errorCode: string;
  timestamp: number;
}

/**
 * What the transport knew about the connection (TLS, auth), for reports: a summary of
 * transport/server-connection-info.ts's ConnectionInfo.
 */
export interface LinkSummary {
  readonly tlsVersion?: string;
  readonly cipher?: string;
  readonly authForm?: 'hex' | 'text' | 'none';
  readonly remoteAddress?: string;
}

/** Decisions the CSMS takes for every charger; the platform behaviour and scenarios change them. */
export interface CsmsPolicy {
  heartbeatIntervalSec: number;
  registration(chargePointId: string, boot: BootNotificationRequest): RegistrationStatus;
  authorize(idTag: string): IdTagInfo;
  /** Signs chargers' CSRs (SignCertificate → CertificateSigned); without one SignCertificate is Rejected. */
  signer?: CsrSigner;
}

export interface SessionListener {
  call?(action: ActionName, payload: unknown): void;
  boot?(boot: BootNotificationRequest, status: RegistrationStatus): void;
  status?(connectorId: number, state: ConnectorState): void;
  transaction?(tx: TransactionRecord, phase: 'started' | 'stopped' | 'meter'): void;
  closed?(code: number, reason: string): void;
}

/** Shared across all sessions of one CSMS: transaction ids and which chargers were ever accepted. */
export interface CsmsShared {
  nextTransactionId(): number;
  readonly accepted: Set<string>;
  readonly transactions: Map<number, TransactionRecord>;
}

/**
 * One charger's connection as the CSMS sees it: answers every charger-initiated 1.6 message validly,
 * remembers boot data, connector statuses and transactions, and lets the platform call the charger.
 */
export class CsmsSession {
  boot: BootNotificationRequest | undefined;
  registration: RegistrationStatus | undefined;
  readonly connectors = new Map<number, ConnectorState>();
  private readonly overrides = new ReplyOverrides();
  private readonly listeners = new Set<SessionListener>();

  constructor(
    readonly chargePointId: string,
    readonly endpoint: RpcEndpoint,
    private readonly clock: Clock,
    private readonly policy: CsmsPolicy,
    private readonly shared: CsmsShared,
    readonly connection: LinkSummary = {},
  ) {
    this.install();
    endpoint.onClose((code, reason) => this.emit((l) => l.closed?.(code, reason)));
  }

  get isOpen(): boolean {
    return this.endpoint.isOpen;
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls the charger (CSMS-initiated message). */
  call<A extends ActionName>(action: A, payload: RequestOf<A>, options?: CallOptions): Promise<ResponseOf<A>> {
    return this.endpoint.call(action, payload, options);
  }

  /** The reply to the next CALL of `action` is this instead of the default; returns a cancel function. */
  overrideNext(action: ActionName, reply: ReplyOverride): () => void {
    return this.overrides.add(action, reply);
  }

  transactions(): TransactionRecord[] {
    return [...this.shared.transactions.values()].filter((t) => t.chargePointId === this.chargePointId);
  }

  private emit(fn: (l: SessionListener) => void): void {
    for (const l of this.listeners) fn(l);
  }

  /** Registers a handler that first honours an override, then the SecurityError rule, then the default. */
  private on<A extends ActionName>(action: A, fallback: (payload: RequestOf<A>, ctx: CallContext) => ResponseOf<A> | Promise<ResponseOf<A>>): void {
    this.endpoint.handle(action, (payload, ctx) => {
      this.emit((l) => l.call?.(action, payload));
      const override = this.overrides.take(action);
      if (override) {
        if (override.kind === 'error') throw new OcppCallError(override.code as never, override.description ?? 'scripted by the scenario');
        if (action !== 'BootNotification') return override.payload as unknown as ResponseOf<A>;
      }
      if (action !== 'BootNotification' && !this.mayTalk()) {
        // OCPP-J errata 3.8: a charger that was never accepted may only send BootNotification.
        throw new OcppCallError('SecurityError', `${this.chargePointId} has not been accepted (send BootNotification first)`);
      }
      if (override && action === 'BootNotification') return this.acceptBoot(payload as BootNotificationRequest, ctx, override.payload) as ResponseOf<A>;
      return fallback(payload, ctx);
    });
  }

  private mayTalk(): boolean {
    return this.registration === 'Accepted' || this.registration === 'Pending' || this.shared.accepted.has(this.chargePointId);
  }

  /** The `boot` event fires once the answer is on the wire, so nothing the CSMS sends on it overtakes BootNotification.conf. */
  private acceptBoot(boot: BootNotificationRequest, ctx: CallContext, forced?: Record<string, unknown>): ResponseOf<'BootNotification'> {
    const status = (forced?.status as RegistrationStatus | undefined) ?? this.policy.registration(this.chargePointId, boot);
    this.boot = boot;
    this.registration = status;
    if (status === 'Accepted') this.shared.accepted.add(this.chargePointId);
    const reply = { status, currentTime: isoTime(this.clock), interval: this.policy.heartbeatIntervalSec, ...forced };
    ctx.afterReply(() => this.emit((l) => l.boot?.(boot, status)));
    return reply as ResponseOf<'BootNotification'>;
  }

  /** Feeds an answered charger CALL to the shared reducer (csms/view.ts) and tells the listeners. */
  private apply(action: ActionName, payload: object, result: object): ReturnType<typeof applyChargerCall> {
    const change = applyChargerCall(this.shared.transactions, this.chargePointId, action, payload as Record<string, unknown>, result as Record<string, unknown>);
    if (change?.kind === 'transaction') this.emit((l) => l.transaction?.(change.transaction, change.phase));
    return change;
  }

  /**
   * SignCertificate (WP2 A02): Accepted when a signer is configured and the CSR checks out; the
   * signed chain follows in a CertificateSigned once the answer is out.
   */
  private async signCertificate(csr: string, ctx: CallContext): Promise<ResponseOf<'SignCertificate'>> {
    const signer = this.policy.signer;
    if (!signer || (await signer.check(this.chargePointId, csr)) !== undefined) return { status: 'Rejected' };
    ctx.afterReply(() => {
      const release = this.clock.hold(`${this.chargePointId} signing a certificate`);
      signer
        .sign(this.chargePointId, csr)
        .then((certificateChain) => this.call('CertificateSigned', { certificateChain }))
        .catch(() => undefined)
        .finally(release);
    });
    return { status: 'Accepted' };
  }

  private install(): void {
    const now = () => isoTime(this.clock);
    this.on('BootNotification', (p, ctx) => this.acceptBoot(p, ctx));
    this.on('Heartbeat', () => ({ currentTime: now() }));
    this.on('StatusNotification', (p) => {
      const change = this.apply('StatusNotification', p, {});
      if (change?.kind === 'status') {
        const state: ConnectorState = { status: p.status, errorCode: change.change.errorCode, timestamp: change.change.chargerTime ?? this.clock.now() };
        this.connectors.set(p.connectorId, state);
        this.emit((l) => l.status?.(p.connectorId, state));
      }
      return {};
    });
    this.on('Authorize', (p) => ({ idTagInfo: this.policy.authorize(p.idTag) }));
    this.on('StartTransaction', (p) => {
      const reply = { transactionId: this.shared.nextTransactionId(), idTagInfo: this.policy.authorize(p.idTag) };
      this.apply('StartTransaction', p, reply);
      return reply;
    });
    this.on('StopTransaction', (p) => {
      this.apply('StopTransaction', p, {});
      // The CSMS cannot refuse a stop; an unknown id (e.g. -1) is still answered normally.
      return p.idTag ? { idTagInfo: this.policy.authorize(p.idTag) } : {};
    });
    this.on('MeterValues', (p) => {
      this.apply('MeterValues', p, {});
      return {};
    });
    this.on('DataTransfer', () => ({ status: 'UnknownVendorId' }));
    this.on('FirmwareStatusNotification', () => ({}));
    this.on('DiagnosticsStatusNotification', () => ({}));
    this.on('SecurityEventNotification', () => ({}));
    this.on('SignedFirmwareStatusNotification', () => ({}));
    this.on('LogStatusNotification', () => ({}));
    this.on('SignCertificate', (p, ctx) => this.signCertificate(p.csr, ctx));
  }
}
