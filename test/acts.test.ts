import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual.js';
import { virtualRunTime } from '../src/harness/run-time.js';
import {
  choosePerformer,
  envName,
  fillJson,
  fillText,
  hookVariables,
  parseHook,
  performAct,
  runHook,
  shellQuote,
  type Act,
  type ActEvidence,
} from '../src/acts/index.js';
import { isChargecheckError } from '../src/errors.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on 127.0.0.1:0 that records requests and answers with `status`. */
async function httpServer(status = 200, answer = '{"ok":true}', onRequest?: () => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      onRequest?.();
      res.writeHead(status, { 'content-type': 'application/json' }).end(answer);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const vars = { chargePointId: "CC 1'x", connectorId: 1, transactionId: 4711 };

describe('templates', () => {
  it('fills text, JSON with typed whole placeholders, and quotes for the shell', () => {
    expect(fillText('cp={{chargePointId}} c={{ connectorId }}', vars)).toBe("cp=CC 1'x c=1");
    expect(fillJson({ tx: '{{transactionId}}', s: 'tx {{transactionId}}', a: ['{{connectorId}}', 2] }, vars)).toEqual({ tx: 4711, s: 'tx 4711', a: [1, 2] });
    expect(shellQuote("a b'c")).toBe(`'a b'\\''c'`);
    expect(shellQuote('CC-1')).toBe('CC-1');
    expect(envName('chargePointId')).toBe('CHARGECHECK_CHARGE_POINT_ID');
  });

  it('names an unknown placeholder and lists the hook variables before anything runs', () => {
    try {
      fillText('{{profileId}}', vars);
      expect.unreachable();
    } catch (err) {
      expect(isChargecheckError(err, 'ACT_TEMPLATE_UNKNOWN')).toBe(true);
      expect((err as Error).message).toContain('{{profileId}} has no value');
    }
    const hook = parseHook({ http: { url: 'http://h/cp/{{chargePointId}}', headers: { a: '{{token}}' }, body: { tx: '{{transactionId}}' } } });
    expect(hookVariables(hook).sort()).toEqual(['chargePointId', 'token', 'transactionId']);
    expect(hookVariables(parseHook(['x', '{{connectorId}}']))).toEqual(['connectorId']);
  });

  it('refuses malformed hooks with ACT_HOOK_INVALID naming where', () => {
    for (const [bad, where] of [
      [{ http: { url: 'ftp://x' } }, 'hooks.limitOff.http.url'],
      [{ http: { url: 'http://x', verb: 'GET' } }, 'hooks.limitOff.http.verb'],
      [{ commnd: 'x' }, 'hooks.limitOff'],
      ['  ', 'hooks.limitOff'],
      [{ command: 'x', timeoutMs: -1 }, 'hooks.limitOff.timeoutMs'],
    ] as const) {
      try {
        parseHook(bad, 'hooks.limitOff');
        expect.unreachable();
      } catch (err) {
        expect(isChargecheckError(err, 'ACT_HOOK_INVALID')).toBe(true);
        expect((err as Error).message.startsWith(`${where}:`)).toBe(true);
      }
    }
  });
});

describe('command hooks (real child processes)', () => {
  it('runs a shell line with quoted values and the variables in the environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-acts-'));
    const file = join(dir, 'out');
    const run = await runHook(parseHook(`printf '%s|%s' {{chargePointId}} "$CHARGECHECK_TRANSACTION_ID" > ${file}`), vars, new VirtualClock());
    expect(run).toMatchObject({ ok: true, summary: 'exit 0', exitCode: 0 });
    expect(readFileSync(file, 'utf8')).toBe("CC 1'x|4711");
  });

  it('runs an argv without a shell and reports stdout', async () => {
    const run = await runHook(parseHook([process.execPath, '-e', 'process.stdout.write(process.argv.slice(1).join(","))', '{{chargePointId}}', '{{connectorId}}']), vars, new VirtualClock());
    expect(run.ok).toBe(true);
    expect(run.output).toBe("CC 1'x,1");
  });

  it('a failing command is ok:false with its exit code and the last stderr line', async () => {
    const run = await runHook(parseHook('echo "CSMS said no" >&2; exit 3'), vars, new VirtualClock());
    expect(run).toMatchObject({ ok: false, exitCode: 3, summary: 'exit 3: CSMS said no' });
    const missing = await runHook(parseHook(['/nonexistent/cc-hook']), vars, new VirtualClock());
    expect(missing.ok).toBe(false);
    expect(missing.summary).toContain('could not start /nonexistent/cc-hook');
  });

  it('kills a command that outlives its time limit on the run clock', async () => {
    const clock = new VirtualClock();
    const pending = runHook({ command: [process.execPath, '-e', 'setInterval(() => {}, 1000); process.stdout.write("up")'], timeoutMs: 5_000 }, vars, clock);
    // Time stands still while the hook holds the clock; the limit fires when the run clock reaches it.
    await new Promise((r) => setImmediate(r));
    clock.advance(5_000);
    const run = await pending;
    expect(run).toMatchObject({ ok: false, summary: 'timed out after 5s' });
  });
});

