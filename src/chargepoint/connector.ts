import type { Timer } from '../clock/clock.js';
import type { ChargePointErrorCode, ChargePointStatus, ChargingProfile } from '../ocpp/types.js';
import type { EvState } from './ev.js';
import type { TxMeterValue } from './measurands.js';
import type { PersistedTransaction } from './types.js';

/** A transaction running on a connector. */
export interface ActiveTransaction extends PersistedTransaction {
  /** The CSMS's transactionId once StartTransaction.conf arrived. */
  transactionId?: number;
  /** The CSMS refused the idTag and StopTransactionOnInvalidId is false: energy is cut. */
  deauthorized?: boolean;
  /** Readings taken at the start (Transaction.Begin) for StopTransaction.transactionData. */
  beginValues?: TxMeterValue;
  /** A TxProfile from RemoteStartTransaction, installed when StartTransaction.conf brings the id. */
  remoteProfile?: ChargingProfile;
  /** Monotonic start time (sampling intervals count from it). */
  startMono: number;
  /** The number of the last periodic sample taken (1 = one interval after the start). */
  lastSample?: number;
}

/** An idTag authorized on a connector, waiting for the EV to be plugged (or a remote start). */
export interface PendingAuthorization {
  idTag: string;
  parentIdTag?: string;
  reservationId?: number;
  /** A TxProfile from RemoteStartTransaction, installed once the transaction has an id. */
  profile?: ChargingProfile;
  timer?: Timer;
}

export interface Reservation {
  reservationId: number;
  idTag: string;
  parentIdTag?: string;
  expiryMs: number;
  timer?: Timer;
}

/**
 * One connector's state. The status is derived (charger.ts `desiredStatus`) and moved only
 * along the transition table; `reported` is what the CSMS last heard.
 */
export class Connector {
  status: ChargePointStatus = 'Available';
  errorCode: ChargePointErrorCode = 'NoError';
  /** Status and error code last delivered in a StatusNotification (undefined = never). */
  reported?: { status: ChargePointStatus; errorCode: ChargePointErrorCode };
  ev?: EvState;
  /** The EV was unplugged at the EV side while a transaction continues (StopTransactionOnEVSideDisconnect=false). */
  evSideDisconnected = false;
  pending?: PendingAuthorization;
  tx?: ActiveTransaction;
  /** The transaction ended (or Preparing timed out) with the cable still in: Finishing until unplugged. */
  finishing = false;
  fault?: ChargePointErrorCode;
  availability: 'Operative' | 'Inoperative' = 'Operative';
  /** ChangeAvailability answered Scheduled: applied when the transaction ends. */
  scheduledAvailability?: 'Operative' | 'Inoperative';
  reservation?: Reservation;
  /** Energy register, Wh (float; reported rounded). */
  registerWh = 0;
  /** Power now drawn by the EV, W; constant until the next refresh. */
  powerW = 0;
  /** Power offered to the EV, W. */
  offeredW = 0;
  /** Phases in use (the EV's, capped by the connector's). */
  phases = 3;
  /** The smart-charging limit in force, W (undefined = none). */
  limitW?: number;
  /** Quirk `hidden-import`: importing under a limit of 0 while reporting 0 W and SuspendedEVSE. */
  hiddenImport?: boolean;
  /** Monotonic time of the last integration. */
  lastIntegratedMs = 0;
  /** The next re-evaluation (taper step, schedule change). */
  nextEvent?: Timer;
  /** Preparing's ConnectionTimeOut. */
  preparingTimer?: Timer;
  /** The next sampled MeterValues (MeterValueSampleInterval from the transaction start). */
  sampleTimer?: Timer;

  constructor(readonly id: number) {}

  /** The EV is there and connected (not EV-side disconnected). */
  get evConnected(): boolean {
    return this.ev !== undefined && !this.evSideDisconnected;
  }
}
