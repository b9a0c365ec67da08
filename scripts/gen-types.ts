/**
 * Generates src/ocpp/generated/types.ts from the official schemas (through the overlay).
 * `npm run gen:types` writes it; test/ocpp/types-fresh.test.ts fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderTypes } from './render-types.js';

const target = fileURLToPath(new URL('../src/ocpp/generated/types.ts', import.meta.url));
writeFileSync(target, await renderTypes());
console.log(`wrote ${target}`);
