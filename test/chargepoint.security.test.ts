/**
 * The security whitepaper in the virtual charger (docs/security.md), on the virtual clock against
 * the scripted CSMS of chargepoint.harness.ts: certificates, CSR signing, signed firmware, GetLog,
 * security events, SecurityProfile rules, ExtendedTriggerMessage; and one quirk per feature
 * showing the fault.
 */
import { sign } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChargerModelOptions } from '../src/chargepoint/charge-point.js';
import type { QuirkName } from '../src/chargepoint/quirks.js';
import { hashData } from '../src/chargepoint/security/x509.js';
import type { FileTransfer } from '../src/chargepoint/types.js';
import { csrSigner } from '../src/csms/cert-signer.js';
import { createPki, defaultValidity, issueCa, issueClientCert, type PemPair } from '../src/transport/pki.js';
import { rig, type Rig } from './chargepoint.harness.js';

let csmsCa: PemPair;
let otherCa: PemPair;
let makerCa: PemPair;
let fwSigner: PemPair;
let strangerSigner: PemPair;

beforeAll(async () => {
  const validity = defaultValidity();
  csmsCa = (await createPki()).ca;
  otherCa = await issueCa('rsa', validity);
  makerCa = await issueCa('rsa', validity);
  fwSigner = await issueClientCert(makerCa, 'firmware-signing', validity);
  strangerSigner = await issueClientCert(otherCa, 'firmware-signing', validity);
});

const IMAGE = Buffer.from('chargecheck firmware image 2.0.0\n'.repeat(64));

function files(): FileTransfer & { uploads: { location: string; name: string; content: string }[] } {
  const uploads: { location: string; name: string; content: string }[] = [];
  return {
    uploads,
    async download(url) {
      return { bytes: IMAGE.length, name: url.split('/').pop()!, data: new Uint8Array(IMAGE) };
    },
    async upload(location, name, content) {
      uploads.push({ location, name, content });
    },
  };
}

/** A charger trusting the CSMS CA and the manufacturer CA, at Security Profile 1 unless told otherwise. */
function secured(extra: Partial<ChargerModelOptions> = {}, quirks: QuirkName[] = []): Promise<Rig> {
  return rig({
    files: files(),
    config: { AuthorizationKey: '0001020304050607FFFFFFFFFFFFFFFFFFFFFFFF', SecurityProfile: '1', CpoName: 'ACME CPO' },
    security: { centralSystemRoots: [csmsCa.cert], manufacturerRoots: [makerCa.cert] },
    quirks,
    ...extra,
  });
}

const events = (r: Rig): string[] => r.of('SecurityEventNotification').map((m) => m.payload.type as string);

