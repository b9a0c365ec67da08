import type { Clock } from '../clock/clock.js';
import type { ChargingProfile } from '../ocpp/types.js';
import { limitAt } from '../smartcharging/composite.js';
import { ProfileStore, type StoreLimits } from '../smartcharging/profile-store.js';

/** What a light charger exposes for smart charging; its ProfileStore exists only once a profile arrives. */
export interface SmartChargingState {
  profiles: ProfileStore | undefined;
  readonly clock: Clock;
  activeTransactionId(): number | undefined;
  transactionStartMs(): number | undefined;
}

/** One connector, three phases at 230 V: the same capability for every charger of the fleet. */
const LIMITS: StoreLimits = { maxStackLevel: 8, maxPeriods: 24, maxInstalled: 16, allowedUnits: ['Current', 'Power'], numberOfConnectors: 1 };
const NOMINAL_VOLTAGE = 230;
const PHASES = 3;

/** The EV's draw under the profiles in force now: min(EV maximum, ChargePointMax, Tx/TxDefault). */
export function powerLimitW(state: SmartChargingState, evW: number): number {
  if (!state.profiles) return evW;
  const txId = state.activeTransactionId();
  const startMs = state.transactionStartMs();
  const limit = limitAt(state.profiles.list(), {
    connectorId: 1,
    nowMs: state.clock.now(),
    transaction: txId !== undefined && startMs !== undefined ? { id: txId, startMs } : undefined,
    nominalVoltage: NOMINAL_VOLTAGE,
    phases: PHASES,
  });
  return limit === undefined ? evW : Math.max(0, Math.min(evW, Math.round(limit.watts)));
}

export function setProfile(state: SmartChargingState, connectorId: number, profile: ChargingProfile): 'Accepted' | 'Rejected' {
  state.profiles ??= new ProfileStore(LIMITS);
  const active = state.activeTransactionId();
  return state.profiles.set(connectorId, profile, (c) => (c === 1 ? active : undefined), state.clock.now()).status;
}
