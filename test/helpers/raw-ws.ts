import WebSocket from 'ws';

/** How a raw client authenticates: HTTP Basic with the user = the charge point id. */
export interface RawAuth {
  user: string;
  password: string | Buffer;
}

export interface RawOptions {
  /** PEM of the CA to trust (wss://). */
  ca?: string;
  auth?: RawAuth;
  protocols?: readonly string[];
}

/** A plain `ws` client that speaks no OCPP itself: for fuzzing and black-box checks. */
export interface RawClient {
  readonly ws: WebSocket;
  /** Every text received, in order. */
  readonly received: string[];
  readonly closed: Promise<{ code: number; reason: string }>;
  send(data: string | Buffer, binary?: boolean): void;
  /** Resolves with the first received message (already received or future) that matches. */
  waitFor(match: (text: string, frame: unknown) => boolean): Promise<string>;
  close(): Promise<void>;
}

export function basicHeader(auth: RawAuth): string {
  const pass = typeof auth.password === 'string' ? Buffer.from(auth.password, 'utf8') : auth.password;
  return 'Basic ' + Buffer.concat([Buffer.from(`${auth.user}:`, 'utf8'), pass]).toString('base64');
}

function wsOptions(options: RawOptions): WebSocket.ClientOptions {
  const headers: Record<string, string> = {};
  if (options.auth) headers.Authorization = basicHeader(options.auth);
  return { headers, ca: options.ca, perMessageDeflate: false, maxPayload: 512 * 1024 * 1024 };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Opens a raw WebSocket (rejects with the HTTP status on a refused upgrade). */
export function openRaw(url: string, options: RawOptions = {}): Promise<RawClient> {
  const ws = new WebSocket(url, [...(options.protocols ?? ['ocpp1.6'])], wsOptions(options));
  const received: string[] = [];
  const waiters: { match: (t: string, f: unknown) => boolean; resolve: (t: string) => void }[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }));
  });
  ws.on('message', (data) => {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
    received.push(text);
    const frame = parse(text);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i].match(text, frame)) {
        waiters[i].resolve(text);
        waiters.splice(i, 1);
      }
    }
  });
  const client: RawClient = {
    ws,
    received,
    closed,
    send: (data, binary = false) => ws.send(data, { binary }),
    waitFor: (match) => {
      const seen = received.find((t) => match(t, parse(t)));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    close: async () => {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
      await closed;
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`upgrade refused with HTTP ${res.statusCode}`), { status: res.statusCode }));
      res.resume();
      ws.terminate();
    });
    ws.once('error', (err) => reject(err));
  });
}

/** The HTTP status the server answers a WebSocket upgrade with (101 when it opened; the socket is then closed). */
export async function upgradeStatus(url: string, options: RawOptions = {}): Promise<number> {
  try {
    const c = await openRaw(url, options);
    await c.close();
    return 101;
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === undefined) throw err;
    return status;
  }
}

/** Matches a CALLRESULT or CALLERROR answering message `id`. */
export function answerTo(id: string): (text: string, frame: unknown) => boolean {
  return (_t, f) => Array.isArray(f) && (f[0] === 3 || f[0] === 4) && f[1] === id;
}
