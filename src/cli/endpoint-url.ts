import { ChargecheckError } from '../errors.js';

/**
 * Checks a `--csms` endpoint before any work, so a wrong URL is a usage error (exit 2), never
 * "peer unreachable". `insecure`: the value of the command's `--insecure` flag, or `undefined` when
 * the command has none (then only wss:// is accepted). Returns the URL without trailing slashes.
 */
export function checkEndpointUrl(value: string, insecure: boolean | undefined): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ChargecheckError('CLI_BAD_URL', `--csms '${value}' is not a URL; expected wss://host[:port]/path`, { url: value });
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    const ws = url.protocol === 'https:' ? 'wss' : 'ws';
    throw new ChargecheckError('CLI_BAD_URL', `--csms takes a WebSocket URL: ${ws}://${value.slice(url.protocol.length + 2)}, not ${url.protocol}//…`, { url: value });
  }
  if (url.protocol === 'ws:') {
    if (insecure === undefined) throw new ChargecheckError('CLI_BAD_URL', `--csms '${value}': this command tests over TLS only; use wss://`, { url: value });
    if (!insecure) throw new ChargecheckError('CLI_BAD_URL', `--csms '${value}' is unencrypted ws://: use wss://, or pass --insecure to allow it`, { url: value });
  } else if (url.protocol !== 'wss:') {
    throw new ChargecheckError('CLI_BAD_URL', `--csms '${value}': expected a wss:// URL, got ${url.protocol}`, { url: value });
  }
  if (!url.hostname) throw new ChargecheckError('CLI_BAD_URL', `--csms '${value}' names no host`, { url: value });
  return value.replace(/\/+$/, '');
}
