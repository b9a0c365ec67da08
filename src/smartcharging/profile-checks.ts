import type { ChargingProfile } from '../ocpp/types.js';
import { isoToMs } from './iso-time.js';

/** Capability limits of the charger, from its Smart Charging configuration keys (digest §6). */
export interface StoreLimits {
  /** ChargeProfileMaxStackLevel */
  maxStackLevel: number;
  /** ChargingScheduleMaxPeriods (periods per schedule) */
  maxPeriods: number;
  /** MaxChargingProfilesInstalled */
  maxInstalled: number;
  /** ChargingScheduleAllowedChargingRateUnit: `Current` accepts A schedules, `Power` W schedules. */
  allowedUnits: readonly ('Current' | 'Power')[];
  /** NumberOfConnectors; valid connector ids are 0..numberOfConnectors. */
  numberOfConnectors: number;
}

/**
 * Why a profile cannot be installed on that connector, or `undefined` when it can as far as the
 * profile itself and the capability limits go. The transaction rule and the installed count are
 * checked by the store, which knows the state.
 */
export function profileProblem(connectorId: number, profile: ChargingProfile, limits: StoreLimits): string | undefined {
  const purpose = profile.chargingProfilePurpose;
  const schedule = profile.chargingSchedule;
  const periods = schedule.chargingSchedulePeriod;
  if (!Number.isInteger(connectorId) || connectorId < 0 || connectorId > limits.numberOfConnectors) {
    return `connectorId ${connectorId} does not exist (0..${limits.numberOfConnectors})`;
  }
  if (purpose === 'ChargePointMaxProfile' && connectorId !== 0) return 'ChargePointMaxProfile is only allowed on connectorId 0';
  if (purpose === 'TxProfile' && connectorId === 0) return 'TxProfile is only allowed on a connectorId > 0';
  if (profile.stackLevel < 0 || profile.stackLevel > limits.maxStackLevel) {
    return `stackLevel ${profile.stackLevel} exceeds ChargeProfileMaxStackLevel ${limits.maxStackLevel}`;
  }
  if (periods.length > limits.maxPeriods) {
    return `${periods.length} periods exceed ChargingScheduleMaxPeriods ${limits.maxPeriods}`;
  }
  const unitKey = schedule.chargingRateUnit === 'A' ? 'Current' : 'Power';
  if (!limits.allowedUnits.includes(unitKey)) {
    return `chargingRateUnit ${schedule.chargingRateUnit} not allowed (ChargingScheduleAllowedChargingRateUnit lacks ${unitKey})`;
  }
  if (periods.length === 0) return 'chargingSchedulePeriod is empty';
  if (periods[0].startPeriod !== 0) return 'the first chargingSchedulePeriod must have startPeriod 0';
  for (let i = 1; i < periods.length; i++) {
    if (periods[i].startPeriod <= periods[i - 1].startPeriod) return 'chargingSchedulePeriod startPeriod values must increase';
  }
  if (periods.some((p) => p.limit < 0)) return 'a chargingSchedulePeriod limit is negative';
  if (profile.chargingProfileKind === 'Recurring' && profile.recurrencyKind === undefined) {
    return 'a Recurring profile needs a recurrencyKind';
  }
  for (const [name, text] of [
    ['validFrom', profile.validFrom],
    ['validTo', profile.validTo],
    ['startSchedule', schedule.startSchedule],
  ] as const) {
    if (Number.isNaN(isoToMs(text))) return `${name} is not a date-time`;
  }
  return undefined;
}
