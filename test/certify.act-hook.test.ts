/**
 * certify in real-charger mode (RealCharger: evidence only from the charger's own messages after
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
import { ChargerHost } from '../src/host/charger-host.js';
import { consoleLineForAct, runConsoleCommand } from '../src/host/console-commands.js';
import { memoryStateStore } from '../src/host/state-file.js';
import type { RunResult } from '../src/report/model.js';
import { createPki } from '../src/transport/pki.js';

const ID = 'BENCH-SIM-1';
const PASSWORD = '00112233445566778899aabbccddeeff';

let host: ChargerHost | undefined;
afterEach(() => {
  host?.stop();
  host = undefined;
});

export async function benchRun(quirks: QuirkName[] = [], extra: { hookLog?: string[] } = {}): Promise<RunResult> {
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
    nonInteractive: true,
    actHook: hook,
    prompt: () => undefined,
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
    expect(r.certificate?.device).toMatchObject({ id: ID, vendor: 'chargecheck' });
  }, 60_000);
});
