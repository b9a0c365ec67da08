import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isChargecheckError } from '../errors.js';
import { isActionName, maySend } from '../ocpp/catalogue.js';
import type { Csms } from './csms.js';

export interface AdminServer {
  /** http://host:port */
  readonly url: string;
  close(): Promise<void>;
}

const BODY_LIMIT = 64 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      text += d;
      if (text.length > BODY_LIMIT) {
        resolve(undefined);
        req.destroy();
      }
    });
    req.on('end', () => resolve(text));
    req.on('error', () => resolve(undefined));
  });
}

/**
 * A small HTTP admin API next to the built-in CSMS, so a target file's hooks can drive it exactly
 * as they would drive a staging CSMS's own API (docs/run.md):
 * - `GET /chargers` → `[{ id, connected }]`
 * - `POST /chargers/<id>/call` with `{ action, payload }` → the charger's answer:
 *   200 `{ result: {…} }`, 502 `{ error: { code, description } }` (a CALLERROR, a timeout, closed),
 *   404 (no such charger connected), 400 (not JSON, not an action the CSMS sends).
 */
export async function startAdminServer(csms: Csms, host: string, port: number): Promise<AdminServer> {
  const server: Server = createServer((req, res) => {
    void handle(csms, req, res).catch((err: unknown) => send(res, 500, { error: { code: 'InternalError', description: String(err) } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(csms: Csms, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://admin');
  if (req.method === 'GET' && url.pathname === '/chargers') {
    return send(res, 200, csms.sessions().map((s) => ({ id: s.chargePointId, connected: s.isOpen })));
  }
  const m = /^\/chargers\/([^/]+)\/call$/.exec(url.pathname);
  if (!m || req.method !== 'POST') return send(res, 404, { error: { code: 'NotFound', description: 'GET /chargers or POST /chargers/<id>/call' } });
  const id = decodeURIComponent(m[1]!);
  const text = await readBody(req);
  let body: { action?: unknown; payload?: unknown };
  try {
    body = JSON.parse(text ?? '') as typeof body;
  } catch {
    return send(res, 400, { error: { code: 'BadRequest', description: 'the body must be JSON: { "action": …, "payload": { … } }' } });
  }
  const { action, payload } = body;
  if (typeof action !== 'string' || !isActionName(action) || !maySend(action, 'Csms')) {
    return send(res, 400, { error: { code: 'BadRequest', description: `'${String(action)}' is not an action a CSMS sends` } });
  }
  if (payload !== undefined && (typeof payload !== 'object' || payload === null || Array.isArray(payload))) {
    return send(res, 400, { error: { code: 'BadRequest', description: 'payload must be a JSON object' } });
  }
  const session = csms.session(id);
  if (!session?.isOpen) return send(res, 404, { error: { code: 'NotConnected', description: `charger ${id} is not connected` } });
  try {
    const result = await session.call(action, (payload ?? {}) as never);
    send(res, 200, { result });
  } catch (err) {
    if (isChargecheckError(err)) {
      const ocpp = typeof err.details.ocppCode === 'string' ? err.details.ocppCode : err.code;
      return send(res, 502, { error: { code: ocpp, description: err.message } });
    }
    throw err;
  }
}
