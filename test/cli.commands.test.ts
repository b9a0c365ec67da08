/**
 * The `chargecheck` binary as users run it: mostly in-process through main(argv, io) with captured
 * streams; `--help` and the long-running `csms` (SIGINT, real port) as real child processes of
 * `node bin/chargecheck.js` (dist/ built once by the global setup). Real files, a real WSS
 * listener reached by a raw ws client.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, runCli, runMain, startCli, type CliProcess } from './helpers/cli.js';
import { answerTo, openRaw, upgradeStatus } from './helpers/raw-ws.js';

let work: string;

beforeAll(() => {
  buildDist();
  work = mkdtempSync(join(tmpdir(), 'chargecheck-cli-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('chargecheck --help and usage errors', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await runCli(['--help'], work);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+certs\b/m);
    expect(r.stdout).toMatch(/^\s+csms\b/m);
  });

  it('csms --help lists its options', async () => {
    const r = await runMain(['csms', '--help'], { cwd: work });
    expect(r.code).toBe(0);
    for (const opt of ['--listen', '--charger', '--cert-dir', '--trace', '--no-configure', '--heartbeat']) expect(r.stdout).toContain(opt);
  });

  it('a --charger without ID:PASSWORD exits 2 with error CLI_BAD_CHARGER, before touching the disk', async () => {
    const dir = mkdtempSync(join(work, 'bad-'));
    const r = await runMain(['csms', '--listen', '127.0.0.1:0', '--charger', 'CP1-no-password', '--cert-dir', join(dir, 'certs')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error CLI_BAD_CHARGER: /m);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a bad --listen exits 2 with CLI_BAD_LISTEN; a missing --charger exits 2', async () => {
    const bad = await runMain(['csms', '--listen', 'nowhere', '--charger', 'CP1:x'], { cwd: work });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error CLI_BAD_LISTEN: /m);
    const missing = await runMain(['csms', '--listen', '127.0.0.1:0'], { cwd: work });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--charger');
  });
});

describe('chargecheck certs', () => {
  it('writes the CA, a server certificate naming --host and a client certificate per --client; a second run keeps them', async () => {
    const out = join(work, 'pki');
    const first = await runMain(['certs', '--out', out, '--host', 'x.test', '--client', 'CP9'], { cwd: work });
    expect(first.code).toBe(0);
    expect(first.stdout.trim().split('\n').every((l) => l.startsWith('created'))).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['CP9.key', 'CP9.pem', 'ca.key', 'ca.pem', 'server.key', 'server.pem']);
    const read = (f: string) => readFileSync(join(out, f), 'utf8');
    const ca = new X509Certificate(read('ca.pem'));
    const server = new X509Certificate(read('server.pem'));
    const client = new X509Certificate(read('CP9.pem'));
    expect(ca.ca).toBe(true);
    expect(server.subjectAltName).toContain('DNS:x.test');
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(client.subject).toContain('CN=CP9');
    expect(client.verify(ca.publicKey)).toBe(true);
    expect(client.ca).toBe(false);

    const before = Object.fromEntries(readdirSync(out).map((f) => [f, read(f)]));
    const second = await runMain(['certs', '--out', out, '--host', 'x.test', '--client', 'CP9'], { cwd: work });
    expect(second.code).toBe(0);
    const lines = second.stdout.trim().split('\n');
    expect(lines.length).toBe(first.stdout.trim().split('\n').length);
    expect(lines.every((l) => /^kept\s/.test(l))).toBe(true);
    expect(Object.fromEntries(readdirSync(out).map((f) => [f, read(f)]))).toEqual(before);
  });
});

describe('chargecheck csms', () => {
  let cli: CliProcess;
  let dir: string;
  let url: string;
  let ca: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(work, 'csms-'));
    cli = startCli(['csms', '--listen', '127.0.0.1:0', '--charger', 'CP1:secret', '--cert-dir', join(dir, 'certs'), '--trace', join(dir, 'trace.jsonl'), '--heartbeat', '120'], dir);
    const m = await cli.waitForLine(/listening on (wss:\/\/127\.0\.0\.1:(\d+)\/ocpp)\/<id>$/);
    url = m[1];
    expect(Number(m[2])).toBeGreaterThan(0);
    ca = readFileSync(join(dir, 'certs', 'ca.pem'), 'utf8');
  });

  afterAll(async () => {
    await cli?.stop('SIGKILL');
  });

  it('prints the URL it listens on (the real port of --listen :0) and the CA to trust', async () => {
    expect(url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/ocpp$/);
    await cli.waitForLine(/^chargers should trust .*certs\/ca\.pem$/);
  });

  it('a charger with the right password gets 101, a BootNotification answer and the configuration pair', async () => {
    const ws = await openRaw(`${url}/CP1`, { ca, auth: { user: 'CP1', password: 'secret' } });
    expect(ws.ws.protocol).toBe('ocpp1.6');
    ws.send(JSON.stringify([2, 'boot-1', 'BootNotification', { chargePointVendor: 'Raw', chargePointModel: 'ws' }]));
    const answer = JSON.parse(await ws.waitFor(answerTo('boot-1'))) as unknown[];
    expect(answer[0]).toBe(3);
    expect(answer[2]).toMatchObject({ status: 'Accepted', interval: 120 });
    // the platform's configuration arrives as a CALL; answer it so the CSMS moves on to the next
    for (const key of ['MeterValuesSampledData', 'MeterValueSampleInterval']) {
      const call = JSON.parse(await ws.waitFor((_t, f) => Array.isArray(f) && f[0] === 2 && (f[3] as { key?: string })?.key === key)) as [number, string, string, { key: string }];
      expect(call[2]).toBe('ChangeConfiguration');
      ws.send(JSON.stringify([3, call[1], { status: 'Accepted' }]));
    }
    await cli.waitForLine(/^connected CP1 TLSv1\.2 \S+ auth=text$/);
    await cli.waitForLine(/^CP1 BootNotification Raw\/ws fw - → Accepted$/);
    await ws.close();
    await cli.waitForLine(/^disconnected CP1 \(1000\)$/);
  });

  it('a wrong password is refused with 401, an unknown id with 404, and both are printed', async () => {
    expect(await upgradeStatus(`${url}/CP1`, { ca, auth: { user: 'CP1', password: 'wrong' } })).toBe(401);
    expect(await upgradeStatus(`${url}/CP1`, { ca })).toBe(401);
    expect(await upgradeStatus(`${url}/CP404`, { ca, auth: { user: 'CP404', password: 'secret' } })).toBe(404);
    await cli.waitForLine(/^refused CP1: HTTP 401 /);
    await cli.waitForLine(/^refused CP404: HTTP 404 /);
  });

  it('stops on SIGINT with exit 0, and --trace holds every frame as a JSON line', async () => {
    expect(await cli.stop('SIGINT')).toBe(0);
    const lines = readFileSync(join(dir, 'trace.jsonl'), 'utf8').trim().split('\n');
    const events = lines.map((l) => JSON.parse(l) as { connection: string; direction: string; wallTime: string; clockTime: string; raw: string });
    for (const e of events) {
      expect(e.connection).toBe('CP1');
      expect(['in', 'out']).toContain(e.direction);
      expect(Number.isNaN(Date.parse(e.wallTime))).toBe(false);
    }
    const frames = events.map((e) => [e.direction, ...(JSON.parse(e.raw) as unknown[]).slice(0, 3)]);
    expect(frames[0]).toEqual(['in', 2, 'boot-1', 'BootNotification']);
    expect(frames[1]).toEqual(['out', 3, 'boot-1', expect.objectContaining({ status: 'Accepted' })]);
    expect(frames.filter((f) => f[0] === 'out' && f[3] === 'ChangeConfiguration')).toHaveLength(2);
    expect(frames.filter((f) => f[0] === 'in' && f[1] === 3)).toHaveLength(2);
    expect(events).toHaveLength(6);
  });
});
