import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCENARIO_ERROR_CODES } from '../src/scenario/errors.js';
import { loadScenarioText } from '../src/scenario/load.js';
import { builtinSteps } from '../src/scenario/steps/builtin.js';

const doc = readFileSync(new URL('../docs/scenarios.md', import.meta.url), 'utf8');
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
const stepNames = builtinSteps().names();
const inlineSteps = [...doc.matchAll(/`(- ([a-zA-Z]+)(?::.*?)?)`(?=[\s,.(]|$)/gm)].filter((m) => stepNames.includes(m[2])).map((m) => m[1]);

function loadsInSomeRole(steps: string): boolean {
  return ['chargepoint', 'csms'].some((role) => loadScenarioText(`name: doc\nrole: ${role}\nsteps:\n${steps}`, 'doc.yaml').errors.length === 0);
}

describe('docs/scenarios.md', () => {
  it('documents every registered step and every error code', () => {
    for (const name of stepNames) expect(doc).toContain(`#### \`${name}\``);
    for (const code of Object.keys(SCENARIO_ERROR_CODES)) expect(doc).toContain(`\`${code}\``);
  });

  it('shows only examples that load', () => {
    expect(yamlBlocks.length).toBeGreaterThan(3);
    for (const block of yamlBlocks) {
      if (block.startsWith('#') || block.startsWith('name:')) expect(loadScenarioText(block, 'doc.yaml').errors).toEqual([]);
      else expect(loadsInSomeRole(block), block).toBe(true);
    }
    expect(inlineSteps.length).toBeGreaterThan(20);
    for (const step of inlineSteps) expect(loadsInSomeRole(`  ${step}\n`), step).toBe(true);
  });
});
