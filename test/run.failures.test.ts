/**
 * `chargecheck run` when things go wrong, as child processes: a scenario that fails (exit 1, with
 * expected / actual / frames in the terminal and in a well-formed JUnit file), an invalid scenario
 * (exit 2 with file:line:col), and a CSMS that cannot be reached (exit 3).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runMain } from './helpers/cli.js';
import { findAll, parseXml } from './fixtures/report/mini-xml.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'run');
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'chargecheck-run-fail-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('chargecheck run: failures and their exit codes', () => {
  it('a failing scenario exits 1; terminal and JUnit say what was expected, what came instead, and show the frames', async () => {
    const out = join(work, 'failing');
    const r = await runMain(['run', join(FIXTURES, 'failing.yaml'), '--reporter', 'terminal,junit', '--out', out], { cwd: work });
    expect(r.code).toBe(1);
    // terminal: the failed step, its code, expectation, the value that came instead, and frames
    expect(r.stdout).toMatch(/✗ .*still Charging after limit 0/);
    expect(r.stdout).toContain('SCENARIO_EXPECT_TIMEOUT');
    expect(r.stdout).toContain('expected "Charging", got "SuspendedEVSE"');
    expect(r.stdout).toMatch(/expected\s+\{"connectorId":1,"status":"Charging"\}/);
    expect(r.stdout).toMatch(/actual\s+SuspendedEVSE/);
    expect(r.stdout).toContain('frames (→ sent, ← received):');
    expect(r.stdout).toMatch(/→ \+0[12]:00 \[2,"[^"]+","MeterValues"/);
    expect(r.stdout).toMatch(/- .*power on connector 1 > 0 W/); // skipped after the failure
    expect(r.stdout).toContain('FAILED');

    const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
    const root = parseXml(xml); // throws unless well-formed
    expect(root.attrs).toMatchObject({ tests: '1', failures: '1', errors: '0' });
    const failures = findAll(root, 'failure');
    expect(failures.length).toBe(1);
    const { attrs, text } = failures[0];
    expect(attrs.type).toBe('SCENARIO_EXPECT_TIMEOUT');
    expect(attrs.message).toContain('still Charging after limit 0');
    expect(attrs.message).toContain('expected "Charging", got "SuspendedEVSE"');
    expect(text).toMatch(/failing\.yaml:\d+/);
    expect(text).toMatch(/expected:\s+\{\s+"connectorId": 1,\s+"status": "Charging"/);
    expect(text).toMatch(/actual:\s+SuspendedEVSE/);
    expect(text).toContain('frames (→ sent, ← received):');
    expect(text).toMatch(/"MeterValues".*"measurand":"Power.Active.Import"/);
  });

  it('an invalid scenario exits 2 with file:line:col, the line and a hint on stderr, and runs nothing', async () => {
    const r = await runMain(['run', join(FIXTURES, 'invalid.yaml')], { cwd: work });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error[SCENARIO_UNKNOWN_KEY]: unknown key 'conector' in step 'plug'");
    expect(r.stderr).toMatch(/--> .*test\/fixtures\/run\/invalid\.yaml:5:13$/m);
    expect(r.stderr).toContain("hint: did you mean 'connector'?");
    expect(r.stdout).not.toContain('▶');
  });

  it('--csms on a closed port exits 3 with a clear message', async () => {
    const port = await closedPort();
    const r = await runMain(['run', join(FIXTURES, 'real-time.yaml'), '--csms', `wss://127.0.0.1:${port}/ocpp`, '--id', 'CP1', '--password', 'secret-password'], { cwd: work });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^error TRANSPORT_UNREACHABLE: cannot reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`, 'm'));
    expect(r.stdout).not.toContain('▶');
  });
});
