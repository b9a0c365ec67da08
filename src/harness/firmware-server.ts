import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Clock } from '../clock/clock.js';

export interface FirmwareServer {
  /** URL of the image, e.g. http://127.0.0.1:PORT/firmware/chargecheck-2.0.0.bin */
  readonly url: string;
  /** The firmwareVersion the image installs (our virtual charger reads it from the file name). */
  readonly version: string;
  /** True times the image was fetched. */
  readonly downloads: number[];
  /** The image served (signed firmware needs its bytes). */
  readonly image: Buffer;
  /** Where a charger may PUT files (GetLog, GetDiagnostics): `http://…/upload/`. */
  readonly uploadUrl: string;
  /** Files PUT under uploadUrl: name, size and true time. */
  readonly uploads: { name: string; bytes: number; timeMs: number }[];
  close(): Promise<void>;
}

/**
 * A real local HTTP server with one firmware image, for UpdateFirmware during certification, that
 * also takes uploads (PUT under /upload/) for GetLog and GetDiagnostics.
 */
export async function startFirmwareServer(clock: Clock, version = '2.0.0', host = '127.0.0.1'): Promise<FirmwareServer> {
  const name = `chargecheck-${version}.bin`;
  const image = Buffer.alloc(256 * 1024, 0x5a);
  const downloads: number[] = [];
  const uploads: { name: string; bytes: number; timeMs: number }[] = [];
  const server: Server = createServer((req, res) => {
    if (req.method === 'PUT' && req.url?.startsWith('/upload/')) {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        uploads.push({ name: decodeURIComponent(req.url!.slice('/upload/'.length)), bytes, timeMs: clock.now() });
        res.writeHead(201).end();
      });
      return;
    }
    if (req.method === 'GET' && req.url === `/firmware/${name}`) {
      downloads.push(clock.now());
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': image.length }).end(image);
      return;
    }
    // For the OCPP 1.6 catalogue: an empty image (installation fails), a diagnostics drop that
    // accepts uploads, and one that refuses them.
    if (req.method === 'GET' && req.url === '/firmware/empty-3.0.0.bin') {
      downloads.push(clock.now());
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 0 }).end();
      return;
    }
    if (req.method === 'PUT' && req.url?.startsWith('/diagnostics/')) {
      req.resume();
      req.on('end', () => res.writeHead(201).end());
      return;
    }
    if (req.method === 'PUT' && req.url?.startsWith('/refused/')) {
      req.resume();
      req.on('end', () => res.writeHead(403).end());
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  // A wildcard address is where we listen, not where a charger can reach us: name the machine.
  const reachable = host === '0.0.0.0' || host === '::' ? hostname() : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${reachable}:${port}/firmware/${name}`,
    version,
    downloads,
    image,
    uploadUrl: `http://${reachable}:${port}/upload/`,
    uploads,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Where certification scenarios write the firmware location; the harness substitutes the real URL. */
export const FIRMWARE_PLACEHOLDER = 'http://firmware.chargecheck.invalid/image.bin';

/** Where certification scenarios write an upload location (GetLog, GetDiagnostics); substituted likewise. */
export const UPLOAD_PLACEHOLDER = 'http://upload.chargecheck.invalid/';

/** A copy of `value` with every occurrence of `from` (as a whole string) replaced by `to`. */
export function replaceString<T>(value: T, from: string, to: string): T {
  if (value === from) return to as T;
  if (Array.isArray(value)) return value.map((v) => replaceString(v, from, to)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceString(v, from, to)])) as T;
  return value;
}
