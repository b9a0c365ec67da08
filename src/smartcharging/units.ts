import type { ChargingRateUnit } from '../ocpp/types.js';

/** A limit in both units: `amps` per phase, `watts` total, over `phases` phases. */
export interface Limit {
  amps: number;
  watts: number;
  phases: number;
}

/** The electrical facts A <-> W conversion needs. */
export interface Supply {
  /** Regional nominal line voltage (230, 110), not a measured one. */
  nominalVoltage: number;
  /** Phases actually in use. */
  phases: number;
}

/**
 * One schedule period's limit in both units. `A` is per phase, `W` is total; the phases are the
 * period's numberPhases (default 3) but never more than are in use: per errata 3.34 a limit meant
 * for more phases than in use is applied unchanged to the phases in use, not rescaled.
 */
export function periodLimit(limit: number, unit: ChargingRateUnit, numberPhases: number | undefined, supply: Supply): Limit {
  const phases = Math.max(1, Math.min(numberPhases ?? 3, supply.phases));
  const voltsTimesPhases = supply.nominalVoltage * phases;
  return unit === 'A'
    ? { amps: limit, watts: limit * voltsTimesPhases, phases }
    : { amps: voltsTimesPhases > 0 ? limit / voltsTimesPhases : 0, watts: limit, phases };
}

/** The tighter of two limits: every bound of both holds (fewest phases, lowest amps, lowest watts). */
export function tighter(a: Limit, b: Limit, nominalVoltage: number): Limit {
  const phases = Math.min(a.phases, b.phases);
  const voltsTimesPhases = nominalVoltage * phases;
  let amps = Math.min(a.amps, b.amps);
  const watts = Math.min(a.watts, b.watts, amps * voltsTimesPhases);
  if (voltsTimesPhases > 0) amps = Math.min(amps, watts / voltsTimesPhases);
  return { amps, watts, phases };
}

/**
 * Rounds down to the one decimal the schemas allow (`multipleOf: 0.1`), so a reported limit is
 * never above the real one. The epsilon keeps 16.3 at 16.3 despite binary floats.
 */
export function roundDownToTenth(value: number): number {
  const tenths = Math.floor(value * 10 + 1e-6);
  return tenths / 10;
}
