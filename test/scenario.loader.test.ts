import { describe, expect, it } from 'vitest';
import { durationMs, formatDuration, isDuration } from '../src/scenario/duration.js';
import { loadScenarioFile, loadScenarioText } from '../src/scenario/load.js';
import { SourceText } from '../src/scenario/source.js';
import { builtinSteps } from '../src/scenario/steps/builtin.js';
import { validateScenarioFiles } from '../src/scenario/validate-files.js';
import { parseYamlTree } from '../src/scenario/yaml-tree.js';
import { stringify } from 'yaml';

const VALID = 'test/fixtures/scenarios/valid';

describe('positions', () => {
  it('maps every node of the YAML document to its key and value span', () => {
    const text = 'name: x\nsteps:\n  - plug: { connector: 2 }\n  - connect\n';
    const source = new SourceText('a.yaml', text);
    const tree = parseYamlTree(source);
    const at = (pointer: string, which: 'key' | 'value') => source.position(tree.spans.get(pointer)![which]![0]);
    expect(at('/name', 'key')).toEqual({ line: 1, col: 1 });
    expect(at('/name', 'value')).toEqual({ line: 1, col: 7 });
    expect(at('/steps/0', 'value')).toEqual({ line: 3, col: 5 });
    expect(at('/steps/0/plug/connector', 'key')).toEqual({ line: 3, col: 13 });
    expect(at('/steps/0/plug/connector', 'value')).toEqual({ line: 3, col: 24 });
    expect(at('/steps/1', 'value')).toEqual({ line: 4, col: 5 });
    expect(source.line(3)).toBe('  - plug: { connector: 2 }');
  });

  it('gives each loaded step its line and column', async () => {
    const { scenario, errors } = await loadScenarioFile(`${VALID}/charging-session.yaml`);
    expect(errors).toEqual([]);
    expect(scenario!.steps.map((s) => [s.kind, s.line])).toContainEqual(['sendCall', 21]);
    expect(scenario!.steps[0]).toMatchObject({ index: 0, kind: 'connect', line: 17, col: 5, args: {} });
  });

  it('points errors at file:line:col with the source line and a caret as wide as the token', () => {
    const { errors } = loadScenarioText('name: x\nrole: csms\nsteps:\n  - expectStatus: { status: Chargin }\n', 'dir/x.yaml');
    expect(errors).toEqual([
      expect.objectContaining({ code: 'SCENARIO_BAD_ENUM', file: 'dir/x.yaml', line: 4, col: 29, width: 7, sourceLine: '  - expectStatus: { status: Chargin }', hint: "did you mean 'Charging'?" }),
    ]);
  });
});

describe('loading valid scenarios', () => {
  it('loads every valid fixture, filling argument defaults', async () => {
    const report = await validateScenarioFiles([VALID]);
    expect(report.errors).toEqual([]);
    expect(report.scenarios.map((s) => s.name).sort()).toEqual(['A charging session is authorised, metered and stopped', 'MeterValues every 60 s with power']);
    const meter = report.scenarios.find((s) => s.role === 'csms')!;
    expect(meter.steps.find((s) => s.kind === 'expectMeterValues')!.args).toEqual({
      connector: 1,
      measurands: ['Energy.Active.Import.Register', 'Power.Active.Import'],
      interval: '60s',
      tolerance: '2s',
      count: 3,
      context: 'Sample.Periodic',
    });
    expect(meter.steps.find((s) => s.kind === 'plug')!.args).toEqual({ connector: 1 });
    expect(meter.charger).toEqual({ connectors: 1, configuration: {}, quirks: [] });
  });

  it('normalises the charger setup: configuration as strings, clock offset in ms', async () => {
    const { scenario } = await loadScenarioFile(`${VALID}/charging-session.yaml`);
    expect(scenario!.charger).toMatchObject({
      chargePointId: 'CP-0001',
      connectors: 1,
      configuration: { MeterValueSampleInterval: '60' },
      clock: { offsetMs: -5000, driftPpm: 20, syncFromCsms: true },
      ev: { capacityWh: 60000, socPercent: 40, maxPowerW: 11000, phases: 3 },
    });
    expect(scenario!.requirements).toEqual(['PLT-CORE-1', 'PLT-ST-1']);
    expect(scenario!.steps.find((s) => s.kind === 'sendCall')!.title).toBe('the CSMS accepts our tag');
  });

  it('accepts every step written with its own example', () => {
    const steps = builtinSteps()
      .all()
      .map((d) => (d.example === null ? d.name : { [d.name]: d.example }));
    for (const role of ['chargepoint', 'csms']) {
      const { errors } = loadScenarioText(stringify({ name: 'examples', role, steps }), `${role}.yaml`);
      const wrongWay = errors.filter((e) => e.code !== 'SCENARIO_WRONG_DIRECTION');
      expect(wrongWay).toEqual([]);
    }
  });

  it('takes the requirement ids as an option', () => {
    const text = 'name: x\nrole: csms\nrequirements: [ACME-1]\nsteps: [connect]\n';
    expect(loadScenarioText(text, 'x.yaml').errors[0].code).toBe('SCENARIO_UNKNOWN_REQUIREMENT');
    expect(loadScenarioText(text, 'x.yaml', { requirementIds: ['ACME-1'] }).errors).toEqual([]);
  });

  it('checks quirk names when given a list, with did-you-mean', () => {
    const text = 'name: x\nrole: chargepoint\ncharger: { quirks: [no-power-measurnd] }\nsteps: [connect]\n';
    expect(loadScenarioText(text, 'x.yaml').errors).toEqual([]);
    expect(loadScenarioText(text, 'x.yaml', { quirkNames: ['no-power-measurand'] }).errors[0]).toMatchObject({ code: 'SCENARIO_BAD_ENUM', hint: "did you mean 'no-power-measurand'?" });
  });

  it('resolves YAML aliases and ignores x- keys that hold anchors', () => {
    const text = 'name: a\nrole: csms\nx-status: &charging { connectorId: 1, status: Charging }\nsteps:\n  - expectCall: { action: StatusNotification, payload: *charging }\n';
    const { scenario, errors } = loadScenarioText(text, 'a.yaml');
    expect(errors).toEqual([]);
    expect(scenario!.steps[0].args).toMatchObject({ payload: { connectorId: 1, status: 'Charging' } });
  });

  it('reports a file that is not a mapping, and an empty file', () => {
    expect(loadScenarioText('- connect\n', 'x.yaml').errors[0]).toMatchObject({ code: 'SCENARIO_WRONG_TYPE', line: 1, col: 1 });
    expect(loadScenarioText('', 'x.yaml').errors[0]).toMatchObject({ code: 'SCENARIO_WRONG_TYPE', line: 1, col: 1 });
  });

  it('reports a missing file without throwing', async () => {
    const report = await validateScenarioFiles(['no/such/place.yaml']);
    expect(report.errors).toEqual([expect.objectContaining({ code: 'SCENARIO_FILE_NOT_FOUND', file: 'no/such/place.yaml', line: 0 })]);
  });
});

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['60s', 60_000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['1m30s', 90_000],
    ['-5m', -300_000],
  ])('%s = %i ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it.each(['60', '1.5m', '30 sec', '2S', '1m60', '', 's', '30s1m'])('rejects %j', (text) => {
    expect(isDuration(text)).toBe(false);
  });

  it('formats milliseconds back', () => {
    expect([90_000, 500, 0, 3_600_000, -300_000].map(formatDuration)).toEqual(['1m30s', '500ms', '0s', '1h', '-5m']);
  });
});
