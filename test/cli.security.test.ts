/**
 * Security Profile 3 from the command line, as a person would try it (docs/security.md):
 * `chargecheck certs --client`, `chargecheck csms --client-ca --sign-csr`, `chargecheck simulate
 * --cert --key --config SecurityProfile=3`, each its own process.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, buildDist, ROOT } from './helpers/cli.js';
import { CliChild } from './helpers/cli-child.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-sp3-cli-'));
const procs: CliChild[] = [];
let url: string;
let csms: CliChild;

beforeAll(async () => {
  // `npm test` builds first; build here only when run alone on a fresh checkout
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) buildDist();
  execFileSync(process.execPath, [BIN, 'certs', '--out', dir, '--client', 'SEC1'], { cwd: ROOT, stdio: 'pipe' });
  csms = new CliChild(['csms', '--listen', '127.0.0.1:0', '--charger', 'SEC1:', '--cert-dir', dir, '--client-ca', '--sign-csr']);
  procs.push(csms);
  url = (await csms.waitFor(/listening on (wss:\/\/\S+)\/<id>/))[1];
});
afterAll(() => {
  for (const p of procs) p.child.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('Security Profile 3 with chargecheck certs, csms and simulate', () => {
  it('the charger connects with its client certificate and no password; a typed security event goes to the CSMS', async () => {
    const sim = new CliChild(['simulate', '--csms', url, '--id', 'SEC1', '--ca', join(dir, 'ca.pem'), '--cert', join(dir, 'SEC1.pem'), '--key', join(dir, 'SEC1.key'), '--config', 'SecurityProfile=3']);
    procs.push(sim);
    await sim.waitFor(/boot Accepted/);
    await csms.waitFor(/connected SEC1 TLSv1\.2 \S+ auth=none/);
    sim.child.stdin.write('event tamperdetectionactivated lid opened\n');
    await sim.waitFor(/security event TamperDetectionActivated/);
    await sim.waitFor(/→ SecurityEventNotification \{"type":"TamperDetectionActivated"/);
    sim.child.stdin.write('status\n');
    await sim.waitFor(/security profile 3/);
    sim.child.stdin.end();
    expect(await sim.exited()).toBe(0);
  });

  it('without a certificate the CSMS refuses it (403), and the simulator says so', async () => {
    const sim = new CliChild(['simulate', '--csms', url, '--id', 'SEC1', '--ca', join(dir, 'ca.pem'), '--no-frames']);
    procs.push(sim);
    await sim.waitFor(/connection failed: TRANSPORT_FORBIDDEN/);
    await csms.waitFor(/refused SEC1: HTTP 403 client-cert-missing/);
    sim.child.stdin.end();
    expect(await sim.exited()).toBe(3); // never connected: the first failure's category (unreachable)
  });

  it('refuses SecurityProfile=3 without a certificate, and a --config item without =', async () => {
    const noCert = new CliChild(['simulate', '--csms', url, '--id', 'SEC1', '--ca', join(dir, 'ca.pem'), '--config', 'SecurityProfile=3']);
    procs.push(noCert);
    expect(await noCert.exited()).toBe(2);
    expect(noCert.text).toMatch(/CP_CONFIG_INVALID.*profile 3 needs a charge point certificate/);
    const bad = new CliChild(['simulate', '--csms', url, '--id', 'SEC1', '--config', 'SecurityProfile']);
    procs.push(bad);
    expect(await bad.exited()).toBe(2);
    expect(bad.text).toContain('CLI_BAD_CONFIG');
  });
});
