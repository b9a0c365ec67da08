/**
 * The mutation matrix (docs/quirks.md): our virtual charger passes certify, and each quirk makes
 * certify fail exactly the requirements in the **breaks** column of the quirks table — no more,
 * no fewer. The table is read from the document, so the doc and the behaviour cannot drift apart.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE_ONLY_QUIRKS, QUIRK_NAMES, SECURITY_QUIRKS, type QuirkName } from '../src/chargepoint/quirks.js';
import { REQUIREMENT_IDS } from '../src/conformance/requirements.js';
import { certify } from '../src/harness/certify.js';
import type { RequirementVerdict } from '../src/results/model.js';
import { ROOT, runMain } from './helpers/cli.js';
import { quirksTable as quirksTableOf } from './helpers/quirks-table.js';

/** quirk name → the ids of its **breaks** cell, from the platform table in docs/quirks.md. */
const quirksTable = (): Map<string, string[]> => quirksTableOf('breaks');

const failing = (vs: readonly RequirementVerdict[]) => vs.filter((v) => v.verdict === 'fail').map((v) => v.id).sort();
const brief = (vs: readonly RequirementVerdict[]) => vs.map((v) => `${v.id}: ${v.verdict} — ${v.evidence[0]?.text ?? '(no evidence)'}`).join('\n');

const table = quirksTable();
/** The section "Real-mode quirks" of docs/quirks.md (test/certify.act-hook.test.ts checks it). */
const REAL_MODE_TABLE = readFileSync(join(ROOT, 'docs/quirks.md'), 'utf8').split('## Real-mode quirks')[1] ?? '';
/** The quirks of the platform table: the OCPP 1.6 catalogue's own and the security whitepaper's break catalogue cases, not platform requirements (their own tables in docs/quirks.md). */
const PLATFORM_QUIRKS = QUIRK_NAMES.filter((q) => !CATALOGUE_ONLY_QUIRKS.includes(q) && !SECURITY_QUIRKS.has(q));

describe('docs/quirks.md table', () => {
  it('has exactly one row per quirk of the virtual charger, each naming real requirement ids', () => {
    expect([...table.keys()].sort()).toEqual([...PLATFORM_QUIRKS].sort());
    for (const [quirk, ids] of table) {
      const realMode = /^\| `[^`]+` \| /m.test(REAL_MODE_TABLE) && REAL_MODE_TABLE.includes(`\`${quirk}\``);
      expect(ids.length > 0 || realMode, `${quirk} breaks nothing and has no row in the real-mode table`).toBe(true);
      for (const id of ids) expect(REQUIREMENT_IDS.has(id), `${quirk}: unknown id ${id}`).toBe(true);
    }
  });
});

describe('certify --self: the conformant charger', () => {
  it('passes: exit 0, every required and conditional requirement pass, nothing fails', async () => {
    const result = await certify({ self: true });
    const vs = result.requirements ?? [];
    expect(vs.length).toBe(REQUIREMENT_IDS.size);
    expect(result.exitCode, brief(vs)).toBe(0);
    expect(failing(vs)).toEqual([]);
    const mustPass = vs.filter((v) => v.level === 'required' || v.level === 'conditional');
    expect(mustPass.filter((v) => v.verdict !== 'pass').map((v) => `${v.id}: ${v.verdict}`)).toEqual([]);
    for (const v of mustPass) expect(v.evidence.length, `${v.id} passed without evidence`).toBeGreaterThan(0);
  });
});

describe('certify --self --quirk: each quirk fails exactly its documented requirements', () => {
  it.each(PLATFORM_QUIRKS.map((q) => [q]))('%s', async (quirk: QuirkName) => {
    const documented = table.get(quirk);
    if (!documented) throw new Error(`docs/quirks.md has no row for quirk ${quirk}`);
    const result = await certify({ self: true, quirks: [quirk] });
    const vs = result.requirements ?? [];
    expect(failing(vs), brief(vs)).toEqual([...documented].sort());
    expect(result.exitCode).toBe(documented.length ? 1 : 0);
  });
});

describe('chargecheck certify --self (child process)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'certify-self-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 with every requirement in the terminal summary', async () => {
    const t0 = performance.now();
    const res = await runMain(['certify', '--self'], { cwd: dir });
    const wallMs = performance.now() - t0;
    console.log(`chargecheck certify --self: exit ${res.code} in ${(wallMs / 1000).toFixed(2)} s wall time (child process, incl. Node start-up)`);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    for (const id of REQUIREMENT_IDS) expect(res.stdout).toContain(id);
  });
});
