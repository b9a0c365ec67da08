import { ChargecheckError } from '../errors.js';
import type { Hook, JsonValue } from './model.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function bad(where: string, why: string): never {
  throw new ChargecheckError('ACT_HOOK_INVALID', `${where}: ${why}`, { where });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringMap(v: unknown, where: string): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  if (!isRecord(v)) bad(where, 'must be a map of strings');
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') bad(`${where}.${k}`, 'must be a string');
  return v as Record<string, string>;
}

function timeout(v: unknown, where: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) bad(where, 'must be a positive number of milliseconds');
  return v;
}

/**
 * A hook from configuration (a target file, or a CLI flag): a string is a shell command, a list of
 * strings an argv (no shell), `{ command, env?, timeoutMs? }` or `{ http: { method?, url, headers?,
 * body?, timeoutMs? } }`. Anything else throws ACT_HOOK_INVALID naming where.
 */
export function parseHook(value: unknown, where = 'hook'): Hook {
  if (typeof value === 'string') {
    if (!value.trim()) bad(where, 'is an empty command');
    return { command: value };
  }
  if (Array.isArray(value)) {
    if (!value.length || !value.every((a) => typeof a === 'string')) bad(where, 'an argv list must be non-empty strings');
    return { command: value as string[] };
  }
  if (!isRecord(value)) bad(where, 'must be a command (string or list) or { http: { url, … } }');
  if ('http' in value) {
    const http = value.http;
    if (!isRecord(http)) bad(`${where}.http`, 'must be a map with at least url');
    const url = http.url;
    if (typeof url !== 'string' || !/^(https?:\/\/|\{\{)/.test(url)) bad(`${where}.http.url`, 'must be an http:// or https:// URL (or start with a {{base}} value)');
    const method = http.method;
    if (method !== undefined && (typeof method !== 'string' || !METHODS.includes(method.toUpperCase()))) bad(`${where}.http.method`, `must be one of ${METHODS.join(', ')}`);
    for (const k of Object.keys(http)) if (!['method', 'url', 'headers', 'body', 'timeoutMs'].includes(k)) bad(`${where}.http.${k}`, 'is not a hook field (method, url, headers, body, timeoutMs)');
    return {
      http: {
        url,
        method: method as string | undefined,
        headers: stringMap(http.headers, `${where}.http.headers`),
        body: http.body as JsonValue | undefined,
        timeoutMs: timeout(http.timeoutMs, `${where}.http.timeoutMs`),
      },
    };
  }
  if ('command' in value) {
    for (const k of Object.keys(value)) if (!['command', 'env', 'timeoutMs'].includes(k)) bad(`${where}.${k}`, 'is not a hook field (command, env, timeoutMs)');
    const inner = parseHook(value.command, `${where}.command`) as { command: string | string[] };
    return { command: inner.command, env: stringMap(value.env, `${where}.env`), timeoutMs: timeout(value.timeoutMs, `${where}.timeoutMs`) };
  }
  return bad(where, 'needs `command` or `http`');
}
