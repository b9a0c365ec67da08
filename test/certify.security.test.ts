/**
 * Issue 11 item 4: the certify listener can ask for client certificates, so PLT-SEC-3 becomes
 * checkable — still announced, never required. Our own charger presents the certificate it is
 * given; without the request, PLT-SEC-3 stays "not applicable".
 */
import { describe, expect, it } from 'vitest';
import { certify } from '../src/harness/certify.js';

const sec3 = async (requestClientCert: boolean) => {
  const result = await certify({ self: true, requestClientCert, paths: ['scenarios/charger/01-connection.yaml'] });
  return result.requirements?.find((v) => v.id === 'PLT-SEC-3');
};

describe('certify --client-ca (PLT-SEC-3)', () => {
  it('passes PLT-SEC-3 on the presented, trusted client certificate when the listener asks for one', async () => {
    const v = await sec3(true);
    expect(v?.level).toBe('announced');
    expect(v?.verdict, JSON.stringify(v?.evidence)).toBe('pass');
    expect(v?.evidence[0].text).toMatch(/client certificate presented and trusted .*CN = charge point id/);
  });

  it('leaves PLT-SEC-3 not applicable when the listener does not ask', async () => {
    const v = await sec3(false);
    expect(v?.verdict).toBe('not-applicable');
  });
});

describe('the security quirks and the platform requirements', () => {
  it('all nine at once: certify --self (platform-1.6j) still passes, as docs/quirks.md says', async () => {
    const { SECURITY_QUIRKS } = await import('../src/chargepoint/quirks.js');
    const result = await certify({ self: true, quirks: [...SECURITY_QUIRKS] });
    expect(SECURITY_QUIRKS.size).toBe(9);
    expect(result.requirements?.filter((v) => v.verdict === 'fail').map((v) => v.id)).toEqual([]);
    expect(result.exitCode).toBe(0);
  });
});

describe('certify --self with the security whitepaper', () => {
  it('the certify CSMS signs our charger\'s CSR, signed firmware from the placeholders installs, the security log uploads to the placeholder location', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { FIRMWARE_SIGNATURE_PLACEHOLDER, SIGNING_CERTIFICATE_PLACEHOLDER } = await import('../src/csms/firmware-signing.js');
    const { FIRMWARE_PLACEHOLDER, UPLOAD_PLACEHOLDER } = await import('../src/harness/firmware-server.js');
    const dir = mkdtempSync(join(tmpdir(), 'certify-security-'));
    const file = join(dir, 'security.yaml');
    writeFileSync(
      file,
      [
        'name: Certificate renewal and signed firmware',
        'requirements: [PLT-FW-1]',
        'role: csms',
        'steps:',
        '  - connect',
        '  - expectCall: { action: BootNotification, within: 2m }',
        '  - csmsCall: { action: ExtendedTriggerMessage, payload: { requestedMessage: SignChargePointCertificate }, expect: { status: Accepted } }',
        '  - expectCall: { action: SignCertificate, within: 1m, response: { status: Accepted } }',
        '  - csmsCall:',
        '      action: SignedUpdateFirmware',
        `      payload: { requestId: 4, firmware: { location: '${FIRMWARE_PLACEHOLDER}', retrieveDateTime: '2020-01-01T00:00:00Z', signingCertificate: '${SIGNING_CERTIFICATE_PLACEHOLDER}', signature: '${FIRMWARE_SIGNATURE_PLACEHOLDER}' } }`,
        '      expect: { status: Accepted }',
        '  - expectCall: { action: SignedFirmwareStatusNotification, payload: { status: SignatureVerified, requestId: 4 }, within: 10m }',
        '  - expectCall: { action: SignedFirmwareStatusNotification, payload: { status: Installed, requestId: 4 }, within: 15m }',
        `  - csmsCall: { action: GetLog, payload: { logType: SecurityLog, requestId: 8, log: { remoteLocation: '${UPLOAD_PLACEHOLDER}' } }, expect: { status: Accepted } }`,
        '  - expectCall: { action: LogStatusNotification, payload: { status: Uploaded, requestId: 8 }, within: 1m }',
        '',
      ].join('\n'),
    );
    try {
      const result = await certify({ self: true, paths: [file] });
      const s = result.scenarios[0];
      expect(s.status, JSON.stringify(s.steps.filter((st) => st.status !== 'passed').map((st) => st.title))).toBe('passed');
      const certificateSigned = s.frames.filter((f) => f.raw.includes('"CertificateSigned"'));
      expect(certificateSigned.length).toBe(1); // the CSMS sent it …
      const id = (JSON.parse(certificateSigned[0].raw) as unknown[])[1];
      const answer = s.frames.find((f) => f.raw.startsWith(`[3,${JSON.stringify(id)}`));
      expect(answer?.raw).toContain('"Accepted"'); // … and our charger took it
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