/** Triggers a CSR and returns it as the CSMS received it. */
async function csrOf(r: Rig): Promise<string> {
  expect((await r.csms.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' })).status).toBe('Accepted');
  await r.run(10);
  const req = r.of('SignCertificate').at(-1);
  expect(req, 'no SignCertificate after ExtendedTriggerMessage(SignChargePointCertificate)').toBeDefined();
  return req!.payload.csr as string;
}

describe('SignCertificate / CertificateSigned', () => {
  it('sends a CSR for its own key (CN = id, O = CpoName) and takes the chain the CSMS signs', async () => {
    const r = await secured();
    const csr = await csrOf(r);
    const parsed = new x509.Pkcs10CertificateRequest(csr);
    expect(await parsed.verify()).toBe(true);
    expect(parsed.subjectName.getField('CN')).toEqual(['CP1']);
    expect(parsed.subjectName.getField('O')).toEqual(['ACME CPO']);
    const signer = csrSigner({ ca: csmsCa, clock: r.clock });
    expect(await signer.check('CP1', csr)).toBeUndefined();
    expect(await signer.check('CP2', csr)).toMatch(/not the charge point id/);
    const chain = await signer.sign('CP1', csr);
    expect(r.cp.clientCertificate).toBeUndefined();
    expect((await r.csms.call('CertificateSigned', { certificateChain: chain })).status).toBe('Accepted');
    expect(r.cp.clientCertificate?.cert).toBe(chain);
    // with a charge point certificate, profile 3 may now be set
    expect((await r.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '3' })).status).toBe('Accepted');
  });

  it('rejects a chain that does not lead to an installed CSMS root, with InvalidChargePointCertificate', async () => {
    const r = await secured();
    const csr = await csrOf(r);
    const foreign = await csrSigner({ ca: otherCa, clock: r.clock }).sign('CP1', csr);
    expect((await r.csms.call('CertificateSigned', { certificateChain: foreign })).status).toBe('Rejected');
    expect((await r.csms.call('CertificateSigned', { certificateChain: 'not a certificate' })).status).toBe('Rejected');
    await r.run(10);
    expect(events(r).filter((e) => e === 'InvalidChargePointCertificate')).toHaveLength(2);
    expect(r.cp.clientCertificate).toBeUndefined();
  });

  it('rejects a certificate for another key (one it never asked for)', async () => {
    const r = await secured();
    await csrOf(r);
    const other = await secured();
    const otherChain = await csrSigner({ ca: csmsCa, clock: r.clock }).sign('CP1', await csrOf(other));
    expect((await r.csms.call('CertificateSigned', { certificateChain: otherChain })).status).toBe('Rejected');
  });

  it('renews by itself after boot when its certificate ends within 30 days (A03), not before', async () => {
    const day = 86_400_000;
    const at = Date.UTC(2026, 0, 1, 8);
    const soon = await issueClientCert(csmsCa, 'CP1', { notBefore: new Date(at - day), notAfter: new Date(at + 10 * day) });
    const later = await issueClientCert(csmsCa, 'CP1', { notBefore: new Date(at - day), notAfter: new Date(at + 300 * day) });
    const r = await secured({ security: { centralSystemRoots: [csmsCa.cert], chargePointCertificate: soon } });
    await r.run(10);
    expect(r.of('SignCertificate')).toHaveLength(1);
    const chain = await csrSigner({ ca: csmsCa, clock: r.clock }).sign('CP1', r.of('SignCertificate')[0].payload.csr as string);
    expect((await r.csms.call('CertificateSigned', { certificateChain: chain })).status).toBe('Accepted');
    const fresh = await secured({ security: { centralSystemRoots: [csmsCa.cert], chargePointCertificate: later } });
    await fresh.run(10);
    expect(fresh.of('SignCertificate')).toHaveLength(0);
  });

  it('quirk accept-any-certificate: takes a foreign chain, no security event', async () => {
    const r = await secured({}, ['accept-any-certificate']);
    const csr = await csrOf(r);
    const foreign = await csrSigner({ ca: otherCa, clock: r.clock }).sign('CP1', csr);
    expect((await r.csms.call('CertificateSigned', { certificateChain: foreign })).status).toBe('Accepted');
    await r.run(10);
    expect(events(r)).not.toContain('InvalidChargePointCertificate');
  });
});

