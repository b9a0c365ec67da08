/**
 * `certify --profile ocpp16`: the official OCPP 1.6 charge-point test cases, one scenario each.
 * Our virtual charger passes every covered case (child process, virtual time, < 30 s, exit 0) and
 * the reports carry per-case verdicts; the catalogue's mutation matrix (docs/quirks.md, second
 * table) holds both ways; the coverage table, the scenario folder and the README agree.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE_ONLY_QUIRKS, type QuirkName } from '../src/chargepoint/quirks.js';
import { FEATURE_PROFILES } from '../src/conformance/profiles/feature-profiles.js';
import { NOT_COVERED } from '../src/conformance/profiles/ocpp16-coverage.js';
import { OCPP16_CASE_IDS, OCPP16_CASES } from '../src/conformance/profiles/ocpp16-cases.js';
import { VirtualClock } from '../src/clock/virtual.js';
import { certify } from '../src/harness/certify.js';
import { VirtualChargerUnderTest } from '../src/harness/charger-under-test.js';
import { memoryStateStore } from '../src/host/state-file.js';
import type { CaseVerdict, RunResult } from '../src/results/model.js';
import { loadScenarioText } from '../src/scenario/load.js';
import { catalogueTable } from './helpers/catalogue-matrix.js';
import { buildDist, ROOT, runCli, runMain } from './helpers/cli.js';

const SUITE = join(ROOT, 'scenarios/ocpp16/charger');
const brief = (cs: readonly CaseVerdict[]) => cs.filter((c) => c.verdict === 'fail').map((c) => `${c.id}: ${c.evidence[0]?.text ?? ''}`).join('\n');


/** Case id → scenario file name, from the files' `requirements:` tags. */
function scenarioFiles(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(SUITE).filter((n) => n.endsWith('.yaml'))) {
    const text = readFileSync(join(SUITE, f), 'utf8');
    const id = /^requirements: \[(TC_[0-9_]+_CS)\]$/m.exec(text)?.[1];
    if (!id) throw new Error(`${f} is not tagged with one case id`);
    expect(out.has(id), `${id} has two scenarios`).toBe(false);
    out.set(id, f);
  }
  return out;
}

describe('the catalogue: 107 charge-point cases, one scenario each or a reason', () => {
  it('lists the 107 official ids with their profile counts', () => {
    expect(OCPP16_CASE_IDS).toHaveLength(107);
    expect(new Set(OCPP16_CASE_IDS).size).toBe(107);
    const per = Object.fromEntries(FEATURE_PROFILES.map((p) => [p, OCPP16_CASES.filter((c) => c.profile === p).length]));
    expect(per).toEqual({ Core: 51, LocalAuthListManagement: 8, FirmwareManagement: 5, Reservation: 16, RemoteTrigger: 2, SmartCharging: 10, Security: 15 });
  });

  it('every case has exactly one scenario named after it, or a not-covered reason — never both', () => {
    const files = scenarioFiles();
    for (const id of OCPP16_CASE_IDS) {
      const file = files.get(id);
      expect(Boolean(file) !== Boolean(NOT_COVERED[id]), `${id}: scenario ${file ?? '—'}, reason ${NOT_COVERED[id] ?? '—'}`).toBe(true);
      if (file) expect(file).toBe(`${id}.yaml`);
    }
    expect([...files.keys()].filter((id) => !OCPP16_CASE_IDS.includes(id))).toEqual([]);
  });

  it('docs/ocpp16-coverage.md and the README count say the same', () => {
    const doc = readFileSync(join(ROOT, 'docs/ocpp16-coverage.md'), 'utf8');
    const files = scenarioFiles();
    for (const id of OCPP16_CASE_IDS) {
      const row = doc.split('\n').find((l) => l.startsWith(`| ${id} |`));
      expect(row, `${id} has no row`).toBeDefined();
      if (files.has(id)) expect(row).toContain(`scenarios/ocpp16/charger/${id}.yaml`);
      else expect(row).toContain(`not covered: ${NOT_COVERED[id]}`);
    }
    const covered = files.size;
    expect(doc).toContain(`${covered} of 107`);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`${covered}/107`);
  });
});

