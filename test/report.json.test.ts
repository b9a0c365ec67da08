import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJsonReporter } from '../src/report/json/json-reporter.js';
import { renderJson } from '../src/report/json/canonical-run.js';
import type { RunResult } from '../src/results/model.js';
import { certifyFixture, runFixture } from './fixtures/report/runs.js';

/** The same object with every key order reversed, recursively. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)])) as T;
  }
  return value;
}

describe('json reporter', () => {
  it('writes the canonical record for certify with requirements, scenarios and frames (snapshot)', async () => {
    await expect(renderJson(certifyFixture())).toMatchFileSnapshot('./fixtures/report/certify.report.json');
  });

  it('is the RunResult as is: parsing it back gives the same data', () => {
    for (const run of [runFixture(), certifyFixture()]) {
      expect(JSON.parse(renderJson(run))).toEqual(run);
    }
  });

  it('has a stable key order whatever order the producer built its objects in', () => {
    const run = certifyFixture();
    expect(renderJson(reversedKeys(run))).toBe(renderJson(run));
    const text = renderJson(run);
    expect(text.indexOf('"tool"')).toBeLessThan(text.indexOf('"command"'));
    expect(text.indexOf('"requirements": [')).toBeLessThan(text.indexOf('"scenarios": ['));
  });

  it('keeps recorded values (expected, actual, evidence data) in their own key order', () => {
    const run = runFixture();
    const [first, second, third] = run.scenarios;
    const step = second.steps[3];
    const odd: RunResult = {
      ...run,
      scenarios: [first, { ...second, steps: [{ ...step, failure: { code: 'X', message: 'm', actual: { zeta: 1, alpha: 2 } } }] }, third],
    };
    expect(renderJson(odd)).toMatch(/"zeta": 1,\s+"alpha": 2/);
  });

  it('keeps fields the model does not know yet, after the known ones, alphabetically', () => {
    const run = { ...runFixture(), zShard: 2, aNote: 'x' } as RunResult;
    const text = renderJson(run);
    expect(text.indexOf('"aNote"')).toBeGreaterThan(text.indexOf('"scenarios"'));
    expect(text.indexOf('"aNote"')).toBeLessThan(text.indexOf('"zShard"'));
  });

  it('writes DIR/report.json, creating the directory', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'cc-json-')), 'nested', 'out');
    await createJsonReporter({ outDir: dir }).onRunEnd?.(runFixture());
    expect(await readFile(join(dir, 'report.json'), 'utf8')).toBe(renderJson(runFixture()));
  });
});
