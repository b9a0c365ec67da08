import { describe, expect, it } from 'vitest';
import { bucketBounds, bucketOf, BUCKET_COUNT, LatencyHistogram } from '../src/swarm/histogram.js';
import { chargerId, parseShard, shardIds, shardRange } from '../src/swarm/shard.js';
import { isChargecheckError } from '../src/errors.js';

/** A small deterministic PRNG so the property tests are repeatable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample(random: () => number): number {
  return Math.exp(random() * 12 - 4); // ~0.02 ms … 8 s, log-uniform
}

describe('LatencyHistogram', () => {
  it('puts every value in the bucket whose bounds hold it', () => {
    const random = rng(1);
    for (let k = 0; k < 10_000; k++) {
      const v = sample(random);
      const [lo, hi] = bucketBounds(bucketOf(v));
      expect(v).toBeGreaterThanOrEqual(lo * (1 - 1e-12));
      expect(v).toBeLessThan(hi * (1 + 1e-12));
    }
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(-3)).toBe(0);
    expect(bucketOf(Number.NaN)).toBe(0);
    expect(bucketOf(1e12)).toBe(BUCKET_COUNT - 1);
  });

  it('percentiles are within 3 % of the exact ones', () => {
    const random = rng(2);
    const h = new LatencyHistogram();
    const values: number[] = [];
    for (let k = 0; k < 50_000; k++) {
      const v = sample(random);
      values.push(v);
      h.record(v);
    }
    values.sort((a, b) => a - b);
    for (const p of [50, 90, 95, 99, 99.9]) {
      const exact = values[Math.ceil((p / 100) * values.length) - 1];
      expect(Math.abs(h.percentile(p) - exact) / exact).toBeLessThan(0.03);
    }
    expect(h.percentile(100)).toBe(values[values.length - 1]);
    expect(h.percentile(0)).toBe(values[0]);
    expect(new LatencyHistogram().percentile(99)).toBe(0);
  });

  it('merge is exact: merging shards equals recording everything in one histogram', () => {
    const random = rng(3);
    const whole = new LatencyHistogram();
    const shards = [new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()];
    for (let k = 0; k < 30_000; k++) {
      // shards see different distributions, so averaging their percentiles would be wrong
      const shard = k % 3;
      const v = sample(random) * (shard + 1) ** 3;
      whole.record(v);
      shards[shard].record(v);
    }
    const viaJson = shards.map((s) => LatencyHistogram.fromJSON(JSON.parse(JSON.stringify(s.toJSON()))));
    const merged = viaJson.reduce((acc, s) => acc.merge(s), new LatencyHistogram());
    expect(merged.toJSON()).toEqual({ ...whole.toJSON(), sumMs: merged.sumMs });
    expect(Math.abs(merged.sumMs - whole.sumMs) / whole.sumMs).toBeLessThan(1e-12); // float addition order
    for (const p of [50, 95, 99]) expect(merged.percentile(p)).toBe(whole.percentile(p));
    // order does not matter
    const reversed = [...viaJson].reverse().reduce((acc, s) => acc.merge(s), new LatencyHistogram());
    expect(reversed.toJSON().buckets).toEqual(merged.toJSON().buckets);
  });

  it('refuses a histogram of another scheme', () => {
    let code = '';
    try {
      LatencyHistogram.fromJSON({ scheme: 'linear', count: 0, sumMs: 0, minMs: null, maxMs: null, buckets: [] });
    } catch (err) {
      if (isChargecheckError(err)) code = err.code;
    }
    expect(code).toBe('SWARM_HISTOGRAM_SCHEME');
  });
});

describe('shards', () => {
  it('parses I/N numbered from 0 and refuses the rest', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 0 / 1 ')).toEqual({ index: 0, count: 1 });
    for (const bad of ['4/4', '1/0', 'a/b', '1', '-1/3', '']) {
      expect(() => parseShard(bad)).toThrow(expect.objectContaining({ code: 'SWARM_BAD_SHARD' }));
    }
  });

  it('every id is in exactly one shard, and the slices differ by at most one', () => {
    for (const total of [1, 2, 7, 10, 99, 1_000, 12_345]) {
      for (const count of [1, 2, 3, 4, 7, 16]) {
        const seen = new Map<string, number>();
        const sizes: number[] = [];
        for (let index = 0; index < count; index++) {
          const ids = shardIds('P', total, { index, count });
          sizes.push(ids.length);
          for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
        }
        expect(seen.size).toBe(total);
        expect([...seen.values()].every((n) => n === 1)).toBe(true);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
    expect(shardRange(10, { index: 1, count: 3 })).toEqual({ first: 4, last: 6 });
    expect(chargerId('P', 1)).toBe('P00001');
    expect(chargerId('CP-', 123_456)).toBe('CP-123456');
  });
});
