import type { CertStoreState } from './security/cert-store.js';
import type { PendingEvent } from './security/events.js';
import type { ChargePointErrorCode, ChargePointStatus, RegistrationStatus, StopReason } from '../ocpp/types.js';

/** The EV plugged into a connector. Power is AC, total over the phases in use. */
export interface EvParams {
  /** Usable battery capacity, Wh. */
  capacityWh: number;
  /** State of charge when plugged, percent. */
  socPercent: number;
  /** The most the EV's on-board charger takes, W (total; an EV may draw less than offered). */
  maxPowerW: number;
  /** Phases the EV's on-board charger uses: 1 or 3. */
  phases: 1 | 3;
  /** From this SoC on, the draw tapers linearly (in 1 % steps) towards `minTaperFraction`. */
  taperStartSoc: number;
  /** Fraction of maxPowerW still drawn just below 100 %. */
  minTaperFraction: number;
  /** The EV stops drawing at this SoC (full). */
  targetSoc: number;
  /** The EV pauses charging (SuspendedEV) while true. */
  paused: boolean;
}

export const DEFAULT_EV: EvParams = {
  capacityWh: 60_000,
  socPercent: 40,
  maxPowerW: 11_000,
  phases: 3,
  taperStartSoc: 80,
  minTaperFraction: 0.1,
  targetSoc: 100,
  paused: false,
};

export interface Identity {
  vendor: string;
  model: string;
  serialNumber: string;
  firmwareVersion: string;
  meterType: string;
  meterSerialNumber?: string;
}

export const DEFAULT_IDENTITY: Identity = {
  vendor: 'chargecheck',
  model: 'VirtualCP-1',
  serialNumber: 'VCP-0001',
  firmwareVersion: '1.0.0',
  meterType: 'virtual-meter',
};

/** Where the charger keeps what survives a crash or restart; the host backs it with a file. */
export interface StateStore {
  load(): PersistedState | undefined;
  save(state: PersistedState): void;
}

/** Real file transfer, done by the host (HTTP(S)). */
export interface FileTransfer {
  /** `data`: the image itself, when the transfer keeps it (signed firmware checks its signature). */
  download(url: string): Promise<{ bytes: number; name: string; data?: Uint8Array }>;
  upload(url: string, fileName: string, content: string): Promise<void>;
}

/** What the charger asks of its host. */
export interface HostControl {
  /** Drop the connection and connect again (reasons: 'reboot', 'authorization-key', 'security-profile', 'certificate-renewed'). */
  reconnect(reason: string): void;
}

/** A message waiting in the offline transaction queue. */
export interface QueuedMessage {
  seq: number;
  action: 'StartTransaction' | 'StopTransaction' | 'MeterValues';
  /** The payload; `transactionId` is filled in from `localTxId` when sent. */
  payload: Record<string, unknown>;
  /** The charger's own number for the transaction this message belongs to. */
  localTxId?: number;
  /** Transmissions so far that were answered with CALLERROR. */
  attempts: number;
  /** Enqueued while the charger was offline. */
  offline: boolean;
}

export interface PersistedTransaction {
  connectorId: number;
  localTxId: number;
  idTag: string;
  parentIdTag?: string;
  meterStart: number;
  startMs: number;
  registerAtStart: number;
  reservationId?: number;
}

export interface AuthEntry {
  idTag: string;
  status: 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';
  expiryDate?: string;
  parentIdTag?: string;
}

/** Everything the charger persists; plain JSON. */
export interface PersistedState {
  version: 1;
  /** Energy register per connector (index = connector id; 0 unused), Wh. */
  energyWh: number[];
  /** Configuration values (canonical key names). */
  config: Record<string, string>;
  /** ProfileStore.toJSON(). */
  profiles: unknown;
  authCache: AuthEntry[];
  localList: { version: number; entries: AuthEntry[] };
  /** Availability per connector (index 0 = the charger). */
  availability: ('Operative' | 'Inoperative')[];
  queue: QueuedMessage[];
  nextSeq: number;
  nextLocalTxId: number;
  /** localTxId -> CSMS transactionId (-1 when it never got one). */
  txIds: Record<string, number>;
  /** Transactions open when saved; after a crash they are stopped with PowerLoss. */
  transactions: PersistedTransaction[];
  firmwareVersion: string;
  /** An install that reboots: report Installed after the next accepted boot. */
  firmwareInstalled?: boolean;
  /** Security whitepaper: certificate store, undelivered security events, a signed install to confirm. */
  security?: PersistedSecurity;
}

export interface PersistedSecurity {
  certs: CertStoreState;
  events: PendingEvent[];
  /** requestId of a signed firmware install that reboots: report Installed after the next accepted boot. */
  signedFirmwareInstalled?: number;
}

export interface StatusEvent {
  connectorId: number;
  status: ChargePointStatus;
  errorCode: ChargePointErrorCode;
}

export interface TransactionEvent {
  connectorId: number;
  localTxId: number;
  transactionId?: number;
  idTag: string;
  meterStart: number;
  meterStop?: number;
  reason?: StopReason;
}

export interface MeterEvent {
  /** Charger clock time, ms. */
  timeMs: number;
  connectorId: number;
  powerW: number;
  offeredW: number;
  energyWh: number;
  socPercent?: number;
}

export interface ChargePointEvents {
  status: StatusEvent;
  transactionStarted: TransactionEvent;
  /** StartTransaction.conf arrived: `transactionId` is the CSMS's (-1 when the charger gave up waiting). */
  transactionConfirmed: TransactionEvent;
  transactionStopped: TransactionEvent;
  boot: { status: RegistrationStatus; firmwareVersion: string };
  firmware: { status: string };
  diagnostics: { status: string };
  meter: MeterEvent;
  log: { timeMs: number; code?: string; line: string };
}