describe('InstallCertificate / GetInstalledCertificateIds / DeleteCertificate', () => {
  it('installs, lists by hash data, deletes; refuses junk and a full store', async () => {
    const r = await rig();
    expect((await r.csms.call('GetInstalledCertificateIds', { certificateType: 'ManufacturerRootCertificate' })).status).toBe('NotFound');
    expect((await r.csms.call('InstallCertificate', { certificateType: 'ManufacturerRootCertificate', certificate: makerCa.cert })).status).toBe('Accepted');
    const listed = await r.csms.call('GetInstalledCertificateIds', { certificateType: 'ManufacturerRootCertificate' });
    const expected = hashData(new x509.X509Certificate(makerCa.cert));
    expect(listed).toEqual({ status: 'Accepted', certificateHashData: [expected] });
    expect((await r.csms.call('GetInstalledCertificateIds', { certificateType: 'CentralSystemRootCertificate' })).status).toBe('NotFound');
    expect((await r.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: 'junk' })).status).toBe('Rejected');
    await r.run(10);
    expect(events(r)).toEqual(['InvalidCentralSystemCertificate']); // pushed even at profile 0: it answers a whitepaper CALL
    expect((await r.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: csmsCa.cert })).status).toBe('Accepted');
    expect((await r.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: otherCa.cert })).status).toBe('Accepted');
    const fourth = await issueCa('ecdsa', defaultValidity());
    expect((await r.csms.call('InstallCertificate', { certificateType: 'ManufacturerRootCertificate', certificate: fourth.cert })).status).toBe('Failed'); // CertificateStoreMaxLength 3
    expect((await r.csms.call('DeleteCertificate', { certificateHashData: expected })).status).toBe('Accepted');
    expect((await r.csms.call('DeleteCertificate', { certificateHashData: expected })).status).toBe('NotFound');
    expect((await r.csms.call('GetInstalledCertificateIds', { certificateType: 'ManufacturerRootCertificate' })).status).toBe('NotFound');
    expect(r.cp.rootCertificates('CentralSystemRootCertificate')).toHaveLength(2);
  });

  it('keeps the store across a restart', async () => {
    const { MemoryState } = await import('./chargepoint.harness.js');
    const state = new MemoryState();
    const r = await rig({ state });
    await r.csms.call('InstallCertificate', { certificateType: 'ManufacturerRootCertificate', certificate: makerCa.cert });
    await r.restart();
    expect(r.cp.rootCertificates('ManufacturerRootCertificate')).toHaveLength(1);
  });

  it('quirk install-certificate-ignored: Accepted, never listed', async () => {
    const r = await rig({ quirks: ['install-certificate-ignored'] });
    expect((await r.csms.call('InstallCertificate', { certificateType: 'ManufacturerRootCertificate', certificate: makerCa.cert })).status).toBe('Accepted');
    expect((await r.csms.call('GetInstalledCertificateIds', { certificateType: 'ManufacturerRootCertificate' })).status).toBe('NotFound');
  });

  it('quirk delete-certificate-ignored: Accepted, still listed', async () => {
    const r = await rig({ quirks: ['delete-certificate-ignored'], security: { manufacturerRoots: [makerCa.cert] } });
    const data = hashData(new x509.X509Certificate(makerCa.cert));
    expect((await r.csms.call('DeleteCertificate', { certificateHashData: data })).status).toBe('Accepted');
    expect((await r.csms.call('GetInstalledCertificateIds', { certificateType: 'ManufacturerRootCertificate' })).certificateHashData).toEqual([data]);
  });
});

function firmwareRequest(r: Rig, signer: PemPair, signature: string): Parameters<Rig['csms']['call']>[1] {
  return {
    requestId: 42,
    firmware: { location: 'https://fw.example/chargecheck-2.0.0.bin', retrieveDateTime: new Date(r.clock.now()).toISOString(), signingCertificate: signer.cert, signature },
  };
}
const statuses = (r: Rig): unknown[] => r.of('SignedFirmwareStatusNotification').map((m) => [m.payload.status, m.payload.requestId]);