describe('preconditions', () => {
  it('put the fragments\u2019 steps first, keeping their own file and line; an error in a fragment names the fragment', () => {
    const texts: Record<string, string> = {
      'pre/booted.yaml': 'name: booted\nrole: csms\nsteps:\n  - connect\n',
      'pre/plugged.yaml': 'name: plugged\nrole: csms\npreconditions: [booted]\nsteps:\n  - plug\n',
      'pre/broken.yaml': 'name: broken\nrole: csms\nsteps:\n  - plgu\n',
    };
    const precondition = (name: string) => (texts[`pre/${name}.yaml`] ? { file: `pre/${name}.yaml`, text: texts[`pre/${name}.yaml`] } : undefined);
    const ok = loadScenarioText('name: c\nrole: csms\npreconditions: [plugged]\nsteps:\n  - unplug\n', 'case.yaml', { precondition });
    expect(ok.errors).toEqual([]);
    expect(ok.scenario!.steps.map((s) => [s.kind, s.file ?? 'case.yaml', s.line, s.index])).toEqual([
      ['connect', 'pre/booted.yaml', 4, 0],
      ['plug', 'pre/plugged.yaml', 5, 1],
      ['unplug', 'case.yaml', 5, 2],
    ]);
    expect(ok.scenario!.preconditions).toEqual(['plugged', 'booted']);
    const bad = loadScenarioText('name: c\nrole: csms\npreconditions: [broken, plugd]\nsteps:\n  - unplug\n', 'case.yaml', { precondition });
    expect(bad.scenario).toBeUndefined();
    expect(bad.errors.map((e) => [e.code, e.file, e.line])).toEqual([
      ['SCENARIO_UNKNOWN_PRECONDITION', 'case.yaml', 3],
      ['SCENARIO_UNKNOWN_STEP', 'pre/broken.yaml', 4],
    ]);
  });
});