describe('HTTP hooks (real server on 127.0.0.1:0)', () => {
  it('sends method, templated URL, headers and a typed JSON body', async () => {
    const srv = await httpServer(200, '{"status":"Accepted"}');
    const hook = parseHook({
      http: { method: 'post', url: `${srv.url}/chargers/{{chargePointId}}/stop`, headers: { authorization: 'Bearer {{token}}' }, body: { transactionId: '{{transactionId}}', note: 'cp {{chargePointId}}' } },
    });
    const run = await runHook(hook, { ...vars, token: 't0k' }, new VirtualClock());
    expect(run).toMatchObject({ ok: true, status: 200, summary: 'HTTP 200', output: '{"status":"Accepted"}' });
    expect(srv.seen).toHaveLength(1);
    const [req] = srv.seen;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/chargers/CC%201\'x/stop');
    expect(req!.headers.authorization).toBe('Bearer t0k');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req!.body)).toEqual({ transactionId: 4711, note: "cp CC 1'x" });
  });

  it('a non-2xx answer and an unreachable API are failures with the reason', async () => {
    const srv = await httpServer(409, 'charger CC-1 is not connected');
    const run = await runHook(parseHook({ http: { url: `${srv.url}/x` } }), vars, new VirtualClock());
    expect(run).toMatchObject({ ok: false, status: 409, summary: 'HTTP 409: charger CC-1 is not connected' });
    expect(srv.seen[0]!.method).toBe('GET');
    const dead = await httpServer();
    await closers.pop()!();
    const down = await runHook(parseHook({ http: { url: `${dead.url}/x` } }), vars, new VirtualClock());
    expect(down.ok).toBe(false);
    expect(down.summary).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/x failed: .*ECONNREFUSED/);
  });
});

/** Evidence as a flag, waited for on the virtual clock the way a run waits. */
function flagEvidence(clock: VirtualClock): ActEvidence & { set(): void } {
  let seen = false;
  const time = virtualRunTime(clock);
  return { met: () => seen, set: () => (seen = true), wait: (pred, ms, what) => time.waitUntil(pred, ms, what) };
}

const limitOff: Act = { kind: 'csms.limitOff', connectorId: 1, sentence: 'make the CSMS switch charging off for {{chargePointId}}', evidence: 'a SetChargingProfile with limit 0', windowMs: 60_000 };

