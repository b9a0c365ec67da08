/**
 * The CSMS's side of SignCertificate (WP2 A02/A03): check a charger's PKCS#10 request and issue
 * its certificate under a CA the CSMS holds, for CertificateSigned.
 */
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { Clock } from '../clock/clock.js';
import { ChargecheckError } from '../errors.js';
import type { PemPair } from '../transport/pki.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const DAY_MS = 86_400_000;

type SigningKey = { key: webcrypto.CryptoKey; alg: webcrypto.AlgorithmIdentifier | webcrypto.EcdsaParams | webcrypto.RsaHashedImportParams };

export interface CsrSigner {
  /**
   * Checks a charger's CSR (PEM): its signature, and subject CN = the charge point id. Returns
   * the reason it is refused, or undefined.
   */
  check(chargePointId: string, csrPem: string): Promise<string | undefined>;
  /** The certificate chain (leaf, then the CA) for a CSR that passed `check`. */
  sign(chargePointId: string, csrPem: string): Promise<string>;
}

export interface CsrSignerOptions {
  /** The issuing CA: certificate and private key (RSA or EC P-256), PEM. */
  ca: PemPair;
  clock: Clock;
  /** Validity of issued certificates, days (default 365). Starts a day before now. */
  days?: number;
}

export function csrSigner(options: CsrSignerOptions): CsrSigner {
  const caCert = new x509.X509Certificate(options.ca.cert);
  let signingKey: Promise<SigningKey> | undefined;
  const parse = (pem: string): x509.Pkcs10CertificateRequest | undefined => {
    try {
      return new x509.Pkcs10CertificateRequest(pem);
    } catch {
      return undefined;
    }
  };
  return {
    async check(chargePointId, csrPem) {
      const csr = parse(csrPem);
      if (!csr) return 'not a PEM PKCS#10 certificate request';
      if (!(await csr.verify())) return 'the request is not signed by its own key';
      const cn = csr.subjectName.getField('CN')[0];
      if (cn !== chargePointId) return `subject CN '${cn ?? ''}' is not the charge point id '${chargePointId}'`;
      return undefined;
    },
    async sign(_chargePointId, csrPem) {
      const csr = parse(csrPem);
      if (!csr) throw new ChargecheckError('CSMS_BAD_CSR', 'not a PEM PKCS#10 certificate request');
      signingKey ??= importKey(options.ca.key);
      const { key, alg } = await signingKey;
      const now = options.clock.now();
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: `01${randomBytes(8).toString('hex')}`,
        subject: csr.subjectName,
        issuer: caCert.subjectName,
        notBefore: new Date(now - DAY_MS),
        notAfter: new Date(now + (options.days ?? 365) * DAY_MS),
        publicKey: csr.publicKey,
        signingKey: key,
        signingAlgorithm: alg,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
        ],
      });
      return `${cert.toString('pem')}\n${caCert.toString('pem')}\n`;
    },
  };
}

async function importKey(pem: string): Promise<SigningKey> {
  const keyObject = createPrivateKey(pem);
  const der = keyObject.export({ type: 'pkcs8', format: 'der' });
  if (keyObject.asymmetricKeyType === 'rsa') {
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { key: await webcrypto.subtle.importKey('pkcs8', der, alg, false, ['sign']), alg };
  }
  if (keyObject.asymmetricKeyType === 'ec') {
    const curve = keyObject.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'P-384' : 'P-256';
    const key = await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: curve }, false, ['sign']);
    return { key, alg: { name: 'ECDSA', hash: curve === 'P-384' ? 'SHA-384' : 'SHA-256' } };
  }
  throw new ChargecheckError('CSMS_BAD_CA_KEY', `the CA key is ${keyObject.asymmetricKeyType ?? 'unknown'}; RSA or EC is needed`);
}
