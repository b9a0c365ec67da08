import type { JsonSchema } from './registry.js';

/** The EV's parameters, shared by `charger.ev` in the setup and the `setEv` step. */
export const evProperties: Record<string, JsonSchema> = {
  capacityWh: { type: 'number', exclusiveMinimum: 0, description: 'Battery capacity in Wh' },
  socPercent: { type: 'number', minimum: 0, maximum: 100, description: 'State of charge in %' },
  maxPowerW: { type: 'number', exclusiveMinimum: 0, description: 'Most power the EV accepts, in W' },
  phases: { enum: [1, 3], description: 'Phases the EV charges on' },
  paused: { type: 'boolean', description: 'The EV stops drawing power (SuspendedEV) while true' },
};
