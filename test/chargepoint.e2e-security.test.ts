/**
 * Issue 11 item 4 "must show": the virtual charger under Security Profile 3 against a CSMS we did
 * not write — ocpp-rpc's RPCServer in strict mode (its 1.6 schemas include the whitepaper's
 * messages) behind an HTTPS server that demands a client certificate. The CSR is signed and the
 * firmware is signed by OpenSSL (a separate process), not by our code; firmware comes from and
 * the security log goes to a real HTTP server.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { RPCServer } from 'ocpp-rpc';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual.js';
import { ChargerHost } from '../src/host/charger-host.js';
import { createPki, defaultValidity, issueCa, issueClientCert } from '../src/transport/pki.js';
import { ELB_TLS_1_2_EXT_2018_06 as POLICY } from '../src/transport/tls-policy.js';

type Rec = { method: string; params: Record<string, unknown> };
const dir = mkdtempSync(join(tmpdir(), 'e2e-security-'));
let https: Server | undefined;
let files: HttpServer | undefined;
let rpc: RPCServer | undefined;
let host: ChargerHost | undefined;
let quirky: ChargerHost | undefined;
let distrustful: ChargerHost | undefined;
let plain: ChargerHost | undefined;
let legacy: ChargerHost | undefined;
/** What the second test needs of the first one's CSMS. */
let shared: { url: string; ca: string; clientCert: { cert: string; key: string }; peers: unknown[] } | undefined;
afterAll(async () => {
  host?.stop();
  quirky?.stop();
  distrustful?.stop();
  plain?.stop();
  await rpc?.close({ force: true });
  https?.closeAllConnections();
  await new Promise<void>((resolve) => (https ? https.close(() => resolve()) : resolve()));
  files?.closeAllConnections();
  await new Promise<void>((resolve) => (files ? files.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

describe('Security Profile 3 against ocpp-rpc strict CSMS over WSS with client certificates', () => {
  it('connects with its client certificate, renews it (CSR signed by OpenSSL), reconnects with the new one, installs signed firmware, uploads its security log', async () => {
    const id = 'CP-SP3';
    const pki = await createPki({ clients: [id] });
    const makerCa = await issueCa('rsa', defaultValidity());
    const fwSigner = await issueClientCert(makerCa, 'firmware-signing', defaultValidity());

    // a file server: GET the image, PUT log files
    const image = Buffer.from('chargecheck-3.1.0 image\n'.repeat(200));
    const uploads: { path: string; body: string }[] = [];
    files = createHttpServer((req, res) => {
      if (req.method === 'GET') return res.end(image);
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        uploads.push({ path: req.url ?? '', body });
        res.statusCode = 201;
        res.end();
      });
    });
    await new Promise<void>((resolve) => files!.listen(0, '127.0.0.1', resolve));
    const fileBase = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;

    // the CSMS: ocpp-rpc behind TLS that requires a client certificate from our CA
    rpc = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    const peers: { cn: string; fingerprint: string; password: boolean }[] = [];
    rpc.auth((accept, reject, handshake) => {
      const socket = handshake.request.socket as TLSSocket;
      const peer = socket.getPeerCertificate();
      if (!socket.authorized || !peer.subject) return reject(403, 'no valid client certificate');
      const cn: string = (Array.isArray(peer.subject.CN) ? peer.subject.CN[0] : peer.subject.CN) ?? '';
      peers.push({ cn, fingerprint: peer.fingerprint256, password: handshake.password !== undefined });
      if (cn !== handshake.identity) return reject(403, 'certificate CN is not the identity');
      accept({ id: handshake.identity });
    });
    https = createServer({ cert: pki.server.cert, key: pki.server.key, ca: [pki.ca.cert], requestCert: true, rejectUnauthorized: true, minVersion: POLICY.minVersion, ciphers: POLICY.ciphers });
    https.on('upgrade', rpc.handleUpgrade);
    await new Promise<void>((resolve) => https!.listen(0, '127.0.0.1', resolve));
    const url = `wss://127.0.0.1:${(https.address() as AddressInfo).port}/ocpp`;
    shared = { url, ca: pki.ca.cert, clientCert: pki.clients[id], peers };

    const received: Rec[] = [];
    const strictErrors: unknown[] = [];
    const clients: InstanceType<typeof import('ocpp-rpc').RPCClient>[] = [];
    const clock = new VirtualClock(Date.UTC(2026, 2, 1, 9), { stuckMs: 300 });
    rpc.on('client', (client) => {
      clients.push(client);
      client.on('badMessage', (e: unknown) => strictErrors.push(e));
      client.on('strictValidationFailure', (e: unknown) => strictErrors.push(e));
      const on = (method: string, answer: (params: Record<string, unknown>) => Record<string, unknown>) =>
        client.handle(method, async ({ params }: { params?: Record<string, unknown> }) => {
          received.push({ method, params: params ?? {} });
          return answer(params ?? {});
        });
      on('BootNotification', () => ({ status: 'Accepted', currentTime: new Date(clock.now()).toISOString(), interval: 300 }));
      on('StatusNotification', () => ({}));
      on('Heartbeat', () => ({ currentTime: new Date(clock.now()).toISOString() }));
      on('SecurityEventNotification', () => ({}));
      on('SignCertificate', () => ({ status: 'Accepted' }));
      on('SignedFirmwareStatusNotification', () => ({}));
      on('LogStatusNotification', () => ({}));
    });

    host = new ChargerHost({
      id,
      clock,
      csmsUrl: url,
      ca: pki.ca.cert,
      clientCert: pki.clients[id],
      manufacturerRoots: [makerCa.cert],
      config: { SecurityProfile: '3' },
      random: () => 0.5,
    });
    host.start();
    const until = (pred: () => boolean, ms: number) => clock.runUntil(pred, clock.now() + ms);
    const of = (method: string) => received.filter((r) => r.method === method);
    await until(() => host!.model.registration === 'Accepted' && of('SecurityEventNotification').length > 0, 60_000);
    expect(peers).toEqual([{ cn: id, fingerprint: expect.any(String), password: false }]);
    expect(of('SecurityEventNotification')[0].params.type).toBe('StartupOfTheDevice');
    const csms = () => clients.at(-1)!;

    // renewal (A02): CpoName, trigger, CSR → OpenSSL signs it → CertificateSigned → reconnect with the new certificate
    expect(await csms().call('ChangeConfiguration', { key: 'CpoName', value: 'ACME CPO' })).toEqual({ status: 'Accepted' });
    expect(await csms().call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' })).toEqual({ status: 'Accepted' });
    await until(() => of('SignCertificate').length > 0, 10_000);
    writeFileSync(join(dir, 'cp.csr'), of('SignCertificate')[0].params.csr as string);
    writeFileSync(join(dir, 'ca.pem'), pki.ca.cert);
    writeFileSync(join(dir, 'ca.key'), pki.ca.key);
    openssl(['req', '-in', 'cp.csr', '-verify', '-noout']);
    // `openssl ca`, not `x509 -req`: the validity must fit the virtual date, not the wall clock's
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '5A5A01\n');
    writeFileSync(
      join(dir, 'ca.cnf'),
      ['[ca]', 'default_ca = csms', '[csms]', 'database = index.txt', 'new_certs_dir = .', 'serial = serial', 'default_md = sha256', 'policy = pol', 'unique_subject = no', '[pol]', 'commonName = supplied', 'organizationName = optional', ''].join('\n'),
    );
    openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', 'cp.csr', '-out', 'cp.pem', '-notext', '-startdate', '20260201000000Z', '-enddate', '20270201000000Z']);
    const subject = execFileSync('openssl', ['x509', '-in', 'cp.pem', '-noout', '-subject', '-nameopt', 'RFC2253'], { cwd: dir }).toString();
    expect(subject).toMatch(/CN=CP-SP3/);
    expect(subject).toMatch(/O=ACME CPO/);
    const chain = readFileSync(join(dir, 'cp.pem'), 'utf8') + pki.ca.cert;
    const firstClient = csms();
    expect(await firstClient.call('CertificateSigned', { certificateChain: chain })).toEqual({ status: 'Accepted' });
    await until(() => peers.length >= 2 && host!.connected && csms() !== firstClient, 60_000);
    expect(peers[1].cn).toBe(id);
    expect(peers[1].fingerprint).not.toBe(peers[0].fingerprint);
    expect(host.model.clientCertificate?.cert).toBe(chain);

    // certificate ids, then signed firmware over real HTTP (signature made by OpenSSL)
    expect(await csms().call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: pki.ca.cert })).toEqual({ status: 'Accepted' });
    const ids = (await csms().call('GetInstalledCertificateIds', { certificateType: 'ManufacturerRootCertificate' })) as { status: string; certificateHashData: unknown[] };
    expect(ids.status).toBe('Accepted');
    expect(ids.certificateHashData).toHaveLength(1);
    writeFileSync(join(dir, 'image.bin'), image);
    writeFileSync(join(dir, 'signer.key'), fwSigner.key);
    openssl(['dgst', '-sha256', '-sign', 'signer.key', '-out', 'image.sig', 'image.bin']);
    const signature = readFileSync(join(dir, 'image.sig')).toString('base64');
    const fw = await csms().call('SignedUpdateFirmware', {
      requestId: 9,
      firmware: { location: `${fileBase}/chargecheck-3.1.0.bin`, retrieveDateTime: new Date(clock.now()).toISOString(), signingCertificate: fwSigner.cert, signature },
    });
    expect(fw).toEqual({ status: 'Accepted' });
    await until(() => of('SignedFirmwareStatusNotification').some((r) => r.params.status === 'Installed'), 120_000);
    expect(of('SignedFirmwareStatusNotification').map((r) => r.params.status)).toEqual(['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'InstallRebooting', 'Installed']);
    expect(of('SignedFirmwareStatusNotification').every((r) => r.params.requestId === 9)).toBe(true);
    expect(host.model.firmwareVersion).toBe('3.1.0');
    await until(() => of('SecurityEventNotification').some((r) => r.params.type === 'FirmwareUpdated'), 10_000);

    // the security log over real HTTP
    const log = (await csms().call('GetLog', { logType: 'SecurityLog', requestId: 3, log: { remoteLocation: `${fileBase}/logs/` } })) as { status: string; filename: string };
    expect(log.status).toBe('Accepted');
    await until(() => of('LogStatusNotification').some((r) => r.params.status === 'Uploaded'), 10_000);
    expect(uploads).toHaveLength(1);
    expect(uploads[0].path).toBe(`/logs/${log.filename}`);
    for (const type of ['StartupOfTheDevice', 'ResetOrReboot', 'FirmwareUpdated']) expect(uploads[0].body).toContain(type);
    // every connection presented a client certificate, never a password
    expect(peers.every((p) => p.cn === id && !p.password)).toBe(true);
    expect(strictErrors).toEqual([]);
  });

  it('quirk no-client-certificate: under Security Profile 3 it connects without its certificate, and the CSMS never lets it in', async () => {
    expect(shared, 'the first test sets up the CSMS').toBeDefined();
    const { url, ca, clientCert, peers } = shared!;
    const before = peers.length;
    const clock = new VirtualClock(Date.UTC(2026, 2, 1, 9), { stuckMs: 300 });
    quirky = new ChargerHost({ id: 'CP-SP3', clock, csmsUrl: url, ca, clientCert, config: { SecurityProfile: '3' }, quirks: ['no-client-certificate'], random: () => 0.5 });
    quirky.start();
    await clock.runUntil(() => quirky!.lastError !== undefined, clock.now() + 30_000);
    expect(quirky.connected).toBe(false);
    // TLS 1.3 sends the server's "certificate required" alert after the client's Finished, so it surfaces during the upgrade
    expect(quirky.lastError?.code).toMatch(/^(TLS_HANDSHAKE_FAILED|TRANSPORT_HANDSHAKE_FAILED)$/);
    expect(quirky.lastError?.message).toMatch(/certificate required|handshake failure/);
    expect(peers.length).toBe(before);
  });

  it('a CSMS certificate it does not trust: no connection, and InvalidCentralSystemCertificate in its security log', async () => {
    expect(shared, 'the first test sets up the CSMS').toBeDefined();
    const { url, clientCert, peers } = shared!;
    const before = peers.length;
    const stranger = await issueCa('rsa', defaultValidity());
    const clock = new VirtualClock(Date.UTC(2026, 2, 1, 9), { stuckMs: 300 });
    distrustful = new ChargerHost({ id: 'CP-SP3', clock, csmsUrl: url, ca: stranger.cert, clientCert, config: { SecurityProfile: '3' }, random: () => 0.5 });
    distrustful.start();
    await clock.runUntil(() => distrustful!.lastError !== undefined, clock.now() + 30_000);
    expect(distrustful.lastError?.code).toBe('TLS_CERT_UNTRUSTED');
    const logged = distrustful.model.securityLog.filter((e) => e.type === 'InvalidCentralSystemCertificate');
    expect(logged.length).toBeGreaterThan(0);
    expect(logged[0].techInfo).toMatch(/server certificate not trusted/);
    expect(peers.length).toBe(before); // never got as far as the upgrade
  });

  it('at Security Profile 2 or 3 a ws:// endpoint is dialled as wss:// (no way back to plain WebSocket)', async () => {
    expect(shared, 'the first test sets up the CSMS').toBeDefined();
    const { url, ca, clientCert, peers } = shared!;
    const before = peers.length;
    const clock = new VirtualClock(Date.UTC(2026, 2, 1, 9), { stuckMs: 300 });
    plain = new ChargerHost({ id: 'CP-SP3', clock, csmsUrl: url.replace(/^wss:/, 'ws:'), insecure: true, ca, clientCert, config: { SecurityProfile: '3' }, random: () => 0.5 });
    plain.start();
    await clock.runUntil(() => plain!.connected, clock.now() + 30_000);
    expect(plain.connection?.url).toMatch(/^wss:\/\//);
    expect(peers.length).toBe(before + 1);
  });

  it('a CSMS that offers only TLS 1.1: no connection, and InvalidTLSVersion in its security log', async () => {
    const pki = await createPki();
    const old = createServer({ cert: pki.server.cert, key: pki.server.key, minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    await new Promise<void>((resolve) => old.listen(0, '127.0.0.1', resolve));
    try {
      const clock = new VirtualClock(Date.UTC(2026, 2, 1, 9), { stuckMs: 300 });
      legacy = new ChargerHost({ id: 'CP-OLD', clock, csmsUrl: `wss://127.0.0.1:${(old.address() as AddressInfo).port}/ocpp`, ca: pki.ca.cert, random: () => 0.5 });
      legacy.start();
      await clock.runUntil(() => legacy!.lastError !== undefined, clock.now() + 30_000);
      expect(legacy.lastError?.code).toBe('TLS_VERSION_MISMATCH');
      expect(legacy.model.securityLog.map((e) => e.type)).toContain('InvalidTLSVersion');
    } finally {
      legacy?.stop();
      old.closeAllConnections();
      await new Promise<void>((resolve) => old.close(() => resolve()));
    }
  });
});

describe('Security Profile upgrade that cannot connect (WP2 A05)', () => {
  it('2 → 3 with a certificate the CSMS does not trust: three failed connects, then back on 2 with its password', async () => {
    const pki = await createPki();
    const stranger = await issueCa('rsa', defaultValidity());
    const untrusted = await issueClientCert(stranger, 'CP-UP', defaultValidity());
    const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    const seen: string[] = [];
    server.auth((accept, reject, handshake) => {
      const socket = handshake.request.socket as TLSSocket;
      const presented = Boolean(socket.getPeerCertificate()?.subject);
      if (presented && !socket.authorized) {
        seen.push('untrusted certificate');
        return reject(403, 'untrusted client certificate');
      }
      seen.push(handshake.password?.toString() === 'upgrade-password-16' ? 'password' : 'bad password');
      return handshake.password?.toString() === 'upgrade-password-16' ? accept({}) : reject(401, 'bad password');
    });
    const clients: InstanceType<typeof import('ocpp-rpc').RPCClient>[] = [];
    const clock = new VirtualClock(Date.UTC(2026, 2, 1, 9), { stuckMs: 300 });
    server.on('client', (client) => {
      clients.push(client);
      client.handle('BootNotification', async () => ({ status: 'Accepted', currentTime: new Date(clock.now()).toISOString(), interval: 300 }));
      client.handle('StatusNotification', async () => ({}));
      client.handle('Heartbeat', async () => ({ currentTime: new Date(clock.now()).toISOString() }));
      client.handle('SecurityEventNotification', async () => ({}));
    });
    const tls = createServer({ cert: pki.server.cert, key: pki.server.key, ca: [pki.ca.cert], requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' });
    tls.on('upgrade', server.handleUpgrade);
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    let up: ChargerHost | undefined;
    try {
      up = new ChargerHost({
        id: 'CP-UP',
        clock,
        csmsUrl: `wss://127.0.0.1:${(tls.address() as AddressInfo).port}/ocpp`,
        ca: pki.ca.cert,
        authorizationKey: 'upgrade-password-16',
        passwordForm: 'text',
        config: { SecurityProfile: '2' },
        security: { chargePointCertificate: untrusted },
        random: () => 0.5,
      });
      up.start();
      await clock.runUntil(() => up!.model.registration === 'Accepted', clock.now() + 30_000);
      expect(seen).toEqual(['password']);
      expect(await clients[0].call('ChangeConfiguration', { key: 'SecurityProfile', value: '3' })).toEqual({ status: 'Accepted' });
      await clock.runUntil(() => clients.length >= 2 && up!.connected, clock.now() + 300_000);
      expect(seen).toEqual(['password', 'untrusted certificate', 'untrusted certificate', 'untrusted certificate', 'password']);
      expect(up.model.configuration.get('SecurityProfile')).toBe('2');
      expect(up.model.securityLog.map((e) => e.techInfo)).toContain('SecurityProfile 3 failed to connect; fallback to 2');
      // and the CSMS still cannot lower it over OCPP
      expect(await clients[1].call('ChangeConfiguration', { key: 'SecurityProfile', value: '1' })).toEqual({ status: 'Rejected' });
    } finally {
      up?.stop();
      await server.close({ force: true });
      tls.closeAllConnections();
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  });
});
