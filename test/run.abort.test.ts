import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock/system.js';
import { ChargecheckError } from '../src/errors.js';
import { runSuite } from '../src/harness/run-suite.js';
import { realRunTime } from '../src/harness/run-time.js';
import { createReporters } from '../src/report/registry.js';
import { loadScenarioText } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/model.js';
import { runScenario } from '../src/scenario/runner.js';
import { FakeContext } from './fixtures/scenarios/fake-context.js';

function scenario(yaml: string): Scenario {
  const { scenario, errors } = loadScenarioText(yaml, 'test.yaml');
  if (!scenario) throw new Error(JSON.stringify(errors, null, 2));
  return scenario;
}

describe('abort: runScenario with a signal', () => {
  it('ends a real-time wait of an hour at once, the step skipped with RUN_INTERRUPTED, later steps skipped', async () => {
    const ctx = new FakeContext();
    const abort = new AbortController();
    // A real-time run: the wait would take an hour of wall time without the signal.
    Object.assign(ctx, { time: realRunTime(systemClock, undefined, abort.signal) });
    // The signal comes while the wait is in progress (one loop turn after the step before it ended).
    const interrupt = { name: 'interrupt', onStepEnd: () => void setImmediate(() => abort.abort(new ChargecheckError('RUN_INTERRUPTED', 'SIGTERM received', { exitCode: 143 }))) };
    const started = Date.now();
    const result = await runScenario(scenario('name: long\nrole: chargepoint\nsteps: [connect, { wait: 1h }, unplug]\n'), ctx, { signal: abort.signal, reporters: [interrupt] });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.status).toBe('skipped');
    expect(result.steps.map((s) => s.status)).toEqual(['passed', 'skipped', 'skipped']);
    expect(result.steps[1].failure).toEqual({ code: 'RUN_INTERRUPTED', message: 'not finished: SIGTERM received' });
    expect(ctx.acts).toEqual(['connect']);
  });

  it('leaves a scenario that finished before the signal passed', async () => {
    const abort = new AbortController();
    const result = await runScenario(scenario('name: ok\nrole: chargepoint\nsteps: [connect]\n'), new FakeContext(), { signal: abort.signal });
    abort.abort();
    expect(result.status).toBe('passed');
  });
});

describe('abort: runSuite with a signal', () => {
  it('writes report.json and junit.xml with what was recorded, the rest skipped, and exits with the signal code', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cc-abort-'));
    const abort = new AbortController();
    const reporters = createReporters(['json', 'junit'], { outDir: out });
    let steps = 0;
    const stopAfterTwo = {
      name: 'stopper',
      onStepEnd: () => {
        if (++steps === 2) abort.abort(new ChargecheckError('RUN_INTERRUPTED', 'SIGINT received', { exitCode: 130 }));
      },
    };
    const result = await runSuite({ concurrency: 1, reporters: [...reporters, stopAfterTwo], signal: abort.signal });
    expect(result.exitCode).toBe(130);
    expect(result.scenarios.length).toBeGreaterThan(3);
    expect(result.scenarios[0].steps.slice(0, 2).map((s) => s.status)).toEqual(['passed', 'passed']);
    expect(result.scenarios.slice(1).every((s) => s.status === 'skipped' && s.steps.every((st) => st.status === 'skipped'))).toBe(true);
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { exitCode: number; scenarios: { status: string }[] };
    expect(json.exitCode).toBe(130);
    expect(json.scenarios).toHaveLength(result.scenarios.length);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('<skipped');
  });
});
