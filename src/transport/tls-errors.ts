import { ChargecheckError } from '../errors.js';

/** What a failed TLS handshake on the server side most likely was, for conformance reports. */
export type TlsFailureKind = 'protocol-version' | 'cipher' | 'plain-http' | 'client-certificate' | 'timeout' | 'other';

const VERSION_CODES = new Set([
  'ERR_SSL_UNSUPPORTED_PROTOCOL',
  'ERR_SSL_VERSION_TOO_LOW',
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
  'ERR_SSL_TLSV1_ALERT_INAPPROPRIATE_FALLBACK',
]);
const CIPHER_CODES = new Set(['ERR_SSL_NO_SHARED_CIPHER', 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'ERR_SSL_NO_CIPHERS_AVAILABLE']);
const NOT_TLS_CODES = new Set(['ERR_SSL_HTTP_REQUEST', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_RECORD_LAYER_FAILURE']);
const CLIENT_CERT_CODES = new Set([
  'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
]);

export function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return '';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Classifies an error from the server's `tlsClientError` event. */
export function classifyServerTlsError(err: unknown): TlsFailureKind {
  const code = errorCode(err);
  if (code === 'ERR_SSL_HTTP_REQUEST') return 'plain-http';
  if (VERSION_CODES.has(code)) return 'protocol-version';
  if (code === 'ERR_SSL_NO_SHARED_CIPHER') return 'cipher';
  if (CLIENT_CERT_CODES.has(code)) return 'client-certificate';
  if (NOT_TLS_CODES.has(code)) return 'plain-http';
  return 'other';
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EADDRNOTAVAIL']);

/**
 * Maps an error from opening a connection (TCP connect, then the TLS handshake) to a coded
 * ChargecheckError. `phase` says how far the connection got.
 */
export function connectFailure(err: unknown, phase: 'tcp' | 'tls', where: { host: string; port: number }): ChargecheckError {
  const code = errorCode(err);
  const details = { ...where, cause: code || errorMessage(err) };
  const opts = { cause: err };
  if (phase === 'tcp' || UNREACHABLE_CODES.has(code)) {
    return new ChargecheckError('TRANSPORT_UNREACHABLE', `cannot reach ${where.host}:${where.port} (${code || errorMessage(err)})`, details, opts);
  }
  if (VERSION_CODES.has(code)) {
    return new ChargecheckError('TLS_VERSION_MISMATCH', `no common TLS version with ${where.host}:${where.port} (${code})`, details, opts);
  }
  if (CIPHER_CODES.has(code)) {
    return new ChargecheckError(
      'TLS_CIPHER_MISMATCH',
      `TLS handshake refused by ${where.host}:${where.port} (${code}); usually no common cipher suite`,
      details,
      opts,
    );
  }
  if (NOT_TLS_CODES.has(code)) {
    return new ChargecheckError('TLS_PEER_NOT_TLS', `${where.host}:${where.port} did not answer with TLS (${code})`, details, opts);
  }
  return new ChargecheckError('TLS_HANDSHAKE_FAILED', `TLS handshake with ${where.host}:${where.port} failed (${code || errorMessage(err)})`, details, opts);
}
