/**
 * `chargecheck run --target targets/csms-admin.example.yaml` against `chargecheck csms --admin` in
 * another process, in real time: the shipped example target drives the built-in CSMS through its
 * HTTP admin API exactly as it would drive a staging CSMS's API, and the whole shipped suite passes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDist, ROOT, startCli, type CliProcess } from '../test/helpers/cli.js';
import { runChargecheck, summary } from './helpers.js';

const PASSWORD = 'my-password-123';
let csms: CliProcess | undefined;
afterAll(async () => {
  await csms?.stop('SIGINT');
});

describe('chargecheck run --target <shipped example> against chargecheck csms --admin', () => {
  it('passes the whole shipped suite in real time, within 6 minutes', async () => {
    buildDist();
    const dir = mkdtempSync(join(tmpdir(), 'cc-csms-admin-'));
    csms = startCli(['csms', '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--charger', `*:${PASSWORD}`], dir);
    const [, url] = await csms.waitForLine(/listening on (wss:\/\/\S+)\/<id>/);
    const [, admin] = await csms.waitForLine(/admin API on (http:\/\/\S+)/);
    const r = await runChargecheck(['--target', join(ROOT, 'targets', 'csms-admin.example.yaml'), '--csms', url!, '--ca', join(dir, 'certs', 'ca.pem'), '--var', `admin=${admin}`], { CHARGECHECK_PASSWORD: PASSWORD });
    console.log(summary('run --target targets/csms-admin.example.yaml vs chargecheck csms --admin', r));
    expect(r.report.scenarios.map((s) => [s.name, s.status, s.steps.find((x) => x.failure)?.failure?.message])).toEqual(r.report.scenarios.map((s) => [s.name, 'passed', undefined]));
    expect(r.code).toBe(0);
    expect(r.wallMs).toBeLessThan(6.5 * 60_000);
  });
});
