import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../src/scenario/load.js';
import { runScenario } from '../src/scenario/runner.js';
import { FakeContext } from './fixtures/scenarios/fake-context.js';

async function run(ctx: FakeContext, role: 'chargepoint' | 'csms', steps: string) {
  const { scenario, errors } = loadScenarioText(`name: s\nrole: ${role}\nsteps:\n${steps}`, 's.yaml');
  if (!scenario) throw new Error(JSON.stringify(errors, null, 2));
  return runScenario(scenario, ctx);
}

function meterValues(ctx: FakeContext, measurands: string[], context?: string) {
  ctx.call('chargepoint', 'MeterValues', {
    connectorId: 1,
    meterValue: [{ timestamp: '2026-01-01T08:00:00Z', sampledValue: measurands.map((m) => ({ value: '1', measurand: m, ...(context ? { context } : {}) })) }],
  });
}

describe('act steps', () => {
  it('pass their arguments (with defaults) to the charger', async () => {
    const ctx = new FakeContext();
    await run(ctx, 'csms', '  - reboot\n  - fault: { connector: 2, errorCode: HighTemperature }\n  - clearFault: { connector: 2 }\n  - setEv: { socPercent: 100, paused: true }\n  - presentIdTag: { tag: T1 }\n  - dropNetwork\n  - restoreNetwork\n');
    expect(ctx.acts).toEqual(['reboot Hard', 'fault 2 HighTemperature', 'clearFault 2', 'setEv 1 {"socPercent":100,"paused":true}', 'tag T1 1', 'dropNetwork', 'restoreNetwork']);
  });
});

