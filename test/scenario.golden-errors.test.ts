import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCENARIO_ERROR_CODES } from '../src/scenario/errors.js';
import { formatErrors } from '../src/scenario/format.js';
import { validateScenarioFiles } from '../src/scenario/validate-files.js';

/**
 * Hurl-style golden tests: one invalid scenario (a file, or a folder for folder-level errors) per
 * error kind in test/fixtures/scenarios/invalid/, beside `<kind>.err` holding the exact rendering.
 * `UPDATE_GOLDEN=1 npx vitest run test/scenario.golden-errors.test.ts` rewrites the .err files.
 */
const DIR = 'test/fixtures/scenarios/invalid';
const kinds = readdirSync(DIR)
  .filter((f) => !f.endsWith('.err'))
  .map((f) => f.replace(/\.ya?ml$/, ''))
  .sort();

function codeOf(kind: string): string {
  return `SCENARIO_${kind.toUpperCase().replace(/-/g, '_')}`;
}

function inputOf(kind: string): string {
  return existsSync(`${DIR}/${kind}.yaml`) ? `${DIR}/${kind}.yaml` : `${DIR}/${kind}`;
}

describe('scenario error goldens', () => {
  it.each(kinds)('%s renders exactly as its .err file', async (kind) => {
    const { errors } = await validateScenarioFiles([inputOf(kind)]);
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors.map((e) => e.code))).toEqual(new Set([codeOf(kind)]));
    const text = formatErrors(errors, { color: false });
    const golden = `${DIR}/${kind}.err`;
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('covers every error code with one golden pair', () => {
    expect(kinds.map(codeOf).sort()).toEqual(Object.keys(SCENARIO_ERROR_CODES).sort());
  });

  it('reports errors of several files at once, file by file', async () => {
    const { errors, files } = await validateScenarioFiles([inputOf('unknown-step'), inputOf('bad-enum')]);
    expect(files).toHaveLength(2);
    expect(errors.map((e) => e.file)).toEqual([...errors.filter((e) => e.file.includes('unknown-step')), ...errors.filter((e) => e.file.includes('bad-enum'))].map((e) => e.file));
    expect(errors.length).toBeGreaterThan(5);
  });
});
