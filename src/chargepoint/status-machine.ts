import { ChargecheckError } from '../errors.js';
import type { ChargePointStatus } from '../ocpp/types.js';

/**
 * The OCPP 1.6 connector status transition table (digest §5; rows = from). A transition not in
 * the table is a model bug: `assertTransition` throws CP_ILLEGAL_TRANSITION.
 */
const ALLOWED: Readonly<Record<ChargePointStatus, readonly ChargePointStatus[]>> = {
  Available: ['Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Reserved', 'Unavailable', 'Faulted'],
  Preparing: ['Available', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing', 'Faulted'],
  Charging: ['Available', 'SuspendedEV', 'SuspendedEVSE', 'Finishing', 'Unavailable', 'Faulted'],
  SuspendedEV: ['Available', 'Charging', 'SuspendedEVSE', 'Finishing', 'Unavailable', 'Faulted'],
  SuspendedEVSE: ['Available', 'Charging', 'SuspendedEV', 'Finishing', 'Unavailable', 'Faulted'],
  Finishing: ['Available', 'Preparing', 'Unavailable', 'Faulted'],
  Reserved: ['Available', 'Preparing', 'Unavailable', 'Faulted'],
  Unavailable: ['Available', 'Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Faulted'],
  Faulted: ['Available', 'Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing', 'Reserved', 'Unavailable'],
};

/** Connector 0 (the charger as a whole) only ever reports these. */
export const CONNECTOR_ZERO_STATUSES: readonly ChargePointStatus[] = ['Available', 'Unavailable', 'Faulted'];

export function canTransition(from: ChargePointStatus, to: ChargePointStatus, connectorId = 1): boolean {
  if (connectorId === 0 && !CONNECTOR_ZERO_STATUSES.includes(to)) return false;
  return ALLOWED[from].includes(to);
}

export function assertTransition(from: ChargePointStatus, to: ChargePointStatus, connectorId = 1): void {
  if (!canTransition(from, to, connectorId)) {
    throw new ChargecheckError('CP_ILLEGAL_TRANSITION', `connector ${connectorId}: ${from} -> ${to} is not in the OCPP 1.6 transition table`, {
      connectorId,
      from,
      to,
    });
  }
}

/**
 * The statuses to pass through to get from `from` to `to` along allowed transitions: `[to]` when
 * direct, `[Preparing, to]` when it needs a user-interaction step first (Finishing -> Charging
 * is F2 then B3; Reserved -> Charging is G2 then B3), else `[Available, to]` when the use ended
 * first (Preparing -> Unavailable is B1 then A8). Throws CP_ILLEGAL_TRANSITION when there is none.
 */
export function pathTo(from: ChargePointStatus, to: ChargePointStatus, connectorId = 1): ChargePointStatus[] {
  if (from === to) return [];
  if (canTransition(from, to, connectorId)) return [to];
  if (canTransition(from, 'Preparing', connectorId) && canTransition('Preparing', to, connectorId)) return ['Preparing', to];
  if (canTransition(from, 'Available', connectorId) && canTransition('Available', to, connectorId)) return ['Available', to];
  assertTransition(from, to, connectorId);
  return [to];
}
