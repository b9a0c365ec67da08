import { timingSafeEqual } from 'node:crypto';
import { ChargecheckError } from '../errors.js';

/**
 * HTTP Basic for Security Profile 1/2 (digest §2.2). The password is the AuthorizationKey:
 * in the spec form (`hex`) its hex digits are decoded and the raw bytes go on the wire;
 * many devices instead send the configured text itself (`text`).
 */
export type PasswordForm = 'hex' | 'text';

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

export function isHexKey(key: string): boolean {
  return HEX.test(key);
}

/** The password bytes a charger sends for `key` in `form`; `hex` needs an even-length hex string. */
export function passwordBytes(key: string, form: PasswordForm): Buffer {
  if (form === 'text') return Buffer.from(key, 'utf8');
  if (!isHexKey(key)) {
    throw new ChargecheckError('TRANSPORT_AUTH_KEY_NOT_HEX', 'AuthorizationKey is not an even-length hex string; use passwordForm "text" to send it as text', {
      length: key.length,
    });
  }
  return Buffer.from(key, 'hex');
}

/** The `Authorization` header value: Basic base64(id ":" password bytes). */
export function basicAuthHeader(id: string, key: string, form: PasswordForm): string {
  return `Basic ${Buffer.concat([Buffer.from(`${id}:`, 'utf8'), passwordBytes(key, form)]).toString('base64')}`;
}

export interface BasicCredentials {
  readonly user: string;
  readonly password: Buffer;
}

/** Parses an Authorization header; undefined when absent or not Basic. Splits at the first ':' byte. */
export function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  if (!header) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const raw = Buffer.from(m[1], 'base64');
  const colon = raw.indexOf(0x3a);
  if (colon < 0) return undefined;
  return { user: raw.subarray(0, colon).toString('utf8'), password: raw.subarray(colon + 1) };
}

/**
 * Which form of the configured key `expected` the received password matches, if any. The spec
 * (hex-decoded) form is tried first; a key that is not hex can only match as text.
 */
export function matchPassword(received: Buffer, expected: string): PasswordForm | undefined {
  if (isHexKey(expected) && sameBytes(received, Buffer.from(expected, 'hex'))) return 'hex';
  if (sameBytes(received, Buffer.from(expected, 'utf8'))) return 'text';
  return undefined;
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
