/**
 * GetInstalledCertificateIds / DeleteCertificate name certificates by CertificateHashData, which a
 * CSMS (and the CTT, TC_075) computes itself: issuerNameHash and issuerKeyHash as in an OCSP
 * CertID (RFC 6960). Our hashes are checked against OpenSSL's OCSP request for the same
 * certificate, for RSA and EC roots and SHA-256/384/512.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { afterAll, describe, expect, it } from 'vitest';
import { hashData, type HashAlgorithm } from '../src/chargepoint/security/x509.js';
import { defaultValidity, issueCa } from '../src/transport/pki.js';

const dir = mkdtempSync(join(tmpdir(), 'hashdata-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** OpenSSL's CertID for `pem` issued by itself: [issuerNameHash, issuerKeyHash, serial], lower-case hex. */
function opensslCertId(pem: string, algorithm: HashAlgorithm): [string, string, string] {
  writeFileSync(join(dir, 'root.pem'), pem);
  execFileSync('openssl', ['ocsp', `-${algorithm.toLowerCase()}`, '-issuer', 'root.pem', '-cert', 'root.pem', '-no_nonce', '-reqout', 'req.der'], { cwd: dir, stdio: 'pipe' });
  // long hashes wrap onto the next line after a backslash
  const text = execFileSync('openssl', ['ocsp', '-reqin', 'req.der', '-req_text'], { cwd: dir }).toString().replace(/\\\n/g, '');
  const field = (name: string): string => new RegExp(`${name}: ([0-9A-F]+)`).exec(text)![1].toLowerCase();
  return [field('Issuer Name Hash'), field('Issuer Key Hash'), field('Serial Number').replace(/^0+(?=.)/, '')];
}

describe('certificate hash data', () => {
  it.each([
    ['rsa', 'SHA256'],
    ['ecdsa', 'SHA256'],
    ['rsa', 'SHA384'],
    ['ecdsa', 'SHA512'],
  ] as const)('%s root, %s: the same hashes as OpenSSL computes for an OCSP CertID', async (kind, algorithm) => {
    const root = await issueCa(kind, defaultValidity());
    const ours = hashData(new x509.X509Certificate(root.cert), algorithm);
    const [nameHash, keyHash, serial] = opensslCertId(root.cert, algorithm);
    expect(ours).toEqual({ hashAlgorithm: algorithm, issuerNameHash: nameHash, issuerKeyHash: keyHash, serialNumber: serial });
  });
});
