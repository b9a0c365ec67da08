import { X509Certificate } from 'node:crypto';
import { checkServerIdentity, rootCertificates, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
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
  const peer = socket.getPeerCertificate(true);
  if (!peer || !peer.raw) {
    throw new ChargecheckError('TLS_CERT_UNTRUSTED', 'the server presented no certificate', { host });
  }
  if (opensslError && !TIME_ERRORS.has(opensslError)) {
    throw new ChargecheckError('TLS_CERT_UNTRUSTED', `server certificate not trusted (${opensslError})`, { host, reason: opensslError });
  }
  const path = verifiedPath(peer, check.trust);
  if (!path) {
    throw new ChargecheckError('TLS_CERT_UNTRUSTED', 'server certificate does not chain to a trusted root', { host, reason: opensslError ?? 'no-path' });
  }
  for (const cert of path) {
    const notBefore = Date.parse(cert.validFrom);
    const notAfter = Date.parse(cert.validTo);
    const details = { host, subject: cert.subject.replace(/\n/g, ', '), notBefore: cert.validFrom, notAfter: cert.validTo, clockTime: new Date(now).toISOString() };
    if (now < notBefore) {
      throw new ChargecheckError('TLS_CERT_NOT_YET_VALID', `certificate "${details.subject}" is not valid until ${cert.validFrom} (charger clock: ${details.clockTime})`, details);
    }
    if (now > notAfter) {
      throw new ChargecheckError('TLS_CERT_EXPIRED', `certificate "${details.subject}" expired ${cert.validTo} (charger clock: ${details.clockTime})`, details);
    }
  }
  const identityError = checkServerIdentity(host, peer);
  if (identityError) {
    throw new ChargecheckError('TLS_HOSTNAME_MISMATCH', `server certificate does not name ${host}: ${identityError.message}`, { host }, { cause: identityError });
  }
}

/**
 * Leaf → trusted root with every signature checked, remembered per (leaf, trust list): a fleet
 * connecting to one CSMS verifies its chain once, not once per charger. Validity periods and the
 * host name are still judged on every connection.
 */
const pathCache = new Map<string, X509Certificate[] | undefined>();

function verifiedPath(peer: DetailedPeerCertificate, trust: readonly string[] | undefined): X509Certificate[] | undefined {
  const key = `${chainFingerprints(peer)}|${trust === undefined ? '(bundled roots)' : trust.join('\n')}`;
  if (pathCache.has(key)) return pathCache.get(key);
  const path = buildPath(presentedChain(peer), anchors(trust));
  if (pathCache.size >= 256) pathCache.clear();
  pathCache.set(key, path);
  return path;
}

/** The presented chain's identity: what was verified for one chain holds for the same chain. */
function chainFingerprints(peer: DetailedPeerCertificate): string {
  const out: string[] = [];
  let cur: DetailedPeerCertificate | undefined = peer;
  while (cur?.fingerprint256 && out.length < MAX_DEPTH && !out.includes(cur.fingerprint256)) {
    out.push(cur.fingerprint256);
    cur = cur.issuerCertificate;
  }
  return out.join('>');
}

function presentedChain(peer: DetailedPeerCertificate): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<string>();
  let cur: DetailedPeerCertificate | undefined = peer;
  while (cur?.raw && out.length < MAX_DEPTH) {
    const x = new X509Certificate(cur.raw);
    if (seen.has(x.fingerprint256)) break;
    seen.add(x.fingerprint256);
    out.push(x);
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