describe('SignedUpdateFirmware', () => {
  const good = (): string => sign('sha256', IMAGE, fwSigner.key).toString('base64');

  it('verifies the signature, installs, reboots and reports Installed with FirmwareUpdated', async () => {
    const r = await secured();
    const res = await r.csms.call('SignedUpdateFirmware', firmwareRequest(r, fwSigner, good()) as never);
    expect(res).toEqual({ status: 'Accepted' });
    await r.run(60_000);
    expect(statuses(r)).toEqual(['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'InstallRebooting', 'Installed'].map((s) => [s, 42]));
    expect(r.cp.firmwareVersion).toBe('2.0.0');
    expect(events(r)).toEqual(expect.arrayContaining(['StartupOfTheDevice', 'ResetOrReboot', 'FirmwareUpdated']));
  });

  it('refuses an image whose signature fails: InvalidSignature and InvalidFirmwareSignature, nothing installed', async () => {
    const r = await secured();
    const bad = sign('sha256', Buffer.from('another image'), fwSigner.key).toString('base64');
    await r.csms.call('SignedUpdateFirmware', firmwareRequest(r, fwSigner, bad) as never);
    await r.run(60_000);
    expect(statuses(r)).toEqual([['Downloading', 42], ['Downloaded', 42], ['InvalidSignature', 42]]);
    expect(events(r)).toContain('InvalidFirmwareSignature');
    expect(r.cp.firmwareVersion).toBe('1.0.0');
  });

  it('answers InvalidCertificate for a signing certificate from an unknown maker, with InvalidFirmwareSigningCertificate', async () => {
    const r = await secured();
    const res = await r.csms.call('SignedUpdateFirmware', firmwareRequest(r, strangerSigner, sign('sha256', IMAGE, strangerSigner.key).toString('base64')) as never);
    expect(res).toEqual({ status: 'InvalidCertificate' });
    await r.run(60_000);
    expect(statuses(r)).toEqual([]);
    expect(events(r)).toContain('InvalidFirmwareSigningCertificate');
  });

  it('quirk unsigned-firmware: installs an image whose signature fails', async () => {
    const r = await secured({}, ['unsigned-firmware']);
    await r.csms.call('SignedUpdateFirmware', firmwareRequest(r, fwSigner, Buffer.from('nonsense').toString('base64')) as never);
    await r.run(60_000);
    expect(statuses(r).map((s) => (s as unknown[])[0])).toEqual(['Downloading', 'Downloaded', 'Installing', 'InstallRebooting', 'Installed']);
    expect(r.cp.firmwareVersion).toBe('2.0.0');
    expect(events(r)).not.toContain('InvalidFirmwareSignature');
  });
});

describe('GetLog', () => {
  it('uploads the security log: LogStatusNotification Uploading → Uploaded with the requestId', async () => {
    const f = files();
    const r = await secured({ files: f });
    await r.csms.call('Reset', { type: 'Soft' });
    await r.run(30_000);
    const res = await r.csms.call('GetLog', { logType: 'SecurityLog', requestId: 7, log: { remoteLocation: 'https://logs.example/up/' } });
    expect(res.status).toBe('Accepted');
    expect(res.filename).toMatch(/^CP1-security-.*\.log$/);
    await r.run(1000);
    expect(r.of('LogStatusNotification').map((m) => [m.payload.status, m.payload.requestId])).toEqual([['Uploading', 7], ['Uploaded', 7]]);
    expect(f.uploads).toHaveLength(1);
    expect(f.uploads[0].content).toMatch(/StartupOfTheDevice/);
    expect(f.uploads[0].content).toMatch(/ResetOrReboot SoftReset/);
    expect(f.uploads[0].content).not.toMatch(/BootNotification/); // the security log, not the diagnostics log
  });

  it('quirk no-security-log: GetLog SecurityLog Rejected (DiagnosticsLog still works)', async () => {
    const r = await secured({}, ['no-security-log']);
    expect((await r.csms.call('GetLog', { logType: 'SecurityLog', requestId: 1, log: { remoteLocation: 'https://x/' } })).status).toBe('Rejected');
    expect((await r.csms.call('GetLog', { logType: 'DiagnosticsLog', requestId: 2, log: { remoteLocation: 'https://x/' } })).status).toBe('Accepted');
  });
});

describe('security events', () => {
  it('pushes critical events under a security profile, queues them while offline, none at profile 0', async () => {
    const r = await secured();
    expect(events(r)).toEqual(['StartupOfTheDevice']);
    await r.disconnect();
    r.cp.securityEvent('TamperDetectionActivated', 'lid opened');
    await r.run(1000);
    expect(events(r)).toEqual(['StartupOfTheDevice']);
    await r.reconnect();
    await r.run(10);
    expect(events(r)).toEqual(['StartupOfTheDevice', 'TamperDetectionActivated']);
    expect(r.of('SecurityEventNotification')[1].payload.techInfo).toBe('lid opened');
    const plain = await rig();
    expect(events(plain)).toEqual([]);
    expect(plain.cp.securityLog.map((e) => e.type)).toEqual(['StartupOfTheDevice']);
  });

  it('quirk no-security-events: logged, never sent', async () => {
    const r = await secured({}, ['no-security-events']);
    await r.csms.call('Reset', { type: 'Hard' });
    await r.run(30_000);
    expect(events(r)).toEqual([]);
    expect(r.cp.securityLog.map((e) => e.type)).toEqual(['StartupOfTheDevice', 'ResetOrReboot']);
  });
});

describe('SecurityProfile (WP2 A05)', () => {
  it('goes up only, with its preconditions', async () => {
    const r = await rig({ config: { AuthorizationKey: '0001020304050607FFFFFFFFFFFFFFFFFFFFFFFF' } });
    const set = async (v: string): Promise<string> => (await r.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: v })).status;
    expect(await set('2')).toBe('Rejected'); // no CentralSystemRootCertificate
    expect(await set('1')).toBe('Accepted');
    await r.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: csmsCa.cert });
    expect(await set('3')).toBe('Rejected'); // no charge point certificate
    expect(await set('2')).toBe('Accepted');
    expect(await set('1')).toBe('Rejected'); // never down
    expect(r.cp.securityLog.filter((e) => e.type === 'ReconfigurationOfSecurityParameters').map((e) => e.techInfo)).toEqual(['SecurityProfile=1', 'SecurityProfile=2']);
    expect((await r.csms.call('ChangeConfiguration', { key: 'AuthorizationKey', value: '4F43415F4F4354545F61646D696E5F74657374' })).status).toBe('Accepted');
    expect(JSON.stringify(r.cp.securityLog)).not.toContain('4F43415F'); // logged without the key
    await r.run(10);
    expect(events(r)).toContain('ReconfigurationOfSecurityParameters'); // pushed: the charger is at profile 2
  });

  it('quirk security-profile-downgrade: accepts a lower profile', async () => {
    const r = await secured({}, ['security-profile-downgrade']);
    expect((await r.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '0' })).status).toBe('Accepted');
  });
});

