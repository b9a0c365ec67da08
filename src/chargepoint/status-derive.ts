import type { ChargePointErrorCode, ChargePointStatus } from '../ocpp/types.js';
import type { Connector } from './connector.js';
import { isFull } from './ev.js';
import type { QuirkName } from './quirks.js';

export interface DerivedStatus {
  status: ChargePointStatus;
  errorCode: ChargePointErrorCode;
}

/**
 * The status a connector should report for its state (digest §5): Faulted over everything, then
 * a transaction's Charging / SuspendedEV / SuspendedEVSE (power > 0 exactly when Charging; both
 * suspending → SuspendedEVSE), then Unavailable, Finishing, Reserved, Preparing, Available.
 */
export function desiredStatus(c: Connector, charger: Connector, quirks: ReadonlySet<QuirkName>): DerivedStatus {
  const neverFaulted = quirks.has('never-faulted');
  if (c.id === 0) {
    if (c.fault && !neverFaulted) return { status: 'Faulted', errorCode: c.fault };
    return { status: c.availability === 'Inoperative' ? 'Unavailable' : 'Available', errorCode: c.fault ?? 'NoError' };
  }
  if (c.fault && !neverFaulted) return { status: 'Faulted', errorCode: c.fault };
  const errorCode = c.fault ?? 'NoError';
  if (c.tx) {
    if (c.offeredW <= 0 && !c.evSideDisconnected) return { status: 'SuspendedEVSE', errorCode };
    if (c.powerW > 0) return { status: 'Charging', errorCode };
    if (quirks.has('charging-without-power') && c.ev && isFull(c.ev)) return { status: 'Charging', errorCode };
    return { status: 'SuspendedEV', errorCode };
  }
  if (c.availability === 'Inoperative' || charger.availability === 'Inoperative') return { status: 'Unavailable', errorCode };
  if (c.finishing && !quirks.has('sloppy-statuses')) return { status: 'Finishing', errorCode };
  if (c.reservation && !c.pending) return { status: 'Reserved', errorCode };
  if (c.ev || (c.pending && !quirks.has('sloppy-statuses'))) return { status: 'Preparing', errorCode };
  return { status: 'Available', errorCode };
}
