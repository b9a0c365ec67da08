import { spawn } from 'node:child_process';
import type { Clock } from '../clock/clock.js';
import { loopActivity } from '../clock/loop-activity.js';
import { systemClock } from '../clock/system.js';
import type { ActVariables, CommandHook, Hook, HookRun, HttpHook } from './model.js';
import { fillJson, fillText, shellQuote } from './template.js';

const DEFAULT_TIMEOUT_MS = 30_000;
const OUTPUT_LIMIT = 2048;

function tail(text: string): string {
  const t = text.trim();
  return t.length > OUTPUT_LIMIT ? `…${t.slice(-OUTPUT_LIMIT)}` : t;
}

function firstLine(text: string): string {
  const line = text.trim().split('\n').pop() ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** A value in a URL is percent-encoded, except a base URL (`{{admin}}/chargers/…`), which goes in as is. */
function urlValue(value: string): string {
  return /^https?:\/\//.test(value) ? value : encodeURIComponent(value);
}

/** `chargePointId` → `CHARGECHECK_CHARGE_POINT_ID`: every variable also reaches a command as environment. */
export function envName(name: string): string {
  return `CHARGECHECK_${name.replace(/\./g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/**
 * Runs one hook to completion (or its time limit). Never throws: a failure is `ok: false` with a
 * summary. A hook is work another process does, in real time: a virtual clock waits for it (it is
 * tracked as pending work, not guessed from quiet loop turns) and its time limit is real time.
 */
export async function runHook(hook: Hook, vars: ActVariables, clock: Clock): Promise<HookRun> {
  try {
    const work = 'http' in hook ? runHttp(hook, vars, clock) : runCommand(hook, vars, clock);
    return await loopActivity.track(work);
  } catch (err) {
    return { ok: false, summary: err instanceof Error ? err.message : String(err) };
  }
}

function runCommand(hook: CommandHook, vars: ActVariables, clock: Clock): Promise<HookRun> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) env[envName(k)] = String(v);
  for (const [k, v] of Object.entries(hook.env ?? {})) env[k] = fillText(v, vars);
  const [file, args, shell] =
    typeof hook.command === 'string'
      ? ['/bin/sh', ['-c', fillText(hook.command, vars, shellQuote)], true]
      : [fillText(hook.command[0] ?? '', vars), hook.command.slice(1).map((a) => fillText(a, vars)), false];
  const limit = hook.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const release = clock.hold(`act hook: ${shell ? args[1] : file}`);
  return new Promise<HookRun>((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(-4 * OUTPUT_LIMIT)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4 * OUTPUT_LIMIT)));
    const timer = systemClock.setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limit);
    const finish = (run: HookRun): void => {
      timer.cancel();
      release();
      resolve(run);
    };
    child.on('error', (err) => finish({ ok: false, summary: `could not start ${file}: ${err.message}` }));
    child.on('close', (code, signal) => {
      if (timedOut) return finish({ ok: false, summary: `timed out after ${Math.round(limit / 1000)}s`, output: tail(stdout) });
      if (code === 0) return finish({ ok: true, summary: 'exit 0', exitCode: 0, output: tail(stdout) });
      const why = firstLine(stderr) || firstLine(stdout);
      const how = code === null ? `killed by ${signal ?? 'a signal'}` : `exit ${code}`;
      finish({ ok: false, summary: why ? `${how}: ${why}` : how, exitCode: code ?? undefined, output: tail(stdout) });
    });
  });
}

async function runHttp(hook: HttpHook, vars: ActVariables, clock: Clock): Promise<HookRun> {
  const { http } = hook;
  const method = (http.method ?? (http.body === undefined ? 'GET' : 'POST')).toUpperCase();
  const url = fillText(http.url, vars, urlValue);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(http.headers ?? {})) headers[k] = fillText(v, vars);
  let body: string | undefined;
  if (http.body !== undefined) {
    body = JSON.stringify(fillJson(http.body, vars));
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  const limit = http.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const abort = new AbortController();
  const timer = systemClock.setTimeout(() => abort.abort(), limit);
  const release = clock.hold(`act hook: ${method} ${url}`);
  try {
    const res = await fetch(url, { method, headers, body, signal: abort.signal });
    const text = tail(await res.text());
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, output: text, summary: ok || !text ? `HTTP ${res.status}` : `HTTP ${res.status}: ${firstLine(text)}` };
  } catch (err) {
    if (abort.signal.aborted) return { ok: false, summary: `${method} ${url} timed out after ${Math.round(limit / 1000)}s` };
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
    return { ok: false, summary: `${method} ${url} failed: ${cause}` };
  } finally {
    timer.cancel();
    release();
  }
}
