import { describe, expect, it } from 'vitest';
import { ChargecheckError } from '../src/errors.js';
import type { Reporter, StepResult } from '../src/results/model.js';
import { loadScenarioText } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/model.js';
import { runScenario } from '../src/scenario/runner.js';
import { FakeContext } from './fixtures/scenarios/fake-context.js';

function scenario(yaml: string): Scenario {
  const { scenario, errors } = loadScenarioText(yaml, 'test.yaml');
  if (!scenario) throw new Error(JSON.stringify(errors, null, 2));
  return scenario;
}

function recorder(): Reporter & { events: string[] } {
  const events: string[] = [];
  return {
    name: 'recorder',
    events,
    onScenarioStart: (s) => void events.push(`start ${s.name} ${s.chargePointId}`),
    onStepEnd: (_s, step: StepResult) => void events.push(`step ${step.index} ${step.kind} ${step.status}`),
    onScenarioEnd: (s) => void events.push(`end ${s.status}`),
  };
}

describe('runScenario', () => {
  it('runs every step in order and passes when all pass', async () => {
    const ctx = new FakeContext();
    const rep = recorder();
    const result = await runScenario(scenario('name: ok\nrole: chargepoint\nrequirements: [PLT-ST-1]\nsteps: [connect, plug, { wait: 30s }, unplug]\n'), ctx, { reporters: [rep] });
    expect(ctx.acts).toEqual(['connect', 'plug 1', 'unplug 1']);
    expect(result).toMatchObject({ name: 'ok', file: 'test.yaml', role: 'chargepoint', requirements: ['PLT-ST-1'], chargePointId: 'CP-TEST', status: 'passed' });
    expect(result.clockEnd - result.clockStart).toBe(30_000);
    expect(result.steps[2]).toMatchObject({ kind: 'wait', title: 'wait 30s', status: 'passed', line: 4, frames: [] });
    expect(result.steps[2].clockEnd - result.steps[2].clockStart).toBe(30_000);
    expect(rep.events).toEqual(['start ok CP-TEST', 'step 0 connect passed', 'step 1 plug passed', 'step 2 wait passed', 'step 3 unplug passed', 'end passed']);
  });

  it('stops at the first failed step, skips the rest, and attaches the frames of the failed step', async () => {
    const ctx = new FakeContext();
    ctx.at(1000, () => ctx.call('csms', 'Heartbeat', {}));
    ctx.call('chargepoint', 'BootNotification', { chargePointVendor: 'v', chargePointModel: 'm' }, { status: 'Accepted' });
    const rep = recorder();
    const result = await runScenario(
      scenario('name: fails\nrole: csms\nsteps:\n  - connect\n  - expectStatus: { status: Charging, within: 10s }\n  - unplug\n  - disconnect\n'),
      ctx,
      { reporters: [rep] },
    );
    expect(result.status).toBe('failed');
    expect(result.steps.map((s) => s.status)).toEqual(['passed', 'failed', 'skipped', 'skipped']);
    expect(ctx.acts).toEqual(['connect']);
    const failed = result.steps[1];
    expect(failed.failure).toEqual({ code: 'SCENARIO_EXPECT_TIMEOUT', message: 'connector 1 was unknown, not Charging, after 10s', expected: 'Charging' });
    expect(failed.clockEnd - failed.clockStart).toBe(10_000);
    expect(failed.frames.map((f) => f.raw)).toEqual(['[2,"m2","Heartbeat",{}]']);
    expect(result.frames).toHaveLength(3);
    expect(result.steps[2]).toMatchObject({ status: 'skipped', assertions: [], frames: [], wallDurationMs: 0 });
    expect(rep.events.at(-1)).toBe('end failed');
  });

  it('with continueOnFailure, runs the steps after a failed one and still fails the scenario', async () => {
    const ctx = new FakeContext();
    const result = await runScenario(
      scenario('name: goes on\nrole: csms\nsteps:\n  - connect\n  - expectStatus: { status: Charging, within: 10s }\n  - unplug\n'),
      ctx,
      { continueOnFailure: true },
    );
    expect(result.steps.map((s) => s.status)).toEqual(['passed', 'failed', 'passed']);
    expect(ctx.acts).toEqual(['connect', 'unplug 1']);
    expect(result.status).toBe('failed');
  });

  it('keeps at most failureFrameLimit frames, the last ones', async () => {
    const ctx = new FakeContext();
    for (let i = 0; i < 30; i++) ctx.at(i * 100 + 1, () => ctx.call('chargepoint', 'Heartbeat', { i }));
    const result = await runScenario(scenario('name: many\nrole: csms\nsteps:\n  - expectCall: { action: Authorize, within: 5s }\n'), ctx, { failureFrameLimit: 5 });
    expect(result.steps[0].frames.map((f) => JSON.parse(f.raw)[3].i)).toEqual([25, 26, 27, 28, 29]);
  });

  it('marks a step the harness could not perform as error, with the error code', async () => {
    const ctx = new FakeContext();
    ctx.onCall = () => {
      throw new ChargecheckError('RPC_TIMEOUT', 'no answer to Authorize within 30000 ms', { action: 'Authorize' });
    };
    const result = await runScenario(scenario('name: e\nrole: chargepoint\nsteps:\n  - sendCall: { action: Authorize, payload: { idTag: T } }\n  - unplug\n'), ctx);
    expect(result.status).toBe('error');
    expect(result.steps.map((s) => s.status)).toEqual(['error', 'skipped']);
    expect(result.steps[0].failure).toEqual({ code: 'RPC_TIMEOUT', message: 'no answer to Authorize within 30000 ms', actual: { action: 'Authorize' } });
  });

  it('reports a crash that is not a ChargecheckError as SCENARIO_STEP_CRASHED', async () => {
    const ctx = new FakeContext();
    ctx.charger.plug = async () => {
      throw new TypeError('boom');
    };
    const result = await runScenario(scenario('name: c\nrole: chargepoint\nsteps: [plug]\n'), ctx);
    expect(result.steps[0]).toMatchObject({ status: 'error', failure: { code: 'SCENARIO_STEP_CRASHED', message: 'boom' } });
  });

  it('records every assertion and fails on the first one that does not hold', async () => {
    const ctx = new FakeContext();
    ctx.power.set(1, 7200);
    ctx.energy.set(1, 10);
    const result = await runScenario(
      scenario('name: a\nrole: chargepoint\nsteps:\n  - assertPower: { watts: { between: [7000, 7400] } }\n  - assertEnergy: { wh: { gte: 100 } }\n  - assertPower: { watts: 0 }\n'),
      ctx,
    );
    expect(result.steps.map((s) => s.status)).toEqual(['passed', 'failed', 'skipped']);
    expect(result.steps[0].assertions).toEqual([{ description: 'power on connector 1 is between 7000 and 7400', passed: true, expected: { between: [7000, 7400] }, actual: 7200 }]);
    expect(result.steps[1].failure).toEqual({ code: 'SCENARIO_ASSERTION_FAILED', message: 'energy on connector 1: expected ≥ 100, got 10', expected: { gte: 100 }, actual: 10 });
  });

  it('uses the timeline of the context when it has one', async () => {
    const ctx = Object.assign(new FakeContext(), { timeline: () => [{ clockTime: 1, connectorId: 1, powerW: 0, status: 'Available' }] });
    const result = await runScenario(scenario('name: t\nrole: chargepoint\nsteps: [connect]\n'), ctx);
    expect(result.timeline).toHaveLength(1);
  });
});
