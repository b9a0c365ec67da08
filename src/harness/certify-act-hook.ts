import { spawn } from 'node:child_process';
import { ChargecheckError } from '../errors.js';
import type { Act } from './charger-under-test.js';

/**
 * The word a test bench sees for an act: one per physical thing to do, so a script can `case` on
 * it (`plug`, `unplug`, `present-id-tag`, `fault`, `clear-fault`, `ev-full`, `ev-pause`,
 * `ev-resume`, `network-down`, `network-up`, `reboot`).
 */
export function actWord(act: Act): string {
  switch (act.kind) {
    case 'presentIdTag':
      return 'present-id-tag';
    case 'clearFault':
      return 'clear-fault';
    case 'dropNetwork':
      return 'network-down';
    case 'restoreNetwork':
      return 'network-up';
    case 'setEv':
      if (act.detail?.paused === true) return 'ev-pause';
      if (Number(act.detail?.socPercent) >= 100) return 'ev-full';
      return 'ev-resume';
    default:
      return act.kind;
  }
}

/** What a hook gets for one act (also the HTTP body). */
export interface ActRequest {
  readonly act: string;
  readonly connector: number;
  readonly chargePointId: string;
  /** The step's arguments, e.g. `{ "tag": "RFID-0001" }`, `{ "errorCode": "GroundFailure" }`. */
  readonly detail: Readonly<Record<string, unknown>>;
  /** The sentence the operator prompt would show. */
  readonly prompt: string;
}

export interface ActHookResult {
  readonly ok: boolean;
  /** One line for the report: `exit 0`, `HTTP 204`, `exit 3: relay not found`. */
  readonly detail: string;
}

export type ActHook = (request: ActRequest, timeoutMs: number) => Promise<ActHookResult>;

/**
 * `--act-hook`: an `http://` or `https://` URL gets each act as a JSON POST (2xx = done); anything
 * else is a shell command run as `CMD <act> <connector> <json>` with the JSON on stdin too and
 * CHARGECHECK_ACT / CHARGECHECK_CONNECTOR / CHARGECHECK_CHARGER in its environment (exit 0 = done).
 */
export function actHookFrom(spec: string): ActHook {
  if (!spec.trim()) throw new ChargecheckError('CLI_BAD_ACT_HOOK', '--act-hook needs a command or an http(s):// URL');
  return /^https?:\/\//i.test(spec) ? httpHook(spec) : commandHook(spec);
}

function commandHook(command: string): ActHook {
  return (req, timeoutMs) =>
    new Promise((resolve) => {
      const json = JSON.stringify(req);
      const child = spawn('/bin/sh', ['-c', `${command} "$@"`, 'chargecheck-act', req.act, String(req.connector), json], {
        stdio: ['pipe', 'ignore', 'pipe'],
        env: { ...process.env, CHARGECHECK_ACT: req.act, CHARGECHECK_CONNECTOR: String(req.connector), CHARGECHECK_CHARGER: req.chargePointId },
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
      });
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (d: string) => {
        if (stderr.length < 2000) stderr += d;
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(json);
      child.on('error', (err) => resolve({ ok: false, detail: `could not run: ${err.message}` }));
      child.on('close', (code, signal) => {
        const tail = stderr.trim().split('\n').at(-1) ?? '';
        if (code === 0) resolve({ ok: true, detail: 'exit 0' });
        else resolve({ ok: false, detail: signal ? `killed (${signal}) after ${Math.round(timeoutMs / 1000)} s` : `exit ${String(code)}${tail ? `: ${tail}` : ''}` });
      });
    });
}

function httpHook(url: string): ActHook {
  return async (req, timeoutMs) => {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req), signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      return { ok: res.ok, detail: `HTTP ${res.status}` };
    } catch (err) {
      return { ok: false, detail: `POST ${url} failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  };
}
