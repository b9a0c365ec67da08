/**
 * Issue 12: honest exit codes (one typed table of error categories), usage errors before any work,
 * oversized scenario files, syntax errors where the construct starts, terminal-safe `validate`, and
 * SIGINT/SIGTERM during `run` — all through main(argv, io) in this process.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCsmsServer, type CsmsServer } from '../src/csms/server.js';
import { createPki, type Pki } from '../src/transport/pki.js';
import { ROOT, runMain, startCli, startMain } from './helpers/cli.js';
import { startTlsRpcServer } from './helpers/ocpp-rpc.js';

let work: string;
let pki: Pki;
let csms: CsmsServer;
let closedPort: number;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cc-hardening-'));
  pki = await createPki();
  csms = await startCsmsServer({ chargers: { CP1: 'right-password-1', '*': 'swarm-password-1' }, cert: pki.server });
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  writeFileSync(join(work, 'ca.pem'), pki.ca.cert);
  writeFileSync(join(work, 'not-a-cert.pem'), 'hello, I am not a certificate\n');
});

afterAll(async () => {
  await csms?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('exit codes follow the error category (usage 2, unreachable 3)', () => {
  it('run --csms notaurl / http:// / ws:// exit 2 with CLI_BAD_URL, and never mention an option run does not have', async () => {
    for (const url of ['notaurl', 'http://127.0.0.1:1/ocpp', 'ws://127.0.0.1:1/ocpp']) {
      const r = await runMain(['run', '--csms', url, '--id', 'CP1'], { cwd: work });
      expect(r.code, url).toBe(2);
      expect(r.stderr, url).toMatch(/^error CLI_BAD_URL: /m);
      expect(r.stderr, url).not.toContain('insecure');
    }
  });

  it('a --ca that is not PEM is a usage error at start (exit 2, CLI_BAD_PEM), not "certificate not trusted" later', async () => {
    const r = await runMain(['run', '--csms', `wss://127.0.0.1:${closedPort}/ocpp`, '--id', 'CP1', '--ca', join(work, 'not-a-cert.pem')], { cwd: work });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error CLI_BAD_PEM: .*holds no PEM certificate/m);
  });

  it('run against a closed port still exits 3', async () => {
    const r = await runMain(['run', join(work, '..', 'nothing.yaml'), '--csms', `wss://127.0.0.1:${closedPort}/ocpp`], { cwd: work });
    // The scenario path does not exist: that is bad usage, found before connecting.
    expect(r.code).toBe(2);
    const shipped = await runMain(['run', '--csms', `wss://127.0.0.1:${closedPort}/ocpp`, '--id', 'CP1'], { cwd: work });
    expect(shipped.code).toBe(3);
    expect(shipped.stderr).toMatch(/^error TRANSPORT_UNREACHABLE: /m);
  });

  it('simulate exits 3 on ECONNREFUSED, 401 and an untrusted CA (it used to exit 0), and 2 on an http:// URL', async () => {
    const simulate = async (args: string[]) => {
      const cli = startMain(['simulate', ...args, '--no-frames'], { cwd: work, stdin: null });
      // a person sees the failure, then ends the console
      await new Promise<void>((resolve) => {
        const poll = () => (cli.stdout().includes('connection failed') ? resolve() : setImmediate(poll));
        poll();
      });
      cli.stdin.end();
      return cli.done;
    };
    const refused = await simulate(['--csms', `wss://127.0.0.1:${closedPort}/ocpp`, '--id', 'CP1']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^error TRANSPORT_UNREACHABLE: /m);

    const wrongPassword = await simulate(['--csms', csms.url, '--id', 'CP1', '--password', 'wrong-password-1', '--ca', join(work, 'ca.pem')]);
    expect(wrongPassword.code).toBe(3);
    expect(wrongPassword.stderr).toMatch(/^error TRANSPORT_AUTH_REJECTED: /m);

    const otherCa = await createPki();
    writeFileSync(join(work, 'other-ca.pem'), otherCa.ca.cert);
    const untrusted = await simulate(['--csms', csms.url, '--id', 'CP1', '--password', 'right-password-1', '--ca', join(work, 'other-ca.pem')]);
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toMatch(/^error TLS_CERT_UNTRUSTED: /m);

    const http = await runMain(['simulate', '--csms', 'http://127.0.0.1:1/ocpp', '--id', 'CP1'], { cwd: work });
    expect(http.code).toBe(2);
    expect(http.stderr).toMatch(/^error CLI_BAD_URL: /m);
  });

  it('simulate that connects and is told to quit exits 0', async () => {
    const cli = startMain(['simulate', '--csms', csms.url, '--id', 'CP1', '--password', 'right-password-1', '--ca', join(work, 'ca.pem'), '--no-frames'], { cwd: work, stdin: null });
    // Quit once connected (the line comes from the host's open event).
    await new Promise<void>((resolve) => {
      const poll = () => (cli.stdout().includes('connected to') ? resolve() : setImmediate(poll));
      poll();
    });
    cli.stdin.end('quit\n');
    const r = await cli.done;
    expect(r.code).toBe(0);
  });
});

describe('oversized and hostile scenario input', () => {
  it('a 50 MB scenario file is refused with a file-level error and exit 2 in well under a second', async () => {
    const big = join(work, 'big.yaml');
    writeFileSync(big, 'name: big\nrole: chargepoint\nsteps:\n');
    truncateSync(big, 50 * 1024 * 1024);
    const started = performance.now();
    const v = await runMain(['validate', big], { cwd: work });
    const r = await runMain(['run', big], { cwd: work });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('error[SCENARIO_FILE_TOO_LARGE]');
    expect(v.stderr).toContain(`--> ${big}\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SCENARIO_FILE_TOO_LARGE');
  });

  it('a 1 MB file nested 500,000 deep and an alias bomb are refused at once with exit 2, without expanding them', async () => {
    const deep = join(work, 'deep.yaml');
    writeFileSync(deep, `name: x\nrole: chargepoint\nsteps: ${'['.repeat(500_000)}${']'.repeat(500_000)}\n`);
    let bomb = 'name: x\nrole: chargepoint\na0: &a0 [1,1,1,1,1,1,1,1,1,1]\n';
    for (let i = 1; i <= 8; i++) bomb += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(',')}]\n`;
    writeFileSync(join(work, 'bomb.yaml'), bomb + 'steps: [connect]\n');
    const started = performance.now();
    const d = await runMain(['validate', deep], { cwd: work });
    const b = await runMain(['validate', join(work, 'bomb.yaml')], { cwd: work });
    expect(performance.now() - started).toBeLessThan(2_000); // the bomb took 69 s, 3.7 GB and crashed
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('nested deeper than 100 levels');
    expect(d.stderr).toContain(`--> ${deep}:3:`);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('expands to more than 100000 values');
  });

  it('an unclosed quote on line 5 is reported at 5:COL with that line, not at the next line', async () => {
    const f = join(work, 'quote.yaml');
    writeFileSync(f, 'name: q\nrole: chargepoint\nsteps:\n  - connect\n  - wait: "30s\n');
    const r = await runMain(['validate', f], { cwd: work });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--> ${f}:5:11`);
    expect(r.stderr).toContain('5 |   - wait: "30s');
  });

  it('validate shows control characters of a binary file as \\uXXXX, and honours NO_COLOR on a terminal', async () => {
    const f = join(work, 'binary.yaml');
    writeFileSync(f, Buffer.from('name: x\nrole: charge\u001b[31mpoint\u0007\nsteps: [connect]\n'));
    const plain = await runMain(['validate', f], { cwd: work, tty: true, env: { NO_COLOR: '1' } });
    expect(plain.code).toBe(2);
    // eslint-disable-next-line no-control-regex
    expect(plain.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(plain.stderr).toContain('charge\\u001B[31mpoint\\u0007');
    const coloured = await runMain(['validate', f], { cwd: work, tty: true, env: {} });
    expect(coloured.stderr).toContain('\u001b[');
  });
});

describe('SIGINT / SIGTERM during run', () => {
  it('the first signal stops the run and still writes report.json, junit.xml and report.html; exit 130 (SIGINT)', async () => {
    const out = join(work, 'interrupted');
    const cli = startMain(['run', '--reporter', 'json,junit,html', '--out', out], { cwd: work });
    setImmediate(() => cli.signal('SIGINT'));
    const r = await cli.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('SIGINT: stopping the run and writing reports');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { exitCode: number; scenarios: { status: string }[] };
    expect(report.exitCode).toBe(130);
    expect(report.scenarios.length).toBeGreaterThan(3);
    expect(report.scenarios.every((s) => s.status === 'skipped')).toBe(true);
    expect(existsSync(join(out, 'junit.xml'))).toBe(true);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });

  it('SIGTERM exits 143; a second signal asks to exit at once', async () => {
    const cli = startMain(['run', '--reporter', 'json', '--out', join(work, 'term')], { cwd: work });
    setImmediate(() => {
      cli.signal('SIGTERM');
      cli.signal('SIGTERM');
    });
    const r = await cli.done;
    expect(cli.exitNow).toEqual([143]);
    expect(r.code).toBe(143);
  });
});

describe('SIGINT in real processes and in the swarm', () => {
  it('a real `run` process against a CSMS we did not write (ocpp-rpc, real time) stops on SIGINT after the boot, writes report.json and exits 130', async () => {
    const out = join(work, 'real-sigint');
    const rpc = await startTlsRpcServer(pki.server, { CP1: Buffer.from('right-password-1') });
    try {
      let bootsAnswered = 0;
      const booted = new Promise<void>((resolve) => {
        rpc.rpc.on('client', (client) => {
          client.handle('BootNotification', () => {
            setImmediate(() => (++bootsAnswered, resolve()));
            return { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 };
          });
          client.handle('StatusNotification', () => ({}));
          client.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
        });
      });
      const cli = startCli(
        ['run', join(ROOT, 'test/fixtures/run/real-time.yaml'), '--csms', rpc.url, '--id', 'CP1', '--password', 'right-password-1', '--ca', join(work, 'ca.pem'), '--reporter', 'json', '--out', out],
        work,
      );
      await booted;
      const code = await cli.stop('SIGINT');
      expect(cli.stderr()).toContain('SIGINT: stopping the run and writing reports');
      expect(code).toBe(130);
      expect(bootsAnswered).toBe(1);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { exitCode: number; scenarios: { status: string; steps: { status: string; failure?: { code: string } }[] }[] };
      expect(report.exitCode).toBe(130);
      expect(report.scenarios[0].status).toBe('skipped');
      expect(report.scenarios[0].steps[0].status).toBe('passed');
      expect(report.scenarios[0].steps.some((st) => st.failure?.code === 'RUN_INTERRUPTED')).toBe(true);
    } finally {
      await rpc.close();
    }
  });

  it('swarm stops on SIGINT, still writes summary.json and summary.html, and exits 130', async () => {
    const out = join(work, 'swarm-sigint');
    const booted = new Promise<void>((resolve) => csms.csms.onSession((s) => s.subscribe({ boot: () => resolve() })));
    const cli = startMain(['swarm', '--csms', csms.url, '--count', '1', '--id-prefix', 'SW', '--password', 'swarm-password-1', '--ca', join(work, 'ca.pem'), '--duration', '600', '--out', out], { cwd: work });
    await booted;
    cli.signal('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    expect(existsSync(join(out, 'summary.html'))).toBe(true);
  });
});
