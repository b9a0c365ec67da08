/**
 * `run` against an external CSMS described by a target file: loading and checking the file, the
 * pre-run check (skipped, with the reason), a CSMS act made to happen by an HTTP hook against the
 * built-in CSMS's admin API in real time (seconds), and a CSMS that does not act (the row says so,
 * in the CSMS's words).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminServer, type AdminServer } from '../src/csms/admin.js';
import { startCsmsServer, type CsmsServer } from '../src/csms/server.js';
import { isChargecheckError } from '../src/errors.js';
import { estimateRealTimeMs } from '../src/harness/run-estimate.js';
import { CSMS_SUITE_DIR, loadScenarios, runSuite } from '../src/harness/run-suite.js';
import { targetCannot } from '../src/harness/target-check.js';
import { loadTargetFile, type Target } from '../src/harness/target.js';
import { createPki } from '../src/transport/pki.js';

const FIXTURES = new URL('./fixtures/run/acts/', import.meta.url).pathname;
const PASSWORD = 'target-password-1';
let dir: string;
let csms: CsmsServer;
let admin: AdminServer;
let caFile: string;
let pki: Awaited<ReturnType<typeof createPki>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cc-target-'));
  pki = await createPki();
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pki.ca.cert);
  // the built-in CSMS as a foreign one: real time, answering only (no configuration after boot)
  csms = await startCsmsServer({ chargers: { '*': PASSWORD }, cert: pki.server, platform: { configureOnBoot: false } });
  admin = await startAdminServer(csms.csms, '127.0.0.1', 0);
});

afterAll(async () => {
  await admin?.close();
  await csms?.close();
});

function writeTarget(text: string): string {
  const file = join(dir, `t${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return file;
}

describe('target files', () => {
  it('loads ids from a template, the password from the environment, the CA relative to the file, and hooks', () => {
    const file = writeTarget(`csms: ${csms.url}/\nchargePoints: { template: 'CP-{n}', count: 3 }\npasswordEnv: CC_TEST_PW\nca: ${caFile.split('/').pop()}\nhooks:\n  triggerStatus: { http: { method: POST, url: 'http://127.0.0.1:1/x' } }\nreconnectDelay: 500ms\n`);
    const t = loadTargetFile(file, { CC_TEST_PW: 'secret' });
    expect(t).toMatchObject({ csmsUrl: csms.url, ids: ['CP-1', 'CP-2', 'CP-3'], password: 'secret', reconnectDelayMs: 500, tls: 'platform' });
    expect(t.ca).toContain('BEGIN CERTIFICATE');
    expect(t.hooks.triggerStatus).toEqual({ http: { method: 'POST', url: 'http://127.0.0.1:1/x', headers: undefined, body: undefined, timeoutMs: undefined } });
  });

  it('lists every problem at once: schema, hooks, a missing variable, an unreadable CA', () => {
    const file = writeTarget(`csms: wss://x/ocpp\npasswordEnv: CC_NOT_SET\nca: nowhere.pem\nhooks:\n  limitOff: { http: { url: 'ftp://x' } }\n`);
    try {
      loadTargetFile(file, {});
      expect.unreachable();
    } catch (err) {
      expect(isChargecheckError(err, 'RUN_TARGET_INVALID')).toBe(true);
      const problems = (err as { details: { problems: string[] } }).details.problems;
      expect(problems).toHaveLength(3);
      expect(problems.join('\n')).toMatch(/hooks\.limitOff\.http\.url[\s\S]*CC_NOT_SET is not set[\s\S]*ca: cannot read nowhere\.pem/);
    }
    const schemaBad = writeTarget(`csms: http://x\nchargepoints: [A]\n`);
    expect(() => loadTargetFile(schemaBad, {})).toThrow(/additional properties 'chargepoints'[\s\S]*\/csms must match pattern/);
  });

  it('says before the run what a target cannot do', async () => {
    const [trigger, scripted] = await loadScenarios([join(FIXTURES, 'trigger-by-hook.yaml'), join(FIXTURES, 'scripts-the-csms.yaml')]);
    const base: Target = { csmsUrl: 'wss://x', ids: ['A'], idTags: ['T'], hooks: {}, actsOnItsOwn: [], actWindowsMs: {}, reconnectDelayMs: 0, vars: {}, interactive: false, tls: 'platform', checks: { plainWs: false, wrongPassword: false } };
    expect(targetCannot(scripted!, base)).toMatch(/^step 3 \(line 10\) uses csmsCall, which scripts chargecheck's built-in CSMS/);
    expect(targetCannot(trigger!, base)).toBeUndefined();
    expect(targetCannot(trigger!, { ...base, actsOnItsOwn: ['limitOff'] })).toMatch(/the target says the CSMS does not 'triggerStatus' by itself and gives no hook for it/);
    expect(targetCannot(trigger!, { ...base, actsOnItsOwn: ['limitOff'], interactive: true })).toBeUndefined();
    expect(targetCannot(trigger!, { ...base, hooks: { triggerStatus: { command: 'echo {{profileId}} {{bootStatus}}' } } })).toMatch(/hooks\.triggerStatus names \{\{profileId\}\}, which no earlier step captures/);
    // curtailsDuringSessions speaks for limitOff and release, over actsOnItsOwn
    const [offAndOn] = await loadScenarios([join(CSMS_SUITE_DIR, '03-txprofile-off-and-on.yaml')]);
    expect(targetCannot(offAndOn!, { ...base, curtailsDuringSessions: false })).toMatch(/the target says the CSMS never curtails during sessions \(curtailsDuringSessions: false\) and gives no hook for 'limitOff'/);
    expect(targetCannot(offAndOn!, { ...base, actsOnItsOwn: ['configureInterval'], curtailsDuringSessions: true })).toBeUndefined();
    expect(targetCannot(offAndOn!, { ...base, actsOnItsOwn: ['configureInterval'] })).toMatch(/does not 'limitOff' by itself/);
  });
});

describe('run against an external CSMS through a target file (real time, seconds)', () => {
  it('a hook to the admin API makes the CSMS act; a csmsCall scenario is skipped with the reason, not failed', async () => {
    const file = writeTarget(`csms: ${csms.url}\nchargePoints: [HOOKED-1]\nca: ${caFile}\nreconnectDelay: 0s\nvars: { admin: '${admin.url}' }\nhooks:\n  triggerStatus: { http: { method: POST, url: '{{admin}}/chargers/{{chargePointId}}/call', body: { action: TriggerMessage, payload: { requestedMessage: StatusNotification } } } }\n`);
    const result = await runSuite({ paths: [FIXTURES], target: loadTargetFile(file, {}), password: PASSWORD });
    expect(result.scenarios.map((s) => [s.name, s.status])).toEqual([
      ['The CSMS’s TLS and authentication', 'passed'],
      ['Scripts the built-in CSMS', 'skipped'],
      ['A triggered StatusNotification within seconds', 'passed'],
    ]);
    // the transport rows are checks of the CSMS
    expect(result.scenarios[0]!.steps.map((s) => s.assertions[0]!.description)).toEqual([
      expect.stringMatching(/^accepted TLSv1\.2 with ECDHE-/),
      expect.stringMatching(/^refused plain ws:\/\/ \(/),
      'refused a wrong password with 401',
    ]);
    expect(result.requirements?.filter((r) => ['PLT-TLS-1', 'PLT-TLS-2', 'PLT-SEC-2'].includes(r.id)).map((r) => [r.id, r.verdict, r.title])).toEqual([
      ['PLT-TLS-1', 'pass', 'The CSMS refuses plain ws://'],
      ['PLT-TLS-2', 'pass', 'The CSMS accepts TLS 1.2 with an ELB 2018-06 suite (what the platform’s chargers offer)'],
      ['PLT-SEC-2', 'pass', 'The CSMS refuses a wrong Basic-auth password with 401'],
    ]);
    expect(result.scenarios[1]!.failure?.code).toBe('RUN_TARGET_CANNOT');
    const act = result.scenarios[2]!.steps.find((s) => s.kind === 'csmsAct')!;
    expect(act.assertions[0]!.description).toBe('the CSMS sent TriggerMessage (via hook)');
    expect(result.requirements?.find((r) => r.id === 'PLT-RT-1')).toMatchObject({ verdict: 'not-tested', title: 'The CSMS triggers BootNotification and accepts the triggered boot' });
    expect(result.requirements?.find((r) => r.id === 'PLT-RT-2')?.verdict).toBe('pass');
    expect(result.exitCode).toBe(0);
  });

  it('a CSMS that does not act fails the row in its own words; a failing hook is an error, never the CSMS’s failure', async () => {
    const silentTarget = writeTarget(`csms: ${csms.url}\nchargePoints: [SILENT-1]\nca: ${caFile}\nreconnectDelay: 0s\nactWindows: { triggerStatus: 1500ms }\nchecks: { plainWs: false, wrongPassword: false }\n`);
    const silent = await runSuite({ paths: [join(FIXTURES, 'trigger-by-hook.yaml')], target: loadTargetFile(silentTarget, {}), password: PASSWORD });
    expect(silent.exitCode).toBe(1);
    const row = silent.requirements!.find((r) => r.id === 'PLT-RT-2')!;
    expect(row.verdict).toBe('fail');
    // the target's actWindows replaced the scenario's 3 s
    expect(row.evidence[0]!.text).toContain('the CSMS did not trigger a StatusNotification from SILENT-1 within 1s500ms (the peer did not do it by itself: no TriggerMessage matching {"requestedMessage":"StatusNotification"} from the CSMS within 1.5s)');

    const file = writeTarget(`csms: ${csms.url}\nchargePoints: [HOOKED-2]\nca: ${caFile}\nreconnectDelay: 0s\nhooks:\n  triggerStatus: 'echo admin API down >&2; exit 7'\n`);
    const broken = await runSuite({ paths: [join(FIXTURES, 'trigger-by-hook.yaml')], target: loadTargetFile(file, {}), password: PASSWORD });
    const step = broken.scenarios.at(-1)!.steps.find((s) => s.kind === 'csmsAct')!;
    expect(step.status).toBe('error');
    expect(step.failure).toMatchObject({ code: 'RUN_HOOK_FAILED', message: "the hook for 'triggerStatus' failed: exit 7: admin API down" });
    expect(broken.requirements!.find((r) => r.id === 'PLT-RT-2')!.verdict).toBe('not-tested');
  });
});

describe('CI', () => {
  it('--grep selects by requirement id or name; the real-time estimate comes before anything runs', async () => {
    const byReq = await runSuite({ paths: [FIXTURES], grep: 'plt-rt-2' });
    expect(byReq.scenarios.map((s) => s.name)).toEqual(['A triggered StatusNotification within seconds']);
    expect(byReq.scenarios[0]!.status).toBe('passed');
    await expect(runSuite({ paths: [FIXTURES], grep: 'no such thing' })).rejects.toThrow(/no scenario with role chargepoint matches --grep 'no such thing'/);
    const estimates: string[] = [];
    const file = writeTarget(`csms: ${csms.url}\nchargePoints: [EST-1, EST-2]\nca: ${caFile}\nreconnectDelay: 0s\nchecks: { plainWs: false, wrongPassword: false }\n`);
    const r = await runSuite({ paths: [FIXTURES], grep: 'Scripts', target: loadTargetFile(file, {}), password: PASSWORD, onEstimate: (t) => estimates.push(t) });
    expect(r.scenarios.map((s) => s.status)).toEqual(['skipped']);
    expect(estimates).toEqual(['about 0s of real time: 0 scenario(s), 1 at a time, 1 skipped']);
    // the shipped suite: about its longest scenario with nine ids, far longer one at a time
    const shipped = await loadScenarios([CSMS_SUITE_DIR]);
    const nine = estimateRealTimeMs(shipped, 9, 3_000);
    expect(nine).toBeGreaterThanOrEqual(3 * 60_000);
    expect(nine).toBeLessThanOrEqual(6 * 60_000);
    expect(estimateRealTimeMs(shipped, 1, 3_000)).toBeGreaterThan(3 * nine);
  });
});

describe('cleanup', () => {
  it('a scenario that fails mid-session still leaves the CSMS clean: transaction stopped with a reason, connection closed', async () => {
    const result = await runSuite({ paths: [new URL('./fixtures/run/cleanup/', import.meta.url).pathname], csmsUrl: csms.url, id: 'CLEANUP-1', password: PASSWORD, ca: pki.ca.cert, reconnectDelayMs: 0 });
    expect(result.scenarios.map((s) => s.status)).toEqual(['failed']);
    const txs = csms.csms.transactions().filter((t) => t.chargePointId === 'CLEANUP-1');
    expect(txs).toHaveLength(1);
    expect(txs[0]).toMatchObject({ stopReason: 'EVDisconnected' });
    expect(txs[0]!.stopTimestamp).toBeGreaterThan(txs[0]!.startTimestamp);
    expect(csms.csms.session('CLEANUP-1')?.isOpen).toBe(false);
  });
});

describe('a CSMS that refuses the platform’s TLS', () => {
  it('a TLS 1.3-only CSMS is a failed PLT-TLS-2 check of the CSMS (exit 1), not an unreachable peer; nothing else runs', async () => {
    const pki = await createPki();
    const server = createTlsServer({ cert: pki.server.cert, key: pki.server.key, minVersion: 'TLSv1.3' }, (socket) => socket.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const ca = join(dir, 'tls13-ca.pem');
    writeFileSync(ca, pki.ca.cert);
    try {
      const file = writeTarget(`csms: wss://127.0.0.1:${(server.address() as AddressInfo).port}/ocpp\nchargePoints: [TLS13-1]\nca: ${ca}\nreconnectDelay: 0s\n`);
      const result = await runSuite({ paths: [join(FIXTURES, 'trigger-by-hook.yaml')], target: loadTargetFile(file, {}), password: PASSWORD });
      expect(result.exitCode).toBe(1);
      expect(result.scenarios.map((s) => [s.name, s.status])).toEqual([
        ['The CSMS’s TLS and authentication', 'failed'],
        ['A triggered StatusNotification within seconds', 'skipped'],
      ]);
      expect(result.requirements!.find((r) => r.id === 'PLT-TLS-2')).toMatchObject({ verdict: 'fail' });
      expect(result.requirements!.find((r) => r.id === 'PLT-TLS-2')!.evidence[0]!.text).toMatch(/did not accept TLS 1\.2 with an ELB 2018-06 suite: TLS_VERSION_MISMATCH/);
      expect(result.requirements!.find((r) => r.id === 'PLT-RT-2')!.verdict).toBe('not-tested');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('csms --admin API', () => {
  it('lists chargers and refuses what it cannot do with a reason', async () => {
    expect(await (await fetch(`${admin.url}/chargers`)).json()).toEqual(expect.any(Array));
    const nobody = await fetch(`${admin.url}/chargers/NOBODY/call`, { method: 'POST', body: JSON.stringify({ action: 'Reset', payload: { type: 'Soft' } }) });
    expect([nobody.status, await nobody.json()]).toEqual([404, { error: { code: 'NotConnected', description: 'charger NOBODY is not connected' } }]);
    const wrong = await fetch(`${admin.url}/chargers/X/call`, { method: 'POST', body: JSON.stringify({ action: 'BootNotification' }) });
    expect(wrong.status).toBe(400);
    const notJson = await fetch(`${admin.url}/chargers/X/call`, { method: 'POST', body: 'x' });
    expect(notJson.status).toBe(400);
  });
});
