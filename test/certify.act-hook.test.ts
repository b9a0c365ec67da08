/**
 * certify in real-charger mode (RealChargerUnderTest: evidence only from the charger's own messages after
 * each act) with every act performed through an act hook that types console commands into the
 * charger — what a test bench does with `--act-hook` and `chargecheck simulate`. Here in-process
 * on virtual time (fast); acceptance/certify-simulate.test.ts does it in real time with simulate
 * in another process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { QuirkName } from '../src/chargepoint/quirks.js';
import { VirtualClock } from '../src/clock/virtual.js';
import type { ActHook } from '../src/harness/certify-act-hook.js';
import { certify } from '../src/harness/certify.js';
import { actHookFrom } from '../src/harness/certify-act-hook.js';
import { systemClock } from '../src/clock/system.js';
import { createServer } from 'node:http';
import { ChargerHost } from '../src/host/charger-host.js';
import { consoleLineForAct, runConsoleCommand } from '../src/host/console-commands.js';
import { memoryStateStore } from '../src/host/state-file.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJsonReporter } from '../src/report/json/json-reporter.js';
import { renderHtml } from '../src/report/html/render-html.js';
import type { Reporter, RunResult } from '../src/results/model.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createPki } from '../src/transport/pki.js';

const ID = 'BENCH-SIM-1';
const PASSWORD = '00112233445566778899aabbccddeeff';

let host: ChargerHost | undefined;
afterEach(() => {
  host?.stop();
  host = undefined;
});

export async function benchRun(quirks: QuirkName[] = [], extra: { hookLog?: string[]; deadlineMs?: number; reporters?: Reporter[]; operator?: (prompt: string) => string | undefined } = {}): Promise<RunResult> {
  const pki = await createPki();
  const clock = new VirtualClock(Date.UTC(2026, 4, 4, 10, 0, 0), { stuckMs: 2_000 });
  const hook: ActHook = async (req) => {
    const line = consoleLineForAct(req.act, req.connector, req.detail);
    extra.hookLog?.push(line);
    if (!host) return { ok: false, detail: 'no charger' };
    return { ok: true, detail: String(await runConsoleCommand(host, line)) };
  };
  return certify({
    chargePointId: ID,
    password: PASSWORD,
    cert: pki.server,
    clock,
    nonInteractive: !extra.operator,
    actHook: extra.operator ? undefined : hook,
    deadlineMs: extra.deadlineMs,
    reporters: extra.reporters,
    // an operator reading the prompt and doing what it says (through the console)
    prompt: (text) => {
      const line = extra.operator?.(text);
      if (line && host) void runConsoleCommand(host, line);
    },
    onListening: (url) => {
      host = new ChargerHost({ id: ID, clock, csmsUrl: url.slice(0, url.lastIndexOf('/')), authorizationKey: PASSWORD, ca: pki.ca.cert, quirks, state: memoryStateStore(), backoff: { baseMs: 1_000, capMs: 10_000 } });
      host.start();
    },
  });
}

const detail = (r: RunResult) => (r.requirements ?? []).map((v) => `${v.id}: ${v.verdict} — ${v.evidence.map((e) => e.text).join(' | ')}`).join('\n');
const failing = (r: RunResult) => (r.requirements ?? []).filter((v) => v.verdict === 'fail').map((v) => v.id).sort();

describe('certify a charger on the bench, acts through the act hook (virtual time)', () => {
  it('the conformant charger passes every requirement with its acts done by the hook', async () => {
    const log: string[] = [];
    const r = await benchRun([], { hookLog: log });
    expect(failing(r), detail(r)).toEqual([]);
    expect(r.scenarios.filter((s) => s.status !== 'passed').map((s) => `${s.name}: ${s.steps.find((x) => x.status !== 'passed')?.failure?.message ?? ''}`)).toEqual([]);
    expect(r.exitCode, detail(r)).toBe(0);
    expect(log).toEqual(expect.arrayContaining(['plug 1', 'tag RFID-0001 1', 'ev 1 full', 'ev 1 pause', 'fault 1 GroundFailure', 'clear 1', 'offline', 'online', 'unplug 1']));
    expect(r.certificate?.device).toMatchObject({ id: ID, vendor: 'chargecheck', model: 'VirtualCP-1', serialNumber: 'VCP-0001', firmwareVersion: '2.0.0', meterType: 'virtual-meter' });
    expect(r.certificate?.listener).toMatchObject({ certificate: 'given', tlsVersions: ['TLSv1.2'], authForms: ['hex'] });
    // the certificate names the device and the session; power is drawn as steps between samples
    const html = renderHtml(r);
    for (const text of ['<dt>Device</dt><dd>chargecheck VirtualCP-1</dd>', '<dt>Serial number</dt><dd>VCP-0001</dd>', '<dt>Firmware</dt><dd>2.0.0</dd>', '<dt>Session</dt>', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']) expect(html).toContain(text);
    expect(html).not.toContain('<h2>Failures</h2>');
    const polyline = /<polyline class="power" points="([^"]+)"/.exec(html)![1].split(' ').map((p) => p.split(',').map(Number));
    expect(polyline.some(([x, y], i) => i > 0 && x === polyline[i - 1][0] && y !== polyline[i - 1][1])).toBe(true);
  }, 60_000);

  it('an operator who does exactly what each prompt says: every act is asked for with its evidence, and the charger passes', async () => {
    const prompts: string[] = [];
    const operator = (text: string): string | undefined => {
      prompts.push(text);
      const rules: [RegExp, (m: RegExpExecArray) => string][] = [
        [/^Plug an EV into connector (\d+)\./, (m) => `plug ${m[1]}`],
        [/^Unplug the EV from connector (\d+)\./, (m) => `unplug ${m[1]}`],
        [/^Present the card (\S+) at connector (\d+)\./, (m) => `tag ${m[1]} ${m[2]}`],
        [/^Cause a fault on connector (\d+) .*; (\w+)\)/, (m) => `fault ${m[1]} ${m[2]}`],
        [/^Clear the fault on connector (\d+)\./, (m) => `clear ${m[1]}`],
        [/^Let the EV on connector (\d+) become full/, (m) => `ev ${m[1]} full`],
        [/^Pause charging from the car on connector (\d+)\./, (m) => `ev ${m[1]} pause`],
        [/^Disconnect the charger from the network/, () => 'offline'],
        [/^Reconnect the charger to the network/, () => 'online'],
      ];
      for (const [re, f] of rules) {
        const m = re.exec(text);
        if (m) return f(m);
      }
      return undefined;
    };
    const r = await benchRun([], { operator });
    expect(failing(r), detail(r)).toEqual([]);
    expect(r.exitCode, detail(r)).toBe(0);
    const acts = prompts.filter((p) => !/^(Point the charger|\d+ scenarios)/.test(p));
    expect(acts.filter((p) => !/ Evidence: .+\.$| You have 30 s\.\)$/.test(p)), acts.join('\n')).toEqual([]);
    expect(acts).toContain('Let the EV on connector 1 become full (end of charge: it stops drawing power). Evidence: StatusNotification other than Charging, or MeterValues at ≤ 50 W, for connector 1.');
    expect(acts.some((p) => p.startsWith('Unplug the EV from connector 1. (The charger is offline'))).toBe(true);
  }, 60_000);

  it('a charger whose BootNotification trigger is rejected once Accepted (errata v4.0) passes PLT-RT-1 through the Pending boot', async () => {
    const r = await benchRun(['reject-trigger-boot-accepted']);
    const rt1 = (r.requirements ?? []).find((v) => v.id === 'PLT-RT-1')!;
    expect(rt1.verdict, detail(r)).toBe('pass');
    // scenario 03's scripted Pending answer reached the boot after the Reset (it was lost on the old session before)
    const s03 = r.scenarios.find((s) => s.name.startsWith('TriggerMessage BootNotification'))!;
    expect(s03.frames.map((f) => f.raw).join('\n')).toMatch(/"status":"Pending"/);
  }, 60_000);

  it('--deadline: stops cleanly, reports what was recorded, the unrun scenarios skipped and their requirements not tested (exit 1: certification incomplete)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'certify-deadline-'));
    const r = await benchRun([], { deadlineMs: 7 * 60_000, reporters: [createJsonReporter({ outDir: out })] });
    expect(r.exitCode).toBe(1);
    expect(r.certificate?.interrupted?.reason).toMatch(/deadline/);
    const statuses = r.scenarios.map((s) => s.status);
    expect(statuses.slice(0, 3)).toEqual(['passed', 'passed', 'passed']);
    expect(statuses).toContain('skipped');
    const byId = Object.fromEntries((r.requirements ?? []).map((v) => [v.id, v.verdict]));
    expect(byId['PLT-TLS-1']).toBe('pass');
    expect(byId['PLT-FW-1']).toBe('not-tested');
    expect(byId['PLT-NF-1']).toBe('not-tested');
    const written = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { exitCode: number; scenarios: { status: string }[] };
    expect(written.exitCode).toBe(1);
    expect(written.scenarios.length).toBe(r.scenarios.length);
  }, 60_000);
});

/** The "Real-mode quirks" table of docs/quirks.md: quirk → breaks, first evidence. */
function realModeTable(): { quirk: QuirkName; breaks: string[]; first: string }[] {
  const text = readFileSync(join(import.meta.dirname, '..', 'docs', 'quirks.md'), 'utf8').split('## Real-mode quirks')[1];
  const rows = text.split('\n').filter((l) => /^\| `[a-z-]+` \|/.test(l));
  return rows.map((l) => {
    const [q, b, f] = l.split('|').slice(1, -1).map((c) => c.trim());
    return { quirk: q.replace(/`/g, '') as QuirkName, breaks: b === 'none' ? [] : b.split(',').map((s) => s.trim()), first: f };
  });
}

describe('real-mode quirks (docs/quirks.md): each breaks exactly its ids, with the documented first evidence', () => {
  it.each(realModeTable().map((r) => [r.quirk, r]))('%s', async (_q, row) => {
    const r = await benchRun([row.quirk]);
    expect(failing(r), detail(r)).toEqual([...row.breaks].sort());
    const quoted = /`([^`…]+)/.exec(row.first)?.[1]?.trim() ?? '';
    expect(quoted.length).toBeGreaterThan(5);
    if (row.breaks.length) {
      const first = (r.requirements ?? []).find((v) => v.id === row.breaks[0])!;
      expect(first.evidence[0].ok).toBe(false);
      expect(first.evidence[0].text, detail(r)).toContain(quoted);
      expect(r.exitCode).toBe(1);
    } else {
      const id = /PLT-[A-Z]+-\d/.exec(row.first)![0];
      const v = (r.requirements ?? []).find((x) => x.id === id)!;
      expect(v.verdict).toBe('pass');
      expect(v.evidence[0].text, detail(r)).toContain(quoted);
      expect(r.exitCode).toBe(0);
    }
  }, 60_000);
});

describe('--act-hook forms (src/acts underneath)', () => {
  const req = { act: 'present-id-tag', connector: 1, chargePointId: 'CP 1', detail: { tag: "RFID'1" }, prompt: 'Present the card' };

  it('a command gets <act> <connector> <json> as three words, and the values in its environment; exit 0 = done', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'act-hook-'));
    const out = join(dir, 'args');
    const hook = actHookFrom(`sh -c 'printf "%s|" "$CHARGECHECK_CHARGE_POINT_ID" "$@" > ${out}' hook`, systemClock);
    expect(await hook(req, 5_000)).toMatchObject({ ok: true, detail: 'exit 0' });
    const [id, act, connector, json] = readFileSync(out, 'utf8').split('|');
    expect([id, act, connector]).toEqual(['CP 1', 'present-id-tag', '1']);
    expect(JSON.parse(json)).toMatchObject({ act: 'present-id-tag', connector: 1, detail: { tag: "RFID'1" } });
    expect(await actHookFrom('exit 3', systemClock)(req, 5_000)).toMatchObject({ ok: false, detail: 'exit 3' });
  });

  it('a URL gets the act as a JSON POST; 2xx = done, anything else is the hook failing', async () => {
    const bodies: unknown[] = [];
    let status = 204;
    const server = createServer((rq, rs) => {
      let b = '';
      rq.on('data', (d: Buffer) => (b += d.toString()));
      rq.on('end', () => {
        bodies.push(JSON.parse(b));
        rs.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/act`;
    try {
      expect(await actHookFrom(url, systemClock)(req, 5_000)).toMatchObject({ ok: true, detail: 'HTTP 204' });
      expect(bodies[0]).toEqual({ act: 'present-id-tag', connector: 1, chargePointId: 'CP 1', prompt: 'Present the card', detail: { tag: "RFID'1" } });
      status = 503;
      expect(await actHookFrom(url, systemClock)(req, 5_000)).toMatchObject({ ok: false, detail: 'HTTP 503' });
    } finally {
      server.close();
    }
  });
});
