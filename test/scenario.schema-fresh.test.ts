import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderScenarioSchema } from '../src/scenario/schema-file.js';

const committed = readFileSync(new URL('../schemas/scenario.schema.json', import.meta.url), 'utf8');

describe('schemas/scenario.schema.json', () => {
  it('is up to date with the step registry (run `npx tsx scripts/gen-scenario-schema.ts` if this fails)', () => {
    expect(renderScenarioSchema()).toBe(committed);
  });

  it('is a schema an editor can use, accepting a valid scenario and rejecting a misspelt step', () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(committed) as object);
    const text = readFileSync(new URL('./fixtures/scenarios/valid/charging-session.yaml', import.meta.url), 'utf8');
    expect(validate(parse(text))).toBe(true);
    const bad = parse(text) as { steps: unknown[] };
    bad.steps.push('conect');
    expect(validate(bad)).toBe(false);
  });
});