describe('certify --self --profile ocpp16 (child process, virtual time)', () => {
  let dir: string;
  let run: { code: number | null; stdout: string; stderr: string; ms: number };
  let json: RunResult;
  beforeAll(async () => {
    buildDist();
    dir = mkdtempSync(join(tmpdir(), 'cc-catalogue-'));
    const t0 = performance.now();
    const r = await runCli(['certify', '--self', '--profile', 'ocpp16', '--reporter', 'terminal,json,junit,html', '--out', dir], ROOT);
    run = { ...r, ms: performance.now() - t0 };
    json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunResult;
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes every covered case within 30 s and exits 0', () => {
    expect(run.code, run.stdout.slice(-3000) + run.stderr).toBe(0);
    expect(run.ms).toBeLessThan(30_000);
    const cases = json.cases ?? [];
    expect(cases.map((c) => c.id)).toEqual([...OCPP16_CASE_IDS]);
    const covered = cases.filter((c) => c.covered !== false);
    expect(covered.filter((c) => c.verdict !== 'pass' && c.verdict !== 'not-applicable').map((c) => `${c.id}: ${c.verdict}`)).toEqual([]);
    // the two cases for chargers without a local list are not applicable: ours declares one
    expect(covered.filter((c) => c.verdict === 'not-applicable').map((c) => c.id)).toEqual(['TC_042_1_CS', 'TC_043_1_CS']);
    for (const c of cases.filter((c) => c.covered === false)) expect(c.verdict).toBe('not-tested');
  });

  it('report.json: cases [{ id, title, profile, verdict, evidence }] and a per-profile summary', () => {
    const c = json.cases!.find((x) => x.id === 'TC_001_CS')!;
    expect(Object.keys(c).slice(0, 5)).toEqual(['id', 'title', 'profile', 'verdict', 'evidence']);
    expect(c).toMatchObject({ title: 'Cold Boot Charge Point', profile: 'Core', verdict: 'pass' });
    expect(c.evidence[0].text).toMatch(/^all \d+ checks held/);
    expect(json.profiles!.map((p) => p.profile)).toEqual([...FEATURE_PROFILES]);
    expect(json.profiles!.reduce((n, p) => n + p.total, 0)).toBe(107);
  });

  it('junit.xml has one testcase per case; report.html a per-profile summary', () => {
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    const testcases = [...xml.matchAll(/<testcase [^>]*classname="([^"]+)"/g)].map((m) => m[1]);
    expect(testcases).toEqual([...OCPP16_CASE_IDS]);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<section id="profiles">');
    for (const p of FEATURE_PROFILES) expect(html).toContain(`<td>${p}</td>`);
  });

  it('--grep picks cases by id or profile; --profiles makes the others not applicable', async () => {
    const byId = await certify({ self: true, profile: 'ocpp16', grep: '^TC_05[45]' });
    expect(byId.cases!.map((c) => [c.id, c.verdict])).toEqual([['TC_054_CS', 'pass'], ['TC_055_CS', 'pass']]);
    const declared = await certify({ self: true, profile: 'ocpp16', grep: 'TC_04[23]|TC_054|TC_001', profiles: ['Core', 'RemoteTrigger'] });
    const v = Object.fromEntries(declared.cases!.map((c) => [c.id, c.verdict]));
    expect(v).toMatchObject({ TC_001_CS: 'pass', TC_054_CS: 'pass', TC_043_CS: 'not-applicable', TC_042_2_CS: 'not-applicable' });
    // declared without local lists, our charger (which has one) fails the two "not supported" cases
    expect(v).toMatchObject({ TC_042_1_CS: 'fail', TC_043_1_CS: 'fail' });
    expect(declared.exitCode).toBe(1);
  });

  it('--profile platform-1.6j,ocpp16: platform verdicts from the platform scenarios, their profile rows citing the cases', async () => {
    const both = await certify({ self: true, profile: 'platform-1.6j,ocpp16', grep: 'smart|trigger' });
    expect(both.exitCode, brief(both.cases ?? [])).toBe(0);
    const ids = (both.requirements ?? []).map((r) => r.id);
    expect(ids.filter((id) => id.startsWith('PLT-'))).toHaveLength(23);
    expect(ids.filter((id) => id.startsWith('TC_'))).toHaveLength(12);
    const sc1 = both.requirements!.find((r) => r.id === 'PLT-SC-1')!;
    expect(sc1.verdict).toBe('pass');
    expect(sc1.evidence.at(-1)!.text).toBe('OCPP 1.6 catalogue, SmartCharging: 10 of 10 cases pass');
    expect(both.requirements!.find((r) => r.id === 'PLT-RT-2')!.evidence.at(-1)!.text).toBe('OCPP 1.6 catalogue, RemoteTrigger: 2 of 2 cases pass');
    // the catalogue traffic does not reach the platform checks: they judged the platform scenarios only
    expect(both.requirements!.filter((r) => r.id.startsWith('PLT-') && r.verdict === 'fail')).toEqual([]);
  }, 60_000);

  it('a case whose physical act nobody does is "needs operator", naming the act; cases without acts still pass', async () => {
    class NoOperator extends VirtualChargerUnderTest {
      override perform(): Promise<boolean> {
        return Promise.resolve(false);
      }
    }
    const r = await certify({
      profile: 'ocpp16',
      grep: '^TC_0(19|41|54)_CS',
      clock: new VirtualClock(Date.UTC(2026, 2, 2, 9, 0, 0), { stuckMs: 2_000 }),
      charger: (t) => new NoOperator({ id: t.id, password: t.password, csmsUrl: t.url, ca: t.ca!, clock: t.clock, quirks: [], state: memoryStateStore(), freshState: true }),
    });
    expect(Object.fromEntries(r.cases!.map((c) => [c.id, c.verdict]))).toEqual({ TC_019_CS: 'pass', TC_041_CS: 'needs-operator', TC_054_CS: 'pass' });
    expect(r.cases!.find((c) => c.id === 'TC_041_CS')!.evidence[0].text).toMatch(/needs an operator: fault/);
    expect(r.exitCode).toBe(1);
  }, 60_000);

  it('bad --profile, --profiles and --grep are usage errors (exit 2) with their codes', async () => {
    const bad = await runMain(['certify', '--self', '--profile', 'ocpp1.6'], { cwd: ROOT });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('CLI_BAD_PROFILE');
    expect(bad.stderr).toContain("did you mean 'ocpp16'");
    const profiles = await runMain(['certify', '--self', '--profile', 'ocpp16', '--profiles', 'core,smrt'], { cwd: ROOT });
    expect(profiles.code).toBe(2);
    expect(profiles.stderr).toContain('CLI_BAD_PROFILES');
    const grep = await runMain(['certify', '--self', '--profile', 'ocpp16', '--grep', 'TC_(0'], { cwd: ROOT });
    expect(grep.code).toBe(2);
    expect(grep.stderr).toContain('CLI_BAD_GREP');
  }, 60_000);
});

