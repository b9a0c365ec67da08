import { OCPP16_CASE_IDS } from '../conformance/profiles/ocpp16-cases.js';
import { PLATFORM_REQUIREMENT_IDS } from './requirement-ids.js';
import { buildScenarioSchema } from './schema.js';
import { builtinSteps } from './steps/builtin.js';

/** Where the editor schema is committed, relative to the package root. */
export const SCENARIO_SCHEMA_PATH = 'schemas/scenario.schema.json';

/** The text of schemas/scenario.schema.json: built-in steps, platform-1.6j requirement ids. */
export function renderScenarioSchema(): string {
  return JSON.stringify(buildScenarioSchema({ registry: builtinSteps(), requirementIds: [...PLATFORM_REQUIREMENT_IDS, ...OCPP16_CASE_IDS] }), null, 2) + '\n';
}