describe('ExtendedTriggerMessage', () => {
  it('sends the triggered message after its answer; NotImplemented is never needed for the listed ones', async () => {
    const r = await secured();
    expect((await r.csms.call('ExtendedTriggerMessage', { requestedMessage: 'Heartbeat' })).status).toBe('Accepted');
    expect((await r.csms.call('ExtendedTriggerMessage', { requestedMessage: 'FirmwareStatusNotification' })).status).toBe('Accepted');
    expect((await r.csms.call('ExtendedTriggerMessage', { requestedMessage: 'LogStatusNotification' })).status).toBe('Accepted');
    expect((await r.csms.call('ExtendedTriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 9 })).status).toBe('Rejected');
    await r.run(10);
    expect(r.of('Heartbeat')).toHaveLength(1);
    expect(r.of('SignedFirmwareStatusNotification').map((m) => m.payload)).toEqual([{ status: 'Idle' }]);
    expect(r.of('LogStatusNotification').map((m) => m.payload)).toEqual([{ status: 'Idle' }]);
  });

  it('quirk ignore-extended-trigger: Accepted, nothing sent', async () => {
    const r = await secured({}, ['ignore-extended-trigger']);
    expect((await r.csms.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' })).status).toBe('Accepted');
    expect((await r.csms.call('ExtendedTriggerMessage', { requestedMessage: 'Heartbeat' })).status).toBe('Accepted');
    await r.run(10);
    expect(r.of('SignCertificate')).toHaveLength(0);
    expect(r.of('Heartbeat')).toHaveLength(0);
  });
});

describe('both sides in one process: the built-in CSMS signs the charger\'s CSR', () => {
  it('SignCertificate Accepted → CertificateSigned from the CSMS → the charger takes it; without a CA the CSMS rejects', async () => {
    const { VirtualClock } = await import('../src/clock/virtual.js');
    const { ChargerModel } = await import('../src/chargepoint/charge-point.js');
    const { Csms } = await import('../src/csms/csms.js');
    const { channelPair } = await import('../src/rpc/channel.js');
    const { RpcEndpoint } = await import('../src/rpc/endpoint.js');
    for (const withCa of [true, false]) {
      const clock = new VirtualClock(Date.UTC(2026, 0, 1, 8), { stuckMs: 50 });
      const csms = new Csms({ clock, platform: { configureOnBoot: false }, ...(withCa ? { certificateAuthority: csmsCa } : {}) });
      const cp = new ChargerModel({ id: 'CP1', clock, random: () => 0.5, security: { centralSystemRoots: [csmsCa.cert] } });
      const [a, b] = channelPair();
      const session = csms.attach(b, 'CP1');
      const signs: string[] = [];
      session.subscribe({ call: (action) => signs.push(action) });
      cp.connected(new RpcEndpoint({ channel: a, clock, label: 'CP1', role: 'ChargePoint' }));
      await clock.runUntil(() => cp.registration === 'Accepted', clock.now() + 10_000);
      expect((await session.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' })).status).toBe('Accepted');
      await clock.runUntil(() => cp.clientCertificate !== undefined, clock.now() + 10_000);
      expect(signs).toContain('SignCertificate');
      if (withCa) {
        const leaf = new x509.X509Certificate(cp.clientCertificate!.cert);
        expect(leaf.subjectName.getField('CN')).toEqual(['CP1']);
        expect(leaf.issuer).toBe(new x509.X509Certificate(csmsCa.cert).subject);
      } else {
        expect(cp.clientCertificate).toBeUndefined();
      }
      cp.powerOff();
    }
  });
});