describe('the catalogue mutation matrix (docs/quirks.md): the table', () => {
  const table = catalogueTable();

  it('names every catalogue-only quirk, and real case ids', () => {
    for (const q of CATALOGUE_ONLY_QUIRKS) expect(table.has(q), `${q} has no row`).toBe(true);
    for (const [q, ids] of table) {
      expect(ids.length, `${q} breaks nothing`).toBeGreaterThan(0);
      for (const id of ids) expect(OCPP16_CASE_IDS, `${q}: ${id}`).toContain(id);
    }
  });

  it('every covered case that applies to our charger fails under at least one quirk', () => {
    const broken = new Set([...table.values()].flat());
    // the two "no local list" cases do not apply to ours; TC_085/086 are the connection itself (docs/quirks.md)
    const exceptions = ['TC_042_1_CS', 'TC_043_1_CS', 'TC_085_CS', 'TC_086_CS'];
    const covered = OCPP16_CASE_IDS.filter((id) => !NOT_COVERED[id] && !exceptions.includes(id));
    expect(covered.filter((id) => !broken.has(id))).toEqual([]);
  });
});

describe('a scripted answer set while connected survives a reconnect', () => {
  it('replyNext BootNotification, then a reboot: the boot on the new connection gets the scripted answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-carry-'));
    try {
      const file = join(dir, 'carry.yaml');
      writeFileSync(
        file,
        [
          'name: a scripted answer survives a reboot',
          'role: csms',
          'steps:',
          '  - connect',
          '  - expectCall: { action: BootNotification, within: 2m }',
          "  - replyNext: { action: BootNotification, payload: { status: Rejected, currentTime: '2026-01-01T00:00:00Z', interval: 20 } }",
          '  - reboot',
          '  - expectCall: { action: BootNotification, within: 2m, response: { status: Rejected } }',
          '  - expectCall: { action: BootNotification, within: 2m, response: { status: Accepted } }',
          '',
        ].join('\n'),
      );
      const r = await certify({ self: true, paths: [file] });
      const s = r.scenarios[0];
      expect(s.status, JSON.stringify(s.steps.filter((st) => st.status !== 'passed').map((st) => st.failure))).toBe('passed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('catalogue-only quirks break no platform-1.6j requirement', () => {
  it('certify --self (platform-1.6j) with all of them on still passes', async () => {
    const r = await certify({ self: true, quirks: CATALOGUE_ONLY_QUIRKS as QuirkName[] });
    expect((r.requirements ?? []).filter((v) => v.verdict === 'fail').map((v) => `${v.id}: ${v.evidence[0]?.text ?? ''}`)).toEqual([]);
    expect(r.exitCode).toBe(0);
  }, 60_000);
});
