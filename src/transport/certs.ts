import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/system.js';
import { ChargecheckError } from '../errors.js';
import { defaultValidity, issueCa, issueClientCert, issueServerCert, serverNames, type KeyKind, type PemPair, type Validity } from './pki.js';

/** Where commands look for certificates when run without --cert (git-ignored). */
export const DEFAULT_CERT_DIR = 'certs';

export interface GenerateCertsOptions {
  outDir: string;
  /** Extra server names (DNS or IP) besides localhost, 127.0.0.1, ::1. */
  hosts?: readonly string[];
  /** Charge point ids that get ID.pem / ID.key (Security Profile 3). */
  clients?: readonly string[];
  /** Also make server-ecdsa.pem/.key (P-256) under its own root ca-ecdsa.pem/.key. */
  ecdsa?: boolean;
  /** Judges whether existing files are still valid, and dates new ones; default system clock. */
  clock?: Clock;
}

export type CertAction = 'created' | 'kept' | 'reissued';

export interface CertItem {
  /** 'ca', 'server', 'ca-ecdsa', 'server-ecdsa' or 'client:<id>'. */
  readonly name: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly action: CertAction;
  /** Why an existing file was replaced (reissued only). */
  readonly reason?: string;
}

export interface GenerateCertsResult {
  readonly outDir: string;
  readonly items: readonly CertItem[];
  readonly created: readonly string[];
  readonly kept: readonly string[];
  readonly reissued: readonly string[];
}

/**
 * Writes a test PKI into `outDir`, idempotently: valid existing files are kept, missing ones made,
 * and a certificate that is invalid, expired on `clock`, no longer signed by the CA, or (server)
 * missing a requested host is reissued. A reissued CA reissues everything under it.
 */
export async function generateCerts(options: GenerateCertsOptions): Promise<GenerateCertsResult> {
  const clock = options.clock ?? systemClock;
  const validity = defaultValidity(clock);
  await mkdir(options.outDir, { recursive: true });
  const items: CertItem[] = [];
  const names = serverNames(options.hosts);
  const ensure = async (name: string, base: string, check: (x: X509Certificate) => string | undefined, make: () => Promise<PemPair>, force: boolean): Promise<PemPair> => {
    const certFile = join(options.outDir, `${base}.pem`);
    const keyFile = join(options.outDir, `${base}.key`);
    const existing = await readPair(certFile, keyFile);
    const problem = force ? 'its CA was reissued' : existing ? inspect(existing, clock.now(), check) : undefined;
    if (existing && !problem) {
      items.push({ name, certFile, keyFile, action: 'kept' });
      return existing;
    }
    const pair = await make();
    await writeFile(certFile, pair.cert);
    await writeFile(keyFile, pair.key, { mode: 0o600 });
    items.push({ name, certFile, keyFile, action: existing ? 'reissued' : 'created', reason: existing ? problem : undefined });
    return pair;
  };
  const root = async (kind: KeyKind, base: string): Promise<{ ca: PemPair; fresh: boolean }> => {
    const before = items.length;
    const ca = await ensure(base, base, (x) => (x.ca ? undefined : 'not a CA certificate'), () => issueCa(kind, caValidity(validity)), false);
    return { ca, fresh: items[before].action !== 'kept' };
  };

  const rsa = await root('rsa', 'ca');
  await ensure('server', 'server', (x) => leafProblem(x, rsa.ca, names), () => issueServerCert(rsa.ca, 'rsa', names, validity), rsa.fresh);
  if (options.ecdsa) {
    const ec = await root('ecdsa', 'ca-ecdsa');
    await ensure('server-ecdsa', 'server-ecdsa', (x) => leafProblem(x, ec.ca, names), () => issueServerCert(ec.ca, 'ecdsa', names, validity), ec.fresh);
  }
  for (const id of options.clients ?? []) {
    const base = clientFileBase(id);
    await ensure(`client:${id}`, base, (x) => clientProblem(x, rsa.ca, id), () => issueClientCert(rsa.ca, id, validity), rsa.fresh);
  }
  const pick = (a: CertAction): string[] => items.filter((i) => i.action === a).flatMap((i) => [i.certFile, i.keyFile]);
  return { outDir: options.outDir, items, created: pick('created'), kept: pick('kept'), reissued: pick('reissued') };
}

export interface DefaultCerts {
  readonly dir: string;
  /** The root(s) a charger should trust. */
  readonly ca: string;
  readonly server: PemPair;
  readonly result: GenerateCertsResult;
}

/** For commands run without --cert: make (or reuse) the test PKI in `dir` and load what a listener needs. */
export async function ensureDefaultCerts(dir: string = DEFAULT_CERT_DIR, clock?: Clock): Promise<DefaultCerts> {
  const result = await generateCerts({ outDir: dir, clock });
  const server = await readPair(join(dir, 'server.pem'), join(dir, 'server.key'));
  if (!server) throw new ChargecheckError('TRANSPORT_CERTS_UNREADABLE', `cannot read the server certificate in ${dir}`, { dir });
  return { dir, ca: await readFile(join(dir, 'ca.pem'), 'utf8'), server, result };
}

/** File base for a client id: the id itself when it is a safe file name, else percent-encoded. */
export function clientFileBase(id: string): string {
  if (['ca', 'server', 'ca-ecdsa', 'server-ecdsa'].includes(id)) return `client-${id}`;
  return /^[A-Za-z0-9._-]+$/.test(id) && !id.startsWith('.') ? id : encodeURIComponent(id).replace(/\./g, '%2E');
}

function caValidity(v: Validity): Validity {
  return { notBefore: v.notBefore, notAfter: new Date(v.notBefore.getTime() + 3650 * 86_400_000) };
}

async function readPair(certFile: string, keyFile: string): Promise<PemPair | undefined> {
  try {
    return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
  } catch {
    return undefined;
  }
}

/** Why an existing pair cannot be kept, or undefined when it can. */
function inspect(pair: PemPair, now: number, check: (x: X509Certificate) => string | undefined): string | undefined {
  let x: X509Certificate;
  try {
    x = new X509Certificate(pair.cert);
    if (!x.checkPrivateKey(createPrivateKey(pair.key))) return 'key does not match certificate';
  } catch {
    return 'unreadable certificate or key';
  }
  if (now < Date.parse(x.validFrom)) return 'not yet valid';
  if (now > Date.parse(x.validTo)) return 'expired';
  return check(x);
}

function signedBy(x: X509Certificate, ca: PemPair): boolean {
  const issuer = new X509Certificate(ca.cert);
  return x.checkIssued(issuer) && x.verify(issuer.publicKey);
}

function leafProblem(x: X509Certificate, ca: PemPair, names: readonly string[]): string | undefined {
  if (!signedBy(x, ca)) return 'not signed by the current CA';
  const missing = names.filter((n) => (isIP(n) ? x.checkIP(n) === undefined : x.checkHost(n, { wildcards: false }) === undefined));
  return missing.length ? `missing host ${missing.join(', ')}` : undefined;
}

function clientProblem(x: X509Certificate, ca: PemPair, id: string): string | undefined {
  if (!signedBy(x, ca)) return 'not signed by the current CA';
  const cn = /^CN=(.*)$/m.exec(x.subject)?.[1]?.replace(/\\(.)/g, '$1');
  return cn === id ? undefined : `CN is ${cn ?? 'missing'}, not ${id}`;
}
