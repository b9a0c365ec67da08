import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename } from 'node:path';
import type { Clock } from '../clock/clock.js';
import { ChargecheckError } from '../errors.js';
import type { FileTransfer } from '../chargepoint/types.js';

export interface HttpTransferOptions {
  clock: Clock;
  /** Trusted roots for https:// locations. */
  ca?: string | readonly string[];
  /** Give up after this many real ms (default 60 s). */
  timeoutMs?: number;
}

/**
 * The charger's file transfers over real HTTP(S): firmware downloads (GET) and diagnostics uploads
 * (PUT of the file under the given location). The clock is held while a transfer runs, so virtual
 * time does not run past it.
 */
export function httpFileTransfer(options: HttpTransferOptions): FileTransfer {
  return {
    async download(url: string) {
      const release = options.clock.hold(`download ${url}`);
      try {
        const res = await send('GET', url, undefined, options);
        const chunks: Buffer[] = [];
        for await (const chunk of res) chunks.push(chunk as Buffer);
        const data = Buffer.concat(chunks);
        return { bytes: data.length, name: basename(new URL(url).pathname) || 'firmware.bin', data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
      } finally {
        release();
      }
    },
    async upload(location: string, fileName: string, content: string) {
      const release = options.clock.hold(`upload ${location}`);
      try {
        const target = new URL(fileName, location.endsWith('/') ? location : `${location}/`).toString();
        const res = await send('PUT', target, content, options);
        res.resume();
      } finally {
        release();
      }
    },
  };
}

function send(method: 'GET' | 'PUT', url: string, body: string | undefined, options: HttpTransferOptions): Promise<IncomingMessage> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.reject(new ChargecheckError('HOST_TRANSFER_BAD_URL', `not a URL: ${url}`, { url }));
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return Promise.reject(new ChargecheckError('HOST_TRANSFER_UNSUPPORTED', `unsupported transfer protocol ${parsed.protocol} (HTTP and HTTPS are supported)`, { url }));
  }
  const request = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      parsed,
      { method, ca: options.ca as string[] | undefined, timeout: options.timeoutMs ?? 60_000, headers: body === undefined ? {} : { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          res.resume();
          reject(new ChargecheckError('HOST_TRANSFER_HTTP_STATUS', `${method} ${url} answered HTTP ${status}`, { url, status }));
          return;
        }
        resolve(res);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => reject(new ChargecheckError('HOST_TRANSFER_FAILED', `${method} ${url} failed: ${err.message}`, { url }, { cause: err })));
    req.end(body);
  });
}
