import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AuthForm } from './upgrade-decision.js';

/** What a conformance checker reports about one accepted charger connection. */
export interface ConnectionInfo {
  readonly id: string;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Clock time the WebSocket opened. */
  readonly connectedAt: number;
  readonly authForm: AuthForm;
  /** Present on wss://: negotiated version (TLSv1.2) and suite (OpenSSL and IANA names). */
  readonly tls?: { readonly version: string; readonly cipher: string; readonly standardName: string };
  /** Present when client certificates were requested (Security Profile 3). */
  readonly clientCert?: {
    readonly presented: boolean;
    readonly authorized: boolean;
    readonly authorizationError?: string;
    readonly subject?: string;
    readonly cn?: string;
    readonly cnMatchesId: boolean;
  };
}

export interface ConnectionFacts {
  readonly id: string;
  readonly authForm: AuthForm;
  readonly req: IncomingMessage;
  readonly tlsSocket?: TLSSocket;
  readonly clientCertRequested: boolean;
  readonly at: number;
}

export function describeConnection(facts: ConnectionFacts): ConnectionInfo {
  const { tlsSocket, req } = facts;
  const cipher = tlsSocket?.getCipher();
  return {
    id: facts.id,
    remoteAddress: req.socket.remoteAddress ?? '',
    remotePort: req.socket.remotePort ?? 0,
    connectedAt: facts.at,
    authForm: facts.authForm,
    tls: tlsSocket && cipher ? { version: tlsSocket.getProtocol() ?? 'unknown', cipher: cipher.name, standardName: cipher.standardName } : undefined,
    clientCert: tlsSocket && facts.clientCertRequested ? clientCertOf(tlsSocket, facts.id) : undefined,
  };
}

function clientCertOf(socket: TLSSocket, id: string): ConnectionInfo['clientCert'] {
  const cert = socket.getPeerCertificate();
  const presented = !!cert && Object.keys(cert).length > 0;
  if (!presented) return { presented, authorized: false, cnMatchesId: false };
  const rawCn = cert.subject?.CN;
  const cn = Array.isArray(rawCn) ? rawCn[0] : rawCn;
  const subject = Object.entries(cert.subject ?? {})
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
  return {
    presented,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
    subject,
    cn,
    cnMatchesId: cn === id,
  };
}
