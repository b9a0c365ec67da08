/**
 * Writes schemas/scenario.schema.json (the JSON Schema editors use to check and complete scenario
 * files) from the step registry. Run `npx tsx scripts/gen-scenario-schema.ts` after changing a
 * step; test/scenario.schema-fresh.test.ts fails while the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderScenarioSchema, SCENARIO_SCHEMA_PATH } from '../src/scenario/schema-file.js';

const target = fileURLToPath(new URL(`../${SCENARIO_SCHEMA_PATH}`, import.meta.url));
writeFileSync(target, renderScenarioSchema());
console.log(`wrote ${target}`);
