/**
 * The manufacturer's side of signed firmware (WP2 L01) for tests and certification: a
 * manufacturer root, a firmware signing certificate under it, and SHA-256 signatures of images
 * (base64, as SignedUpdateFirmware carries them). The charger must trust `root` as a
 * ManufacturerRootCertificate.
 */
import { sign } from 'node:crypto';
import { defaultValidity, issueCa, issueClientCert, type Validity } from '../transport/pki.js';

export interface FirmwareSigning {
  /** The manufacturer root certificate (PEM). */
  readonly root: string;
  /** The signing certificate (PEM) that goes into SignedUpdateFirmware. */
  readonly signingCertificate: string;
  /** The image's signature by the signing key: SHA-256, base64. */
  sign(image: Uint8Array): string;
}

export async function createFirmwareSigning(validity: Validity = defaultValidity()): Promise<FirmwareSigning> {
  const root = await issueCa('rsa', validity);
  const signer = await issueClientCert(root, 'chargecheck firmware signing', validity);
  return {
    root: root.cert,
    signingCertificate: signer.cert,
    sign: (image) => sign('sha256', image, signer.key).toString('base64'),
  };
}

/** Where certification scenarios write the signing certificate and signature; the harness substitutes them. */
export const SIGNING_CERTIFICATE_PLACEHOLDER = 'signing-certificate.chargecheck.invalid';
export const FIRMWARE_SIGNATURE_PLACEHOLDER = 'firmware-signature.chargecheck.invalid';
