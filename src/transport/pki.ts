import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { generate, type CertificateExtension } from 'selfsigned';
import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/system.js';

/** A certificate and its private key, both PEM. */
export interface PemPair {
  readonly cert: string;
  readonly key: string;
}

export interface Validity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export type KeyKind = 'rsa' | 'ecdsa';

const DAY_MS = 86_400_000;
/** Test certificates start this long before "now", so virtual clocks set to a fixed past date accept them. */
export const DEFAULT_BACKDATE_DAYS = 400;
export const DEFAULT_LEAF_DAYS = 825;
const CA_YEARS_DAYS = 3650;
const ORGANIZATION = 'chargecheck test PKI';

/** The names every server certificate carries, plus any extra hosts (deduplicated, in order). */
export function serverNames(hosts: readonly string[] = []): string[] {
  return [...new Set(['localhost', '127.0.0.1', '::1', ...hosts])];
}

/** Default validity: backdated DEFAULT_BACKDATE_DAYS, valid `days` from now, judged on `clock`. */
export function defaultValidity(clock: Clock = systemClock, days = DEFAULT_LEAF_DAYS): Validity {
  const now = clock.now();
  return { notBefore: new Date(now - DEFAULT_BACKDATE_DAYS * DAY_MS), notAfter: new Date(now + days * DAY_MS) };
}

/**
 * A self-signed root CA. RSA 2048 or ECDSA P-256; selfsigned signs a leaf only with a CA of its
 * own key type. Each CA gets a unique name, so two test PKIs never look like one to OpenSSL.
 */
export async function issueCa(kind: KeyKind, validity: Validity): Promise<PemPair> {
  const label = kind === 'rsa' ? 'RSA' : 'ECDSA';
  const r = await generate(subject(`chargecheck test CA (${label}) ${randomBytes(4).toString('hex')}`), {
    ...keyOptions(kind),
    algorithm: 'sha256',
    notBeforeDate: validity.notBefore,
    notAfterDate: new Date(Math.max(validity.notAfter.getTime(), validity.notBefore.getTime() + CA_YEARS_DAYS * DAY_MS)),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: r.cert, key: r.private };
}

/** A TLS server certificate signed by `ca` (same key kind), with SANs for `names` (DNS or IP). */
export async function issueServerCert(ca: PemPair, kind: KeyKind, names: readonly string[], validity: Validity): Promise<PemPair> {
  const extensions: CertificateExtension[] = [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: kind === 'rsa', critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: names.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })),
    },
  ];
  const cn = names.find((n) => !isIP(n)) ?? 'localhost';
  const r = await generate(subject(cn), {
    ...keyOptions(kind),
    algorithm: 'sha256',
    notBeforeDate: validity.notBefore,
    notAfterDate: validity.notAfter,
    extensions,
    ca,
  });
  return { cert: r.cert, key: r.private };
}

/** A charger (TLS client) certificate: CN = the charge point id, extended key usage clientAuth. */
export async function issueClientCert(ca: PemPair, id: string, validity: Validity): Promise<PemPair> {
  const r = await generate(subject(id), {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: validity.notBefore,
    notAfterDate: validity.notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
    ca,
  });
  return { cert: r.cert, key: r.private };
}

export interface PkiOptions {
  /** Extra server names (DNS or IP) besides localhost, 127.0.0.1 and ::1. */
  hosts?: readonly string[];
  /** Charge point ids that get a client certificate (Security Profile 3). */
  clients?: readonly string[];
  /** Also make an ECDSA P-256 server certificate (under its own ECDSA root). */
  ecdsa?: boolean;
  /** Validity of the leaf certificates; default `defaultValidity(clock)`. */
  validity?: Validity;
  clock?: Clock;
}

export interface Pki {
  readonly ca: PemPair;
  readonly server: PemPair;
  readonly ecdsaCa?: PemPair;
  readonly serverEcdsa?: PemPair;
  readonly clients: Readonly<Record<string, PemPair>>;
  /** Every root a client should trust to reach the server (ca, plus ecdsaCa when made). */
  readonly trust: readonly string[];
}

/** An in-memory PKI for tests and in-process runs: nothing touches the disk. */
export async function createPki(options: PkiOptions = {}): Promise<Pki> {
  const validity = options.validity ?? defaultValidity(options.clock);
  const caValidity = { notBefore: validity.notBefore, notAfter: new Date(validity.notBefore.getTime() + CA_YEARS_DAYS * DAY_MS) };
  const ca = await issueCa('rsa', caValidity);
  const server = await issueServerCert(ca, 'rsa', serverNames(options.hosts), validity);
  const clients: Record<string, PemPair> = {};
  for (const id of options.clients ?? []) clients[id] = await issueClientCert(ca, id, validity);
  if (!options.ecdsa) return { ca, server, clients, trust: [ca.cert] };
  const ecdsaCa = await issueCa('ecdsa', caValidity);
  const serverEcdsa = await issueServerCert(ecdsaCa, 'ecdsa', serverNames(options.hosts), validity);
  return { ca, server, ecdsaCa, serverEcdsa, clients, trust: [ca.cert, ecdsaCa.cert] };
}

function keyOptions(kind: KeyKind): { keyType: 'rsa' | 'ec'; keySize?: number; curve?: 'P-256' } {
  return kind === 'rsa' ? { keyType: 'rsa', keySize: 2048 } : { keyType: 'ec', curve: 'P-256' };
}

function subject(cn: string): { name: string; value: string }[] {
  return [
    { name: 'commonName', value: escapeDn(cn) },
    { name: 'organizationName', value: ORGANIZATION },
  ];
}

/** RFC 4514 escaping, since selfsigned builds the subject from a "CN=…, O=…" string. */
function escapeDn(value: string): string {
  return value.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`).replace(/^[ #]/, (c) => `\\${c}`).replace(/ $/, '\\ ');
}
