import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ChargecheckError } from '../errors.js';
import type { PemPair } from '../transport/pki.js';

export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new ChargecheckError('CLI_FILE_UNREADABLE', `cannot read ${what} ${path}: ${(err as Error).message}`, { path });
  }
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads a PEM file of certificates (a CA, a chain) and checks, at start, that it holds at least one
 * and that each parses: a wrong file is a usage error now, not "certificate not trusted" later.
 */
export async function readCertificatePem(path: string, what: string): Promise<string> {
  const text = await readTextFile(path, what);
  const blocks = text.match(CERT_BLOCK) ?? [];
  if (blocks.length === 0) throw new ChargecheckError('CLI_BAD_PEM', `${what} ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`, { path });
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch (err) {
      throw new ChargecheckError('CLI_BAD_PEM', `${what} ${path}: certificate ${i + 1} does not parse: ${(err as Error).message}`, { path });
    }
  });
  return text;
}

/** Reads a PEM private key and checks that it parses. */
export async function readKeyPem(path: string, what: string): Promise<string> {
  const text = await readTextFile(path, what);
  try {
    createPrivateKey(text);
  } catch (err) {
    throw new ChargecheckError('CLI_BAD_PEM', `${what} ${path} holds no usable PEM private key: ${(err as Error).message}`, { path });
  }
  return text;
}

export async function loadPemPair(certFile: string, keyFile: string): Promise<PemPair> {
  return { cert: await readCertificatePem(certFile, 'certificate'), key: await readKeyPem(keyFile, 'key') };
}