describe('performAct', () => {
  it('own: chargecheck performs it and the evidence arrives', async () => {
    const clock = new VirtualClock();
    const ev = flagEvidence(clock);
    const start = clock.now();
    const out = await performAct(limitOff, { kind: 'own', perform: async () => void clock.setTimeout(ev.set, 2_000) }, { clock, vars, evidence: ev });
    expect(out).toMatchObject({ done: true, performer: 'own', reason: '' });
    expect(clock.now() - start).toBe(2_000);
  });

  it('wait: a peer that never acts is named for it after the window', async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const out = await performAct(limitOff, { kind: 'wait' }, { clock, vars, evidence: flagEvidence(clock) });
    expect(out.done).toBe(false);
    expect(out.reason).toBe('the peer did not do it by itself: no a SetChargingProfile with limit 0 within 60s');
    expect(clock.now() - start).toBe(60_000);
  });

  it('hook: an HTTP API that makes the peer act is done; one that fails ends the wait at once', async () => {
    const clock = new VirtualClock();
    const ev = flagEvidence(clock);
    const api = await httpServer(200, '{}', ev.set);
    const good = await performAct(limitOff, { kind: 'hook', hook: parseHook({ http: { method: 'POST', url: `${api.url}/off/{{chargePointId}}` } }) }, { clock, vars, evidence: ev });
    expect(good).toMatchObject({ done: true, performer: 'hook' });
    expect(api.seen[0]!.url).toBe('/off/CC%201\'x');

    const clock2 = new VirtualClock();
    const start = clock2.now();
    const bad = await performAct(limitOff, { kind: 'hook', hook: parseHook('echo no such charger >&2; exit 4') }, { clock: clock2, vars, evidence: flagEvidence(clock2) });
    expect(bad.done).toBe(false);
    expect(bad.reason).toBe('the hook failed (exit 4: no such charger), so the act never came about');
    expect(clock2.now() - start).toBeLessThan(60_000);
  });

  it('own: chargecheck failing to act is reported as ours, not the peer’s', async () => {
    const clock = new VirtualClock();
    const out = await performAct(limitOff, { kind: 'own', perform: () => Promise.reject(new Error('RPC_CLOSED')) }, { clock, vars, evidence: flagEvidence(clock) });
    expect(out).toMatchObject({ done: false, ownError: 'RPC_CLOSED', reason: 'chargecheck could not perform it: RPC_CLOSED' });
  });

  it('prompt: a log without a TTY gets the filled sentence at once and then every 10 s until the evidence', async () => {
    const clock = new VirtualClock();
    const ev = flagEvidence(clock);
    const lines: string[] = [];
    clock.setTimeout(ev.set, 25_000);
    const out = await performAct(limitOff, { kind: 'prompt' }, { clock, vars, evidence: ev, promptOutput: { write: (t: string) => lines.push(t), isTTY: false } });
    expect(out).toMatchObject({ done: true, performer: 'prompt' });
    expect(lines).toEqual([
      "ACT: make the CSMS switch charging off for CC 1'x (waiting for a SetChargingProfile with limit 0) — 1:00 left\n",
      "ACT: make the CSMS switch charging off for CC 1'x (waiting for a SetChargingProfile with limit 0) — 0:50 left\n",
      "ACT: make the CSMS switch charging off for CC 1'x (waiting for a SetChargingProfile with limit 0) — 0:40 left\n",
    ]);
  });

  it('prompt on a TTY rewrites one line every second and clears it', async () => {
    const clock = new VirtualClock();
    const ev = flagEvidence(clock);
    const writes: string[] = [];
    clock.setTimeout(ev.set, 3_500);
    await performAct(limitOff, { kind: 'prompt' }, { clock, vars, evidence: ev, promptOutput: { write: (t: string) => writes.push(t), isTTY: true } });
    expect(writes.filter((w) => w.includes('left')).map((w) => w.slice(-9))).toEqual(['1:00 left', '0:59 left', '0:58 left', '0:57 left']);
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });
});

describe('choosePerformer', () => {
  const hook = parseHook('true');
  it('prefers a configured hook, then chargecheck itself, then the peer on its own, then a person', () => {
    const own = () => async () => {};
    expect(choosePerformer('csms.limitOff', { hooks: { 'csms.limitOff': hook }, own, selfActs: ['csms.limitOff'], interactive: true })).toMatchObject({ ok: true, performer: { kind: 'hook' } });
    expect(choosePerformer('csms.limitOff', { own, selfActs: ['csms.limitOff'], interactive: true })).toMatchObject({ ok: true, performer: { kind: 'own' } });
    expect(choosePerformer('csms.limitOff', { own: () => undefined, selfActs: ['csms.limitOff'], interactive: true })).toMatchObject({ ok: true, performer: { kind: 'wait' } });
    expect(choosePerformer('csms.limitOff', { interactive: true })).toMatchObject({ ok: true, performer: { kind: 'prompt' } });
    const none = choosePerformer('csms.limitOff', {});
    expect(none.ok).toBe(false);
    expect(!none.ok && none.reason).toContain("nothing performs 'csms.limitOff' here");
  });
});
