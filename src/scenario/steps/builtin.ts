import { StepRegistry } from '../registry.js';
import { assertSteps } from './assert.js';
import { callSteps } from './calls.js';
import { chargerSteps } from './charger.js';
import { csmsActSteps } from './csms-act.js';
import { expectSteps } from './expect.js';
import { meterSteps } from './meter.js';
import { networkSteps } from './network.js';
import { timeSteps } from './time.js';
import { trafficSteps } from './traffic.js';

/** The registry of every built-in step, in the order the docs and the schema list them. */
export function builtinSteps(): StepRegistry {
  return new StepRegistry([
    ...networkSteps,
    ...chargerSteps,
    ...callSteps,
    ...csmsActSteps,
    ...expectSteps,
    ...meterSteps,
    ...timeSteps,
    ...assertSteps,
    ...trafficSteps,
  ]);
}
