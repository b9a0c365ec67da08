/**
 * X.509 and PKCS#10 for the security whitepaper (digest §2.4, §2.5): parsing PEM chains, the
 * certificate hash data OCPP identifies certificates by, chain verification and CSRs. Built on
 * @peculiar/x509 (WebCrypto) and node:crypto; no files, no network.
 */
import { createHash, createPublicKey, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export type HashAlgorithm = 'SHA256' | 'SHA384' | 'SHA512';

/** CertificateHashDataType of the whitepaper. */
export interface CertificateHashData {
  hashAlgorithm: HashAlgorithm;
  issuerNameHash: string;
  issuerKeyHash: string;
  serialNumber: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate of a PEM text, in order; throws on a block that does not parse. */
export function parseChain(pem: string): x509.X509Certificate[] {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  return blocks.map((b) => new x509.X509Certificate(b));
}

/** One certificate, or undefined when the text is not exactly one parseable certificate. */
export function parseOne(pem: string): x509.X509Certificate | undefined {
  try {
    const certs = parseChain(pem);
    return certs.length === 1 ? certs[0] : undefined;
  } catch {
    return undefined;
  }
}

const NODE_HASH: Record<HashAlgorithm, string> = { SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' };

/**
 * The content of the subjectPublicKey BIT STRING (what RFC 6960 hashes as the issuer key hash):
 * the PKCS#1 RSAPublicKey for RSA, the uncompressed point for EC.
 */
function publicKeyBits(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'rsa') return key.export({ type: 'pkcs1', format: 'der' });
  const jwk = key.export({ format: 'jwk' });
  if (jwk.x && jwk.y) return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  return key.export({ type: 'spki', format: 'der' });
}

/**
 * The hash data of `cert` as issued by `issuer` (itself for a root): hashes of the issuer's DER
 * name and public key, and the serial number in hex.
 */
export function hashData(cert: x509.X509Certificate, algorithm: HashAlgorithm = 'SHA256', issuer: x509.X509Certificate = cert): CertificateHashData {
  const h = (data: Buffer | ArrayBuffer): string => createHash(NODE_HASH[algorithm]).update(Buffer.from(data as ArrayBuffer)).digest('hex');
  const issuerKey = createPublicKey({ key: Buffer.from(issuer.publicKey.rawData), format: 'der', type: 'spki' });
  return {
    hashAlgorithm: algorithm,
    issuerNameHash: h(cert.issuerName.toArrayBuffer()),
    issuerKeyHash: h(publicKeyBits(issuerKey)),
    serialNumber: cert.serialNumber.replace(/^0+(?=.)/, '').toLowerCase(),
  };
}

export function sameHashData(a: CertificateHashData, b: CertificateHashData): boolean {
  return (
    a.hashAlgorithm === b.hashAlgorithm &&
    a.issuerNameHash.toLowerCase() === b.issuerNameHash.toLowerCase() &&
    a.issuerKeyHash.toLowerCase() === b.issuerKeyHash.toLowerCase() &&
    a.serialNumber.replace(/^0+(?=.)/, '').toLowerCase() === b.serialNumber.replace(/^0+(?=.)/, '').toLowerCase()
  );
}

/** The same certificate (byte for byte). */
export function sameCert(a: x509.X509Certificate, b: x509.X509Certificate): boolean {
  return Buffer.from(a.rawData).equals(Buffer.from(b.rawData));
}

/** Valid at `atMs` (notBefore ≤ at ≤ notAfter). */
export function validAt(cert: x509.X509Certificate, atMs: number): boolean {
  return cert.notBefore.getTime() <= atMs && atMs <= cert.notAfter.getTime();
}

/** The value of one attribute (CN, O) of a distinguished name, or undefined. */
export function nameAttribute(name: x509.Name, short: 'CN' | 'O'): string | undefined {
  const values = name.getField(short);
  return values.length > 0 ? values[0] : undefined;
}

/**
 * Why `chain` (leaf first) does not lead to one of `roots`, or undefined when it does: every
 * certificate valid at `atMs` and signed by the next, the last one signed by a trusted root
 * (or being one).
 */
export async function chainProblem(chain: readonly x509.X509Certificate[], roots: readonly x509.X509Certificate[], atMs: number): Promise<string | undefined> {
  if (chain.length === 0) return 'no certificate';
  for (const c of chain) if (!validAt(c, atMs)) return `certificate '${c.subject}' is not valid at ${new Date(atMs).toISOString()}`;
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!(await chain[i].verify({ publicKey: chain[i + 1].publicKey, signatureOnly: true }))) return `certificate '${chain[i].subject}' is not signed by '${chain[i + 1].subject}'`;
  }
  const top = chain[chain.length - 1];
  for (const root of roots) {
    if (!validAt(root, atMs)) continue;
    if (sameCert(top, root)) return undefined;
    if (top.issuer === root.subject && (await top.verify({ publicKey: root.publicKey, signatureOnly: true }))) return undefined;
  }
  return `no installed root certificate issued '${top.issuer}'`;
}

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface KeyAndCsr {
  /** The new private key, PKCS#8 PEM. */
  keyPem: string;
  /** PKCS#10 certificate signing request, PEM. */
  csrPem: string;
}

/** A fresh ECDSA P-256 key and a CSR for it with subject CN = `commonName` (and O, when given). */
export async function generateCsr(commonName: string, organization?: string): Promise<KeyAndCsr> {
  const keys = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const name: Record<string, string[]>[] = [{ CN: [commonName] }];
  if (organization) name.push({ O: [organization] });
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name, keys, signingAlgorithm: EC_P256 });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
  return { keyPem, csrPem: csr.toString('pem') };
}

/** Whether the certificate carries the public key that belongs to `privateKeyPem`. */
export function keyMatches(cert: x509.X509Certificate, privateKeyPem: string): boolean {
  try {
    const fromKey = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' });
    return Buffer.from(cert.publicKey.rawData).equals(fromKey);
  } catch {
    return false;
  }
}
