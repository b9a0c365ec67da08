import { ChargecheckError } from '../errors.js';

/** `HOST:PORT`, `[::1]:PORT` or `:PORT` (127.0.0.1). */
export function parseHostPort(spec: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(spec);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new ChargecheckError('CLI_BAD_LISTEN', `--listen takes HOST:PORT, got '${spec}'`, { spec });
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}
