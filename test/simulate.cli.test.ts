import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';

import { CliChild } from './helpers/cli-child.js';
import { ROOT } from './helpers/cli.js';


let csms: CliChild;
let url: string;
const certDir = mkdtempSync(join(tmpdir(), 'cc-sim-'));

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
  csms = new CliChild(['csms', '--listen', '127.0.0.1:0', '--charger', 'SIM1:simulate-pw-123', '--cert-dir', certDir]);
  url = (await csms.waitFor(/listening on (wss:\/\/\S+)\/<id>/))[1];
});
afterAll(() => csms.child.kill());

describe('chargecheck simulate, typed at as a person would', () => {
  it('boots, charges on plug + tag, reports faults, stops on unplug and quits', async () => {
    const sim = new CliChild(['simulate', '--csms', url, '--id', 'SIM1', '--password', 'simulate-pw-123', '--ca', join(certDir, 'ca.pem'), '--no-frames']);
    await sim.waitFor(/boot Accepted/);
    await csms.waitFor(/SIM1 connector 1 Available/);
    sim.type('plug 1');
    await sim.waitFor(/connector 1 → Preparing/);
    sim.type('tag RFID-7 1');
    await sim.waitFor(/transaction started on connector 1 for RFID-7/);
    await sim.waitFor(/connector 1 → Charging/);
    sim.type('status');
    await sim.waitFor(/connector 1: Charging · \d+\.\d+ kW/);
    sim.type('fault 1 GroundFailure');
    await csms.waitFor(/SIM1 connector 1 Faulted \(GroundFailure\)/);
    sim.type('clear 1');
    sim.type('teleport');
    await sim.waitFor(/error SIM_BAD_COMMAND: unknown command 'teleport'/);
    sim.type('unplug 1');
    await sim.waitFor(/transaction stopped on connector 1/);
    await csms.waitFor(/SIM1 transaction \d+ stopped \d+ Wh/);
    sim.type('quit');
    expect(await sim.exited()).toBe(0);
    expect(sim.text).toContain('stopped');
  });

  it('says clearly when the password is wrong, keeps running until told to stop, then exits 3 (it never connected)', async () => {
    const sim = new CliChild(['simulate', '--csms', url, '--id', 'SIM1', '--password', 'nope', '--ca', join(certDir, 'ca.pem')]);
    await sim.waitFor(/connection failed: TRANSPORT_AUTH_REJECTED/);
    sim.type('status');
    await sim.waitFor(/link down/);
    sim.child.stdin.end();
    expect(await sim.exited()).toBe(3);
  });

  it('rejects an unknown quirk with exit 2', async () => {
    const sim = new CliChild(['simulate', '--csms', url, '--id', 'SIM1', '--quirk', 'teleporting']);
    expect(await sim.exited()).toBe(2);
    expect(sim.text).toContain('CP_UNKNOWN_QUIRK');
  });
});
