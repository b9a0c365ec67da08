/**
 * Writes docs/ocpp16-coverage.md from the case list, the scenario folder and NOT_COVERED
 * (test/certify.catalogue.test.ts fails while the page disagrees with them).
 * Run: npx tsx scripts/gen-ocpp16-coverage.ts
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FEATURE_PROFILES } from '../src/conformance/profiles/feature-profiles.js';
import { NOT_COVERED } from '../src/conformance/profiles/ocpp16-coverage.js';
import { OCPP16_CASES } from '../src/conformance/profiles/ocpp16-cases.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const scenario = (id: string) => `scenarios/ocpp16/charger/${id}.yaml`;
const covered = OCPP16_CASES.filter((c) => existsSync(join(ROOT, scenario(c.id))));
const lines = [
  '# OCPP 1.6 charge-point test cases: coverage',
  '',
  `\`chargecheck certify --profile ocpp16\` covers **${covered.length} of 107** official charge-point test cases`,
  '(the list in shared/ocpp16-test-cases.md, gathered from public sources). Each covered case is one',
  'scenario tagged with its id; its verdict comes from its own expected traffic. This page is written',
  'by `npx tsx scripts/gen-ocpp16-coverage.ts`; a test keeps it, the scenario folder and the README in',
  'agreement.',
  '',
  '| profile | cases | covered |',
  '|---|---|---|',
  ...FEATURE_PROFILES.map((p) => `| ${p} | ${OCPP16_CASES.filter((c) => c.profile === p).length} | ${covered.filter((c) => c.profile === p).length} |`),
  '',
  '| id | title | profile | scenario |',
  '|---|---|---|---|',
  ...OCPP16_CASES.map((c) => `| ${c.id} | ${c.title} | ${c.profile} | ${covered.includes(c) ? `[${scenario(c.id)}](../${scenario(c.id)})` : `not covered: ${NOT_COVERED[c.id] ?? '(no reason given)'}`} |`),
  '',
];
writeFileSync(join(ROOT, 'docs/ocpp16-coverage.md'), lines.join('\n'));
console.log(`docs/ocpp16-coverage.md: ${covered.length} of 107 covered`);
