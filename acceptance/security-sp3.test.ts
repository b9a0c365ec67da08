/**
 * Issue 11 item 4, acceptance: `chargecheck simulate` (our charger, built CLI, its own process) at
 * Security Profile 3 against a CSMS in another process that we did not write (ocpp-rpc strict
 * behind TLS demanding client certificates; OpenSSL signs the CSR), in real time: connect with the
 * factory certificate, renew it, reconnect with the new one, install signed firmware (signature by
 * OpenSSL) over HTTP, upload the security log.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPki, defaultValidity, issueCa, issueClientCert } from '../src/transport/pki.js';
import { BIN, buildDist, ROOT } from '../test/helpers/cli.js';

type Line = Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'acceptance-sp3-'));
const children: ChildProcess[] = [];

function start(args: string[], lines: Line[] | string[], json: boolean): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (json) (lines as Line[]).push(JSON.parse(line) as Line);
      else (lines as string[]).push(line);
    }
  });
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
  return child;
}

async function waitFor(pred: () => boolean, ms: number, what: string): Promise<void> {
  const until = performance.now() + ms;
  while (!pred()) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(() => buildDist());
afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('acceptance: Security Profile 3, chargecheck simulate ↔ ocpp-rpc CSMS (another process), real time', () => {
  it('renews its certificate, reconnects with it, installs signed firmware, uploads its security log', async () => {
    const t0 = performance.now();
    const id = 'CP-ACC-SP3';
    const pki = await createPki({ clients: [id] });
    const maker = await issueCa('rsa', defaultValidity());
    const signer = await issueClientCert(maker, 'firmware-signing', defaultValidity());
    const files: Record<string, string | Buffer> = {
      'ca.pem': pki.ca.cert,
      'ca.key': pki.ca.key,
      'server.pem': pki.server.cert,
      'server.key': pki.server.key,
      'cp.pem': pki.clients[id].cert,
      'cp.key': pki.clients[id].key,
      'maker.pem': maker.cert,
      'signer.pem': signer.cert,
      'signer.key': signer.key,
      'image.bin': Buffer.from('chargecheck 4.2.0\n'.repeat(500)),
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    execFileSync('openssl', ['dgst', '-sha256', '-sign', 'signer.key', '-out', 'image.raw', 'image.bin'], { cwd: dir });
    execFileSync('openssl', ['base64', '-A', '-in', 'image.raw', '-out', 'image.sig'], { cwd: dir });

    const csms: Line[] = [];
    start(['--import', 'tsx', 'acceptance/peers/sp3-csms.ts', dir], csms, true);
    await waitFor(() => csms.some((l) => l.listening), 30_000, 'the CSMS to listen');
    const url = csms.find((l) => l.listening)!.listening as string;

    const sim: string[] = [];
    start([BIN, 'simulate', '--csms', url, '--id', id, '--ca', join(dir, 'ca.pem'), '--cert', join(dir, 'cp.pem'), '--key', join(dir, 'cp.key'), '--manufacturer-ca', join(dir, 'maker.pem'), '--config', 'SecurityProfile=3', '--no-frames'], sim, false);

    await waitFor(() => csms.some((l) => l.event === 'finished'), 180_000, 'the log upload');
    const wallS = (performance.now() - t0) / 1000;

    const handshakes = csms.filter((l) => l.event === 'handshake');
    const received = (action: string) => csms.filter((l) => l.event === 'received' && l.action === action);
    const calls = Object.fromEntries(csms.filter((l) => l.event === 'call').map((l) => [l.action, l.result]));
    const fw = received('SignedFirmwareStatusNotification').map((l) => (l.params as Line).status);
    const events = received('SecurityEventNotification').map((l) => (l.params as Line).type);
    const upload = csms.find((l) => l.event === 'upload');
    console.log(
      [
        `acceptance SP3 (chargecheck simulate ↔ ocpp-rpc in another process, real time): ${wallS.toFixed(1)} s wall`,
        `  handshakes: ${handshakes.map((h) => `${String(h.cn)}/${String(h.fingerprint).slice(0, 11)}`).join(', ')}`,
        `  calls: ${JSON.stringify(calls)}`,
        `  SignedFirmwareStatusNotification: ${fw.join(' → ')}`,
        `  security events: ${events.join(', ')}`,
        `  log upload: ${String(upload?.path)} (${String(upload?.body).split('\n').filter(Boolean).length} lines)`,
      ].join('\n'),
    );

    expect(csms.filter((l) => l.event === 'strictValidationFailure' || l.event === 'badMessage' || l.event === 'error')).toEqual([]);
    expect(handshakes.length).toBeGreaterThanOrEqual(3); // factory cert, renewed cert, after the firmware reboot
    expect(handshakes.every((h) => h.authorized === true && h.cn === id && h.password === false)).toBe(true);
    expect(handshakes[1].fingerprint).not.toBe(handshakes[0].fingerprint);
    expect(handshakes.at(-1)!.fingerprint).toBe(handshakes[1].fingerprint);
    expect(calls.CertificateSigned).toEqual({ status: 'Accepted' });
    expect(calls.SignedUpdateFirmware).toEqual({ status: 'Accepted' });
    expect(fw).toEqual(['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'InstallRebooting', 'Installed']);
    expect(received('BootNotification').at(-1)!.params).toMatchObject({ firmwareVersion: '4.2.0' });
    expect(events).toEqual(expect.arrayContaining(['StartupOfTheDevice', 'ResetOrReboot', 'FirmwareUpdated']));
    expect(String(upload?.body)).toContain('FirmwareUpdated');
  });
});
