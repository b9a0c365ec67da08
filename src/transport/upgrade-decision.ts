import { matchPassword, parseBasicAuth, type PasswordForm } from './basic-auth.js';

/**
 * Per-charger credentials: id → the configured AuthorizationKey (hex as configured, or text).
 * `undefined` = unknown id (HTTP 404); `null` = known, no password required (Profile 0/3).
 * When an id is unknown, the `*` entry (if any) applies: any id with one password, for load tests.
 */
export type CredentialLookup = (id: string) => string | null | undefined;

/** A lookup over a plain record or map, e.g. `{ CP001: '0001…FF', '*': 'swarm-secret' }`. */
export function credentialsFrom(table: Readonly<Record<string, string | null>> | ReadonlyMap<string, string | null>): CredentialLookup {
  if (table instanceof Map) return (id) => table.get(id);
  const record = table as Readonly<Record<string, string | null>>;
  return (id) => (Object.hasOwn(record, id) ? record[id] : undefined);
}

/** How the charger authenticated: a password form, or `none` when no password was required. */
export type AuthForm = PasswordForm | 'none';

export type RefusalReason =
  | 'bad-path'
  | 'unknown-id'
  | 'missing-credentials'
  | 'wrong-username'
  | 'wrong-password'
  | 'client-cert-missing'
  | 'client-cert-untrusted'
  | 'client-cert-cn-mismatch';

export interface ClientCertFacts {
  /** Whether a certificate was presented. */
  readonly presented: boolean;
  /** Whether it chains to the configured CA. */
  readonly authorized: boolean;
  readonly cn?: string;
}

export interface UpgradeRequest {
  /** Request target, e.g. /ocpp/CP%20001?x=1. */
  readonly url: string;
  /** Path prefix the ids live under, e.g. /ocpp. */
  readonly prefix: string;
  readonly authorization?: string;
  readonly credentials?: CredentialLookup;
  readonly clientCert?: ClientCertFacts;
  /** Profile 3 policy: refuse without a trusted certificate / when CN differs from the id. */
  readonly requireClientCert?: boolean;
  readonly requireCnMatch?: boolean;
}

export type UpgradeDecision =
  | { readonly accept: true; readonly id: string; readonly authForm: AuthForm }
  | { readonly accept: false; readonly status: 401 | 403 | 404; readonly reason: RefusalReason; readonly id?: string };

/** Decides an upgrade before any WebSocket handshake: path → id → client certificate → Basic auth. */
export function decideUpgrade(req: UpgradeRequest): UpgradeDecision {
  const id = idFromPath(req.url, req.prefix);
  if (id === undefined) return { accept: false, status: 404, reason: 'bad-path' };
  let expected: string | null | undefined = null;
  if (req.credentials) {
    expected = req.credentials(id);
    if (expected === undefined) expected = req.credentials('*');
    if (expected === undefined) return { accept: false, status: 404, reason: 'unknown-id', id };
  }
  const cert = req.clientCert;
  if (req.requireClientCert) {
    if (!cert?.presented) return { accept: false, status: 403, reason: 'client-cert-missing', id };
    if (!cert.authorized) return { accept: false, status: 403, reason: 'client-cert-untrusted', id };
    if (req.requireCnMatch && cert.cn !== id) return { accept: false, status: 403, reason: 'client-cert-cn-mismatch', id };
  }
  if (expected === null) return { accept: true, id, authForm: 'none' };
  const creds = parseBasicAuth(req.authorization);
  if (!creds) return { accept: false, status: 401, reason: 'missing-credentials', id };
  if (creds.user !== id) return { accept: false, status: 401, reason: 'wrong-username', id };
  const form = matchPassword(creds.password, expected);
  if (!form) return { accept: false, status: 401, reason: 'wrong-password', id };
  return { accept: true, id, authForm: form };
}

/** The charge point id from `<prefix>/<percent-encoded id>`; undefined when the path does not fit. */
export function idFromPath(url: string, prefix: string): string | undefined {
  const path = url.split('?')[0];
  const base = prefix.replace(/\/+$/, '');
  if (!path.startsWith(`${base}/`)) return undefined;
  const segment = path.slice(base.length + 1);
  if (segment === '' || segment.includes('/')) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