describe('expectCall', () => {
  it('consumes CALLs of an action in order, including ones that arrived before the step', async () => {
    const ctx = new FakeContext();
    ctx.call('chargepoint', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
    ctx.call('chargepoint', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' });
    ctx.at(5000, () => ctx.call('chargepoint', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' }));
    const result = await run(
      ctx,
      'csms',
      '  - expectCall: { action: StatusNotification }\n  - expectCall: { action: StatusNotification, payload: { status: Preparing } }\n  - expectCall: { action: StatusNotification, payload: { status: Charging }, within: 10s }\n',
    );
    expect(result.status).toBe('passed');
    expect(result.steps[0].assertions[0].actual).toMatchObject({ status: 'Available' });
    expect(result.steps[2].clockEnd - result.steps[2].clockStart).toBe(5000);
  });

  it('times out explaining the closest miss', async () => {
    const ctx = new FakeContext();
    ctx.call('chargepoint', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'SuspendedEV' });
    const result = await run(ctx, 'csms', '  - expectCall: { action: StatusNotification, payload: { status: Charging }, within: 1m }\n');
    expect(result.steps[0].failure).toEqual({
      code: 'SCENARIO_EXPECT_TIMEOUT',
      message: 'no StatusNotification matching within 1m; the last one differed at $.status: expected "Charging", got "SuspendedEV"',
      expected: { status: 'Charging' },
      actual: 'SuspendedEV',
    });
  });

  it('filters by connector and by sender', async () => {
    const ctx = new FakeContext();
    ctx.call('chargepoint', 'StatusNotification', { connectorId: 2, errorCode: 'NoError', status: 'Charging' });
    ctx.call('csms', 'TriggerMessage', { requestedMessage: 'StatusNotification' });
    const result = await run(ctx, 'csms', '  - expectCall: { action: StatusNotification, connector: 1, within: 1s }\n');
    expect(result.steps[0].failure?.message).toBe('no StatusNotification from chargepoint within 1s');
    const ctx2 = new FakeContext();
    ctx2.call('csms', 'TriggerMessage', { requestedMessage: 'StatusNotification' });
    expect((await run(ctx2, 'chargepoint', '  - expectCall: { action: TriggerMessage, payload: { requestedMessage: StatusNotification } }\n')).status).toBe('passed');
  });

  it('sets the reply for the CALL it waits for and ignores CALLs that came before the step', async () => {
    const ctx = new FakeContext();
    ctx.call('chargepoint', 'BootNotification', { chargePointVendor: 'v', chargePointModel: 'm' }, { status: 'Accepted' });
    ctx.at(2000, () => ctx.call('chargepoint', 'BootNotification', { chargePointVendor: 'v', chargePointModel: 'm' }, { status: 'Pending' }));
    const result = await run(ctx, 'csms', "  - expectCall:\n      action: BootNotification\n      reply: { status: Pending, currentTime: '2026-01-01T08:00:00Z', interval: 10 }\n      response: { status: Pending }\n");
    expect(result.status).toBe('passed');
    expect(result.steps[0].clockEnd - result.steps[0].clockStart).toBe(2000);
    expect(ctx.overrides).toEqual([{ replier: 'csms', action: 'BootNotification', reply: { kind: 'result', payload: { status: 'Pending', currentTime: '2026-01-01T08:00:00Z', interval: 10 } }, cancelled: false }]);
  });

  it('withdraws an unused reply override on timeout, and checks the answer given', async () => {
    const ctx = new FakeContext();
    const timedOut = await run(ctx, 'csms', "  - expectCall: { action: Authorize, within: 1s, replyError: { code: NotSupported } }\n");
    expect(timedOut.status).toBe('failed');
    expect(ctx.overrides[0]).toMatchObject({ reply: { kind: 'error', code: 'NotSupported' }, cancelled: true });
    const ctx2 = new FakeContext();
    ctx2.call('chargepoint', 'Authorize', { idTag: 'T' }, { idTagInfo: { status: 'Blocked' } });
    const wrong = await run(ctx2, 'csms', '  - expectCall: { action: Authorize, response: { idTagInfo: { status: Accepted } } }\n');
    expect(wrong.steps[0].failure).toMatchObject({ code: 'SCENARIO_RESPONSE_MISMATCH', message: 'answer to Authorize: $.idTagInfo.status: expected "Accepted", got "Blocked"' });
  });
});

describe('sendCall, csmsCall, replyNext', () => {
  it('sends from the side of the role and checks the response', async () => {
    const ctx = new FakeContext();
    const sent: string[] = [];
    ctx.onCall = (from, action) => {
      sent.push(`${from} ${action}`);
      return { kind: 'result', payload: action === 'Authorize' ? { idTagInfo: { status: 'Invalid' } } : { status: 'Accepted' } };
    };
    const result = await run(ctx, 'chargepoint', '  - csmsCall: { action: TriggerMessage, payload: { requestedMessage: Heartbeat }, expect: { status: Accepted } }\n  - sendCall: { action: Authorize, payload: { idTag: T }, expect: { idTagInfo: { status: Accepted } } }\n');
    expect(sent).toEqual(['csms TriggerMessage', 'chargepoint Authorize']);
    expect(result.steps[1]).toMatchObject({ status: 'failed', failure: { code: 'SCENARIO_RESPONSE_MISMATCH', message: 'Authorize response: $.idTagInfo.status: expected "Accepted", got "Invalid"' } });
    expect(result.steps[1].frames).toHaveLength(2);
  });

  it('fails on an unexpected CALLERROR and passes on an expected one', async () => {
    const ctx = new FakeContext();
    ctx.onCall = () => ({ kind: 'error', code: 'NotSupported', description: 'no', details: {} });
    const expected = await run(ctx, 'csms', '  - sendCall: { action: ReserveNow, payload: { connectorId: 1, expiryDate: "2026-01-01T09:00:00Z", idTag: T, reservationId: 1 }, expectError: { code: NotSupported } }\n');
    expect(expected.status).toBe('passed');
    const unexpected = await run(ctx, 'csms', '  - sendCall: { action: ClearCache }\n');
    expect(unexpected.steps[0].failure).toMatchObject({ code: 'SCENARIO_CALL_ERROR', message: 'ClearCache was answered with CALLERROR NotSupported: no' });
    ctx.onCall = () => ({ kind: 'result', payload: { status: 'Accepted' } });
    const noError = await run(ctx, 'csms', '  - sendCall: { action: ClearCache, expectError: {} }\n');
    expect(noError.steps[0].failure?.code).toBe('SCENARIO_UNEXPECTED_RESULT');
  });

  it('replyNext overrides the answer of the side we play', async () => {
    const ctx = new FakeContext();
    await run(ctx, 'chargepoint', '  - replyNext: { action: RemoteStartTransaction, payload: { status: Rejected } }\n  - replyNext: { action: Reset, error: { code: InternalError, description: busy } }\n');
    expect(ctx.overrides.map((o) => [o.replier, o.action, o.reply])).toEqual([
      ['chargepoint', 'RemoteStartTransaction', { kind: 'result', payload: { status: 'Rejected' } }],
      ['chargepoint', 'Reset', { kind: 'error', code: 'InternalError', description: 'busy' }],
    ]);
  });
});

describe('expectMeterValues', () => {
  const step = '  - expectMeterValues: { measurands: [Power.Active.Import, Energy.Active.Import.Register], interval: 60s, tolerance: 2s, count: 3 }\n';

  it('passes for samples every 60 s carrying the measurands', async () => {
    const ctx = new FakeContext();
    for (const t of [10_000, 70_500, 131_000]) ctx.at(t, () => meterValues(ctx, ['Power.Active.Import', 'Energy.Active.Import.Register']));
    const result = await run(ctx, 'csms', step);
    expect(result.status).toBe('passed');
    expect(result.steps[0].assertions.map((a) => a.description)).toEqual([
      'every MeterValues carries Power.Active.Import, Energy.Active.Import.Register',
      'MeterValues every 60s ± 2s (n=3, worst gap 1m500ms)',
    ]);
  });

  it('fails when an interval is off, when a measurand is missing, and when too few arrive', async () => {
    const late = new FakeContext();
    for (const t of [0, 60_000, 125_000]) late.at(t + 1, () => meterValues(late, ['Power.Active.Import', 'Energy.Active.Import.Register']));
    expect((await run(late, 'csms', step)).steps[0].failure).toMatchObject({ code: 'SCENARIO_METER_INTERVAL', actual: ['1m', '1m5s'] });

    const noPower = new FakeContext();
    for (const t of [0, 60_000, 120_000]) noPower.at(t + 1, () => meterValues(noPower, ['Energy.Active.Import.Register']));
    expect((await run(noPower, 'csms', step)).steps[0].failure).toMatchObject({
      code: 'SCENARIO_METER_MEASURAND_MISSING',
      message: 'MeterValues without Power.Active.Import (it had Energy.Active.Import.Register)',
    });

    const few = new FakeContext();
    few.at(1, () => meterValues(few, ['Power.Active.Import', 'Energy.Active.Import.Register']));
    few.at(2, () => meterValues(few, ['Power.Active.Import'], 'Sample.Clock'));
    const result = await run(few, 'csms', step);
    expect(result.steps[0].failure).toMatchObject({ code: 'SCENARIO_EXPECT_TIMEOUT', message: 'only 1 of 3 Sample.Periodic MeterValues on connector 1 within 4m2s' });
  });
});

describe('assert steps', () => {
  it('check status and configuration now', async () => {
    const ctx = new FakeContext();
    ctx.statuses.set(1, 'Available');
    ctx.config.set('MeterValueSampleInterval', '60');
    const result = await run(ctx, 'csms', '  - assertStatus: { status: Available }\n  - assertConfiguration: { key: MeterValueSampleInterval, value: 60 }\n  - assertConfiguration: { key: HeartbeatInterval, value: { any: true } }\n');
    expect(result.steps.map((s) => s.status)).toEqual(['passed', 'passed', 'failed']);
    expect(result.steps[2].failure?.message).toBe('HeartbeatInterval: expected any value, got nothing');
  });

  it('with `within`, keep checking until the value matches', async () => {
    const ctx = new FakeContext();
    ctx.power.set(1, 11_000);
    ctx.at(30_000, () => ctx.power.set(1, 0));
    const result = await run(ctx, 'chargepoint', '  - assertPower: { watts: { lte: 50 }, within: 1m }\n');
    expect(result.status).toBe('passed');
    expect(result.steps[0].clockEnd - result.steps[0].clockStart).toBe(30_000);
  });

  it('expectStatus waits for the status', async () => {
    const ctx = new FakeContext();
    ctx.at(3000, () => ctx.statuses.set(1, 'Charging'));
    const result = await run(ctx, 'chargepoint', '  - expectStatus: { status: Charging, within: 10s }\n');
    expect(result.steps[0]).toMatchObject({ status: 'passed', title: 'expect connector 1 Charging within 10s' });
  });
});

describe('assertTraffic', () => {
  it('counts matching CALLs so far, or during a window', async () => {
    const ctx = new FakeContext();
    ctx.call('chargepoint', 'Heartbeat', {});
    ctx.call('chargepoint', 'Heartbeat', {});
    ctx.at(60_000, () => ctx.call('chargepoint', 'MeterValues', { connectorId: 1, meterValue: [] }));
    const result = await run(
      ctx,
      'csms',
      '  - assertTraffic: { action: Heartbeat, count: 2 }\n  - assertTraffic: { action: MeterValues, absent: true, during: 30s }\n  - assertTraffic: { action: MeterValues, absent: true, during: 1m }\n',
    );
    expect(result.steps.map((s) => s.status)).toEqual(['passed', 'passed', 'failed']);
    expect(result.steps[2].failure).toMatchObject({ code: 'SCENARIO_TRAFFIC_COUNT', expected: 0, actual: 1, message: '1 × MeterValues from chargepoint during 1m (expected 0)' });
  });
});
