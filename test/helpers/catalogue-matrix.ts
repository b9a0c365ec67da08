/**
 * The catalogue's mutation matrix (docs/quirks.md, the table headed `quirk | cases`): each quirk,
 * run through `certify --self --profile ocpp16` on virtual time, fails exactly its documented cases.
 * The 34 runs are split over shards (one test file each) so vitest spreads them over its workers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { QuirkName } from '../../src/chargepoint/quirks.js';
import { certify } from '../../src/harness/certify.js';
import type { CaseVerdict, RunResult } from '../../src/results/model.js';
import { quirksTable } from './quirks-table.js';

const failing = (r: RunResult) => (r.cases ?? []).filter((c) => c.verdict === 'fail').map((c) => c.id).sort();
const brief = (cs: readonly CaseVerdict[]) => cs.filter((c) => c.verdict === 'fail').map((c) => `${c.id}: ${c.evidence[0]?.text ?? ''}`).join('\n');

/** The catalogue table of docs/quirks.md (header `quirk | cases | …`): quirk → case ids. */
export function catalogueTable(): Map<string, string[]> {
  return quirksTable('cases');
}

/** Defines the matrix tests for the quirks whose table row index is `shard` modulo `shards`. */
export function catalogueMatrix(shard: number, shards: number): void {
  describe(`the catalogue mutation matrix (docs/quirks.md), shard ${shard + 1} of ${shards}`, () => {
    const table = [...catalogueTable()].filter((_, i) => i % shards === shard);
    const results = new Map<string, RunResult>();
    beforeAll(async () => {
      // two at a time: virtual time, so the runs only share the CPU
      for (let i = 0; i < table.length; i += 2) {
        const batch = table.slice(i, i + 2).map(([q]) => q as QuirkName);
        const rs = await Promise.all(batch.map((q) => certify({ self: true, profile: 'ocpp16', quirks: [q] })));
        batch.forEach((q, j) => results.set(q, rs[j]));
      }
    }, 240_000);

    it('each quirk fails exactly its documented cases (no quirk passes its cases; no other case fails)', () => {
      expect(table.length).toBeGreaterThan(0);
      for (const [q, ids] of table) {
        const r = results.get(q)!;
        expect(failing(r), `${q}\n${brief(r.cases ?? [])}`).toEqual([...ids].sort());
        expect(r.exitCode).toBe(1);
      }
    });

    it.runIf(table.some(([q]) => q === 'reset-ignored'))('a failing case shows its failing step first, with the frames and what differed', () => {
      const c = results.get('reset-ignored')!.cases!.find((x) => x.id === 'TC_013_CS')!;
      expect(c.verdict).toBe('fail');
      expect(c.evidence[0].text).toMatch(/^step \d+ \(line \d+\) expect BootNotification/);
      expect(c.evidence[0].data).toMatchObject({ code: 'SCENARIO_EXPECT_TIMEOUT' });
    });
  });
}
