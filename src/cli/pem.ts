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

export async function loadPemPair(certFile: string, keyFile: string): Promise<PemPair> {
  return { cert: await readTextFile(certFile, 'certificate'), key: await readTextFile(keyFile, 'key') };
}
