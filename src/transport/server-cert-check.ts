import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { rootCertificates, type TLSSocket } from 'node:tls';
import { ChargecheckError } from '../errors.js';

/** OpenSSL verdicts that only concern the validity period, which we re-judge on the charger's clock. */
const TIME_ERRORS = new Set(['CERT_NOT_YET_VALID', 'CERT_HAS_EXPIRED', 'CRL_NOT_YET_VALID', 'CRL_HAS_EXPIRED']);
const MAX_DEPTH = 10;

export interface ServerCertCheck {
  /** The TLS socket after `secureConnect`, opened with `rejectUnauthorized: false`. */
  readonly socket: TLSSocket;
  /** The name the charger dialled (DNS name or IP), checked against SAN / CN. */
  readonly host: string;
  /** Trusted roots (PEM, each may hold several); undefined = Node's bundled roots. */
  readonly trust: readonly string[] | undefined;
  /** "Now" on the charger's clock (ms since epoch). */
  readonly now: number;
}

/**
 * Verifies the server certificate like charger firmware does: chain to a trusted root and the
 * host name as usual, but the validity period of every certificate on the path is judged against
 * the charger's clock instead of the machine's. OpenSSL's own verdict is used for everything but
 * time; when it only objects to time, the path is rebuilt and its signatures checked here.
 * Throws TLS_CERT_UNTRUSTED, TLS_CERT_NOT_YET_VALID, TLS_CERT_EXPIRED or TLS_HOSTNAME_MISMATCH.
 */
export function checkServerCertificate(check: ServerCertCheck): void {
  const { socket, host, now } = check;
  const opensslError = socket.authorizationError ? String(socket.authorizationError) : undefined;
  // The leaf as an X509Certificate is a handle on OpenSSL's own object; getPeerCertificate(true)
  // converts the whole chain to JS objects and was a fifth to a third of a swarm's ramp CPU. It is
  // only called when this leaf has not been seen before.
  const leaf = socket.getPeerX509Certificate();
  if (!leaf) {
    throw new ChargecheckError('TLS_CERT_UNTRUSTED', 'the server presented no certificate', { host });
  }
  if (opensslError && !TIME_ERRORS.has(opensslError)) {
    throw new ChargecheckError('TLS_CERT_UNTRUSTED', `server certificate not trusted (${opensslError})`, { host, reason: opensslError });
  }
  const path = verifiedPath(leaf, check.trust);
  if (!path) {
    throw new ChargecheckError('TLS_CERT_UNTRUSTED', 'server certificate does not chain to a trusted root', { host, reason: opensslError ?? 'no-path' });
  }
  for (const cert of path) {
    const details = { host, subject: cert.subject, notBefore: cert.validFrom, notAfter: cert.validTo, clockTime: new Date(now).toISOString() };
    if (now < cert.notBefore) {
      throw new ChargecheckError('TLS_CERT_NOT_YET_VALID', `certificate "${details.subject}" is not valid until ${cert.validFrom} (charger clock: ${details.clockTime})`, details);
    }
    if (now > cert.notAfter) {
      throw new ChargecheckError('TLS_CERT_EXPIRED', `certificate "${details.subject}" expired ${cert.validTo} (charger clock: ${details.clockTime})`, details);
    }
  }
  const identityError = identityOf(leaf, host);
  if (identityError) {
    throw new ChargecheckError('TLS_HOSTNAME_MISMATCH', `server certificate does not name ${host}: ${identityError.message}`, { host }, { cause: identityError });
  }
}

/** A certificate on a verified path, with what is judged on every connection parsed once. */
interface PathCert {
  readonly subject: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly notBefore: number;
  readonly notAfter: number;
}

/**
 * Leaf → trusted root with every signature checked, remembered per (leaf, trust list): a fleet
 * connecting to one CSMS verifies its chain once, not once per charger. Validity periods and the
 * host name are still judged on every connection. (A later connection presenting the same leaf
 * with other intermediates reuses the path found first: it is a verified path for that leaf.)
 */
const pathCache = new Map<string, PathCert[] | undefined>();

function verifiedPath(leaf: X509Certificate, trust: readonly string[] | undefined): PathCert[] | undefined {
  const key = `${leaf.fingerprint256}|${trust === undefined ? '(bundled roots)' : trust.join('\n')}`;
  if (pathCache.has(key)) return pathCache.get(key);
  const built = buildPath(presentedChain(leaf), anchors(trust));
  const path = built?.map((c) => ({ subject: c.subject.replace(/\n/g, ', '), validFrom: c.validFrom, validTo: c.validTo, notBefore: Date.parse(c.validFrom), notAfter: Date.parse(c.validTo) }));
  if (pathCache.size >= 256) pathCache.clear();
  pathCache.set(key, path);
  return path;
}

/** Whether the leaf names the host (SAN, or the subject CN without SAN, as checkServerIdentity) per (leaf, host), worked out once. */
const identityCache = new Map<string, Error | null>();

function identityOf(leaf: X509Certificate, host: string): Error | undefined {
  const key = `${leaf.fingerprint256}|${host}`;
  let verdict = identityCache.get(key);
  if (verdict === undefined) {
    const named = isIP(host) ? leaf.checkIP(host) : leaf.checkHost(host);
    verdict = named === undefined ? new Error(`${isIP(host) ? 'IP' : 'Host'}: ${host} is not in the certificate's names (${leaf.subjectAltName ?? `no subjectAltName; ${leaf.subject.replace(/\n/g, ', ')}`})`) : null;
    if (identityCache.size >= 1024) identityCache.clear();
    identityCache.set(key, verdict);
  }
  return verdict ?? undefined;
}

/** The chain as presented: the leaf and the issuers OpenSSL hands along with it. */
function presentedChain(leaf: X509Certificate): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<string>();
  let cur: X509Certificate | undefined = leaf;
  while (cur && out.length < MAX_DEPTH) {
    if (seen.has(cur.fingerprint256)) break;
    seen.add(cur.fingerprint256);
    out.push(cur);
    cur = cur.issuerCertificate;
  }
  return out;
}

/** Parsed trust anchors per trust list (parsing PEM on every connect dominated a swarm's connects). */
const anchorCache = new Map<string, X509Certificate[]>();

function anchors(trust: readonly string[] | undefined): X509Certificate[] {
  const key = trust === undefined ? '(bundled roots)' : trust.join('\n');
  let parsed = anchorCache.get(key);
  if (!parsed) {
    if (anchorCache.size >= 64) anchorCache.clear();
    parsed = parseAnchors(trust);
    anchorCache.set(key, parsed);
  }
  return parsed;
}

function parseAnchors(trust: readonly string[] | undefined): X509Certificate[] {
  const pems = (trust ?? rootCertificates).flatMap((bundle) => bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []);
  return pems.map((p) => new X509Certificate(p));
}

/** Leaf → … → trusted root, every link signature-checked; undefined when there is no such path. */
function buildPath(presented: X509Certificate[], roots: X509Certificate[]): X509Certificate[] | undefined {
  const [leaf] = presented;
  if (!leaf) return undefined;
  const path = [leaf];
  let cur = leaf;
  while (path.length <= MAX_DEPTH) {
    const root = roots.find((r) => issuedBy(cur, r));
    if (root) {
      if (root.fingerprint256 !== cur.fingerprint256) path.push(root);
      return path;
    }
    const next = presented.find((c) => c.fingerprint256 !== cur.fingerprint256 && c.ca && issuedBy(cur, c));
    if (!next) return undefined;
    path.push(next);
    cur = next;
  }
  return undefined;
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}
