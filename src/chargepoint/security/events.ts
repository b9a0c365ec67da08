import type { Charger } from '../charger.js';

/** The whitepaper's security events (digest §2.5, WP2 §8) and whether each is critical. */
export const SECURITY_EVENTS = {
  FirmwareUpdated: true,
  FailedToAuthenticateAtCentralSystem: false,
  CentralSystemFailedToAuthenticate: false,
  SettingSystemTime: true,
  StartupOfTheDevice: true,
  ResetOrReboot: true,
  SecurityLogWasCleared: true,
  ReconfigurationOfSecurityParameters: false,
  MemoryExhaustion: true,
  InvalidMessages: false,
  AttemptedReplayAttacks: false,
  TamperDetectionActivated: true,
  InvalidFirmwareSignature: false,
  InvalidFirmwareSigningCertificate: false,
  InvalidCentralSystemCertificate: false,
  InvalidChargePointCertificate: false,
  InvalidTLSVersion: false,
  InvalidTLSCipherSuite: false,
} as const;

export type SecurityEventType = keyof typeof SECURITY_EVENTS;

export interface SecurityLogEntry {
  /** Charger clock, ms. */
  timeMs: number;
  type: SecurityEventType;
  techInfo?: string;
}

export interface PendingEvent {
  type: SecurityEventType;
  timestamp: string;
  techInfo?: string;
}

const LOG_MAX = 500;
/** Undelivered events kept while offline; the oldest go first when full. */
const QUEUE_MAX = 100;

/**
 * The security log and SecurityEventNotification (WP2 A04). Every event goes to the security
 * log. An event is pushed to the CSMS when the charger works under a security profile
 * (SecurityProfile ≥ 1) or when `always` is set (events caused by a whitepaper CALL, whose sender
 * evidently speaks the whitepaper). Pushed events wait in a queue while offline and go out, in
 * order, once the charger is accepted again; a CALLERROR or timeout leaves an event queued until
 * the next connection. Quirk `no-security-events`: logged, never sent.
 */
export class SecurityEvents {
  readonly log: SecurityLogEntry[] = [];
  private queue: PendingEvent[];
  private sending = false;

  constructor(
    private readonly ch: Charger,
    saved: PendingEvent[] = [],
    private readonly changed: () => void = () => {},
  ) {
    this.queue = [...saved];
  }

  get pending(): readonly PendingEvent[] {
    return this.queue;
  }

  raise(type: SecurityEventType, techInfo?: string, always = false): void {
    const ch = this.ch;
    const timeMs = ch.time.now();
    const entry: SecurityLogEntry = techInfo === undefined ? { timeMs, type } : { timeMs, type, techInfo: techInfo.slice(0, 255) };
    this.log.push(entry);
    if (this.log.length > LOG_MAX) this.log.shift();
    ch.log(`security event ${type}${techInfo ? `: ${techInfo}` : ''}`);
    const push = always || ch.config.int('SecurityProfile') >= 1;
    if (!push) return;
    if (ch.has('no-security-events')) {
      ch.log(`SecurityEventNotification ${type} not sent (quirk no-security-events)`);
      return;
    }
    const pending: PendingEvent = { type, timestamp: ch.time.iso(timeMs) };
    if (entry.techInfo !== undefined) pending.techInfo = entry.techInfo;
    this.queue.push(pending);
    if (this.queue.length > QUEUE_MAX) this.queue.shift();
    this.changed();
    this.flush();
  }

  /** Sends queued events in order while the link is ready; called on every accepted (re)connection. */
  flush(): void {
    if (this.sending || !this.ch.link.ready || this.ch.down) return;
    const next = this.queue[0];
    if (!next) return;
    this.sending = true;
    const payload = next.techInfo === undefined ? { type: next.type, timestamp: next.timestamp } : { type: next.type, timestamp: next.timestamp, techInfo: next.techInfo };
    this.ch.link.call('SecurityEventNotification', payload).then(
      () => {
        this.sending = false;
        if (this.queue[0] === next) this.queue.shift();
        this.changed();
        this.flush();
      },
      (err: unknown) => {
        this.sending = false;
        this.ch.log(`SecurityEventNotification ${next.type} not delivered: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
  }

  /** The security log as text lines (GetLog SecurityLog), optionally between two charger times. */
  lines(fromMs = Number.NEGATIVE_INFINITY, toMs = Number.POSITIVE_INFINITY): string[] {
    return this.log.filter((e) => e.timeMs >= fromMs && e.timeMs <= toMs).map((e) => `${new Date(e.timeMs).toISOString()} ${e.type}${e.techInfo ? ` ${e.techInfo}` : ''}`);
  }
}
