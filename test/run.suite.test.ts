/**
 * `chargecheck run` on the shipped suite (scenarios/csms/) as users run it: a child process of
 * `node bin/chargecheck.js run` (= `npm start`) against the built-in CSMS on virtual time, with the
 * JSON report read back to check what the step language cannot say (frame order).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUIREMENT_IDS } from '../src/conformance/requirements.js';
import { ROOT, runMain, type CliResult } from './helpers/cli.js';

interface FrameJson {
  direction: 'in' | 'out';
  clockTime: number;
  raw: string;
}
interface ScenarioJson {
  name: string;
  file: string;
  requirements: string[];
  status: string;
  clockStart: number;
  clockEnd: number;
  frames: FrameJson[];
}
interface RunJson {
  exitCode: number;
  mode: string;
  target: string;
  scenarios: ScenarioJson[];
  requirements: { id: string; verdict: string }[];
}

type Frame = [2, string, string, Record<string, unknown>] | [3, string, Record<string, unknown>] | [4, string, string, string, unknown];

let work: string;
let result: CliResult;
let report: RunJson;
let wallMs: number;

const SUITE_DIR = join(ROOT, 'scenarios', 'csms');
/** Requirements no charger–CSMS exchange of the shipped suite shows (see docs/run.md). */
const NOT_IN_SUITE = ['PLT-TLS-1', 'PLT-TLS-2', 'PLT-SEC-2', 'PLT-SEC-3', 'PLT-FW-1', 'PLT-NF-2'];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'chargecheck-run-suite-'));
  const started = performance.now();
  // no paths: the default is the shipped suite, exactly what `npm start` runs
  result = await runMain(['run', '--reporter', 'terminal,json', '--out', join(work, 'out')], { cwd: work });
  wallMs = performance.now() - started;
  console.log(`chargecheck run (shipped suite, built-in CSMS, virtual time): ${Math.round(wallMs)} ms wall`);
  report = JSON.parse(readFileSync(join(work, 'out', 'report.json'), 'utf8')) as RunJson;
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function scenario(fileName: string): ScenarioJson {
  const s = report.scenarios.find((x) => x.file.endsWith(fileName));
  if (!s) throw new Error(`no scenario ${fileName} in the report`);
  return s;
}

const parsed = (f: FrameJson): Frame => JSON.parse(f.raw) as Frame;
const isCall = (f: FrameJson, action: string) => parsed(f)[0] === 2 && parsed(f)[2] === action;

describe('chargecheck run: the shipped suite against the built-in CSMS', () => {
  it('exits 0 and every scenario of scenarios/csms passed, on virtual time against the built-in CSMS', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(report.exitCode).toBe(0);
    expect(report).toMatchObject({ mode: 'virtual', target: 'built-in' });
    const files = readdirSync(SUITE_DIR).filter((f) => f.endsWith('.yaml')).sort();
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(report.scenarios.map((s) => s.file.split('/').pop()).sort()).toEqual(files);
    for (const s of report.scenarios) expect([s.name, s.status]).toEqual([s.name, 'passed']);
    expect(result.stdout).toMatch(/Scenarios\s+\d+ passed \(\d+\)/);
    expect(result.stdout).toContain('PASSED');
  });

  it('tags every scenario and covers every requirement an exchange can show, each with a pass', () => {
    for (const s of report.scenarios) expect(s.requirements.length, s.file).toBeGreaterThan(0);
    const covered = new Set(report.scenarios.flatMap((s) => s.requirements));
    const wanted = [...REQUIREMENT_IDS].filter((id) => !NOT_IN_SUITE.includes(id));
    expect([...wanted].filter((id) => !covered.has(id))).toEqual([]);
    for (const id of wanted) expect(report.requirements.find((r) => r.id === id)?.verdict, id).toBe('pass');
  });

  it('covers at least 3 minutes of charger time in total', () => {
    const clockMs = report.scenarios.reduce((sum, s) => sum + (s.clockEnd - s.clockStart), 0);
    console.log(`shipped suite: ${Math.round(clockMs / 60_000)} min of charger time in ${Math.round(wallMs)} ms wall`);
    expect(clockMs).toBeGreaterThanOrEqual(3 * 60_000);
  });

  it('TriggerMessage: the charger sends the .conf before the triggered message (PLT-RT-1, PLT-RT-2)', () => {
    const frames = scenario('05-trigger-message.yaml').frames;
    const triggers = frames.filter((f) => f.direction === 'in' && isCall(f, 'TriggerMessage'));
    expect(triggers.length).toBe(2);
    for (const t of triggers) {
      const [, id, , payload] = parsed(t) as [2, string, string, { requestedMessage: string }];
      const at = frames.indexOf(t);
      const conf = frames.findIndex((f, i) => i > at && f.direction === 'out' && parsed(f)[0] === 3 && parsed(f)[1] === id);
      const message = frames.findIndex((f, i) => i > at && f.direction === 'out' && isCall(f, payload.requestedMessage));
      expect(conf, `${payload.requestedMessage}.conf`).toBeGreaterThan(at);
      expect(message, `triggered ${payload.requestedMessage}`).toBeGreaterThan(conf);
    }
  });

  it('network loss: the queued MeterValues then StopTransaction reach the CSMS in order, one at a time, each answered (PLT-NF-1)', () => {
    const frames = scenario('07-network-loss.yaml').frames;
    const txCalls = frames.filter((f) => f.direction === 'out' && (isCall(f, 'MeterValues') || isCall(f, 'StopTransaction') || isCall(f, 'StartTransaction')));
    expect(txCalls.map((f) => parsed(f)[2])).toEqual(['StartTransaction', 'MeterValues', 'MeterValues', 'MeterValues', 'MeterValues', 'StopTransaction']);
    const stamp = (f: FrameJson): number => {
      const p = parsed(f)[3] as { timestamp?: string; meterValue?: { timestamp: string }[] };
      return Date.parse(p.timestamp ?? p.meterValue![0].timestamp);
    };
    const queued = txCalls.slice(2);
    // sampled while offline (ascending charger timestamps), sent after the reconnect
    for (let i = 1; i < queued.length; i++) expect(stamp(queued[i])).toBeGreaterThanOrEqual(stamp(queued[i - 1]));
    expect(queued[0].clockTime).toBeGreaterThan(stamp(queued[queued.length - 1]));
    // one in flight at a time: each CALL's answer comes in before the next CALL goes out
    for (let i = 0; i < queued.length; i++) {
      const id = parsed(queued[i])[1];
      const answer = frames.findIndex((f) => f.direction === 'in' && parsed(f)[0] === 3 && parsed(f)[1] === id);
      expect(answer, `answer to ${parsed(queued[i])[2]}`).toBeGreaterThan(frames.indexOf(queued[i]));
      if (i + 1 < queued.length) expect(answer).toBeLessThan(frames.indexOf(queued[i + 1]));
    }
  });
});
