/**
 * certify in real-charger mode (no --self, no in-process charger factory: the RealChargerUnderTest that
 * prompts an operator) with --non-interactive: a charger connects by itself (our ChargerHost over
 * real WSS, as a stand-in for a device on the bench) but nobody can plug a car in, so every
 * physical act becomes a "needs operator" verdict that says which step was not done; and exit 3
 * when no charger connects at all.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { progressLines } from '../src/harness/certify-time.js';
import { buildDist, startCli } from './helpers/cli.js';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual.js';
import { CHARGER_SUITE_DIR, certify } from '../src/harness/certify.js';
import { ChargerHost } from '../src/host/charger-host.js';
import { memoryStateStore } from '../src/host/state-file.js';
import type { RunResult } from '../src/results/model.js';
import { createPki } from '../src/transport/pki.js';

const ID = 'ACME-BENCH-1';
const PASSWORD = '00112233445566778899aabbccddeeff';
const SUBSET = ['01-connection.yaml', '04-transaction-meter-values.yaml', '07-fault.yaml'].map((f) => join(CHARGER_SUITE_DIR, f));

let host: ChargerHost | undefined;
afterEach(() => {
  host?.stop();
  host = undefined;
});

const byId = (r: RunResult) => Object.fromEntries((r.requirements ?? []).map((v) => [v.id, v]));

describe('certify --non-interactive against a charger that connects but cannot be handled', () => {
  it('decides what the traffic shows and turns every physical act into needs-operator, with the step named', async () => {
    const pki = await createPki();
    const clock = new VirtualClock(Date.UTC(2026, 4, 4, 10, 0, 0));
    const prompts: string[] = [];
    const result = await certify({
      chargePointId: ID,
      password: PASSWORD,
      cert: pki.server,
      clock,
      paths: SUBSET,
      nonInteractive: true,
      connectTimeoutMs: 60_000,
      prompt: (t) => prompts.push(t),
      onListening: (url) => {
        // the charger on the bench: configured with the listener's URL, its id and AuthorizationKey
        const csmsUrl = url.slice(0, url.lastIndexOf('/'));
        host = new ChargerHost({ id: ID, clock, csmsUrl, authorizationKey: PASSWORD, ca: pki.ca.cert, state: memoryStateStore(), backoff: { baseMs: 1_000, capMs: 10_000 } });
        host.start();
      },
    });
    const v = byId(result);
    const detail = Object.values(v).map((r) => `${r.id}: ${r.verdict} — ${r.evidence.map((e) => e.text).join(' | ')}`).join('\n');

    expect(result.mode).toBe('virtual');
    expect(result.target).toBe(ID);
    expect(prompts[0], prompts.join('\n')).toMatch(new RegExp(`^Point the charger at wss://127\\.0\\.0\\.1:\\d+/ocpp/${ID} with its Basic password`));
    // nobody was asked to plug a car in: non-interactive never prompts for an act
    expect(prompts.filter((p) => /Plug|Unplug|Present the card|Cause a fault/.test(p))).toEqual([]);

    // what the connection itself shows is decided
    for (const id of ['PLT-TLS-1', 'PLT-TLS-2', 'PLT-SEC-2', 'PLT-TIME-1']) expect(v[id].verdict, detail).toBe('pass');
    // what needs hands is not blamed on the charger: needs-operator, naming the act and the scenario
    for (const id of ['PLT-ST-4', 'PLT-ST-1', 'PLT-MV-1']) expect(v[id].verdict, detail).toBe('needs-operator');
    expect(v['PLT-ST-4'].evidence.map((e) => e.text).join('\n')).toMatch(/the operator step \((fault|fault, clearFault)\) in 'Fault and recovery' was not done/);
    expect(v['PLT-ST-1'].evidence.map((e) => e.text).join('\n')).toMatch(/the operator step \(plug\) in 'A transaction with 60-s MeterValues' was not done/);
    // nothing fails for want of an operator; scenarios not in the subset are not tested
    expect(Object.values(v).filter((r) => r.verdict === 'fail').map((r) => r.id), detail).toEqual([]);
    expect(v['PLT-SC-2'].verdict).toBe('not-tested');
    // required requirements without a pass fail the certification: exit 1, not 0 and not 3
    expect(result.exitCode).toBe(1);
    // and the scenario reports say why each act step failed
    const actFailures = result.scenarios.flatMap((s) => s.steps).filter((st) => st.failure?.code === 'CERTIFY_NEEDS_OPERATOR');
    expect(actFailures.map((st) => st.kind)).toEqual(expect.arrayContaining(['plug', 'fault']));
    expect(actFailures[0].failure!.message).toMatch(/^needs an operator: \w+/);
  });

  it('exits 3 when no charger connects within connectTimeoutMs', async () => {
    const pki = await createPki();
    const prompts: string[] = [];
    const result = await certify({ chargePointId: ID, password: PASSWORD, cert: pki.server, paths: SUBSET, nonInteractive: true, connectTimeoutMs: 300, prompt: (t) => prompts.push(t) });
    expect(result.exitCode).toBe(3);
    expect(result.mode).toBe('real');
    expect(result.scenarios).toEqual([]);
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toMatch(/^\d+ scenarios; a conformant charger that answers at once takes about \d+ min/);
    // nothing was tested, and nothing is blamed on a charger that never came
    const vs = result.requirements ?? [];
    expect(vs.filter((r) => r.verdict === 'fail').map((r) => r.id)).toEqual([]);
    expect(byId(result)['PLT-TLS-1'].verdict).toBe('not-tested');
    expect(byId(result)['PLT-TLS-1'].evidence.map((e) => e.text).join('\n')).toMatch(/no connection attempt recorded/);
  });
});

describe('certify stops cleanly', () => {
  it('SIGINT while waiting for the charger: reports written, exit 130; progress lines when stderr is not a terminal', async () => {
    buildDist();
    const dir = mkdtempSync(join(tmpdir(), 'certify-sigint-'));
    const cli = startCli(['certify', '--listen', '127.0.0.1:0', '--charger', `${ID}:${PASSWORD}`, '--cert-dir', join(dir, 'certs'), '--reporter', 'json,junit,html', '--out', join(dir, 'out')], dir);
    await cli.waitForLine(/^certify listener: wss:\/\/127\.0\.0\.1:\d+\/ocpp\/ACME-BENCH-1$/);
    // stop once it waits for the charger (its first progress line is on stderr)
    await new Promise<void>((resolve) => {
      const seen = () => /… waiting for charger/.test(cli.stderr());
      if (seen()) resolve();
      else cli.child.stderr!.on('data', () => seen() && resolve());
    });
    const code = await cli.stop('SIGINT');
    expect(code, cli.stderr()).toBe(130);
    expect(cli.stderr()).toMatch(/SIGINT: stopping certify and writing reports/);
    // the first progress line comes at once (then at most every 10 s)
    expect(cli.stderr()).toMatch(/… waiting for charger ACME-BENCH-1 to connect — \d+ s left/);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as { exitCode: number; certificate: { interrupted: { reason: string } }; requirements: { verdict: string }[] };
    expect(report.exitCode).toBe(130);
    expect(report.certificate.interrupted.reason).toMatch(/SIGINT/);
    expect(report.requirements.filter((r) => r.verdict === 'fail')).toEqual([]);
    expect(existsSync(join(dir, 'out', 'junit.xml')) && existsSync(join(dir, 'out', 'report.html'))).toBe(true);
  }, 60_000);

  it('progress lines: at most one every 10 s of run time, naming the scenario', () => {
    const clock = new VirtualClock(Date.UTC(2026, 4, 4, 10, 0, 0));
    const lines: string[] = [];
    const p = progressLines(clock, (l) => lines.push(l));
    p.scenario(4, 9, 'A transaction');
    p.waiting('StatusNotification Preparing', 170_000);
    clock.advanceTo(clock.now() + 5_000);
    p.waiting('StatusNotification Preparing', 165_000);
    clock.advanceTo(clock.now() + 5_000);
    p.waiting('StatusNotification Preparing', 160_000);
    expect(lines).toEqual([
      "… waiting for StatusNotification Preparing — 170 s left (scenario 4/9 'A transaction', 0 min elapsed)",
      "… waiting for StatusNotification Preparing — 160 s left (scenario 4/9 'A transaction', 0 min elapsed)",
    ]);
  });
});
