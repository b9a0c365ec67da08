import { ChargecheckError } from '../errors.js';

/**
 * A latency histogram with fixed log-scale buckets, the same for every process and every run:
 * merging two histograms is a bucket-wise sum (exact), and percentiles of a merged fleet come
 * from the merged counts, never from averaging per-shard percentiles.
 *
 * Bucket 0 holds values below MIN_MS (including 0). Bucket i (1 ≤ i < LAST) holds
 * [MIN_MS·10^((i-1)/PER_DECADE), MIN_MS·10^(i/PER_DECADE)). Bucket LAST holds everything ≥ MAX_MS.
 * With 40 buckets a decade a percentile is within ±3 % of the true value (bucket's geometric middle),
 * clamped to the exact recorded min and max.
 */
export const HISTOGRAM_SCHEME = 'log10-1us-40';
const MIN_MS = 0.001;
const PER_DECADE = 40;
const DECADES = 9; // 1 µs … 1,000,000 ms (16.7 min)
const LAST = DECADES * PER_DECADE + 1;
export const BUCKET_COUNT = LAST + 1;
const MAX_MS = MIN_MS * 10 ** DECADES;

/** The JSON form: sparse [bucket index, count] pairs plus exact count/sum/min/max. */
export interface HistogramJson {
  scheme: string;
  count: number;
  sumMs: number;
  minMs: number | null;
  maxMs: number | null;
  buckets: [number, number][];
}

export function bucketOf(ms: number): number {
  if (!(ms >= MIN_MS)) return 0; // also NaN and negatives
  if (ms >= MAX_MS) return LAST;
  const i = Math.floor(Math.log10(ms / MIN_MS) * PER_DECADE) + 1;
  return Math.min(Math.max(i, 1), LAST - 1);
}

/** [lower, upper) bounds of bucket i, in ms. */
export function bucketBounds(i: number): [number, number] {
  if (i <= 0) return [0, MIN_MS];
  if (i >= LAST) return [MAX_MS, Number.POSITIVE_INFINITY];
  return [MIN_MS * 10 ** ((i - 1) / PER_DECADE), MIN_MS * 10 ** (i / PER_DECADE)];
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKET_COUNT);
  count = 0;
  sumMs = 0;
  minMs = Number.POSITIVE_INFINITY;
  maxMs = Number.NEGATIVE_INFINITY;

  record(ms: number): void {
    const v = Number.isFinite(ms) && ms > 0 ? ms : 0;
    this.counts[bucketOf(v)]++;
    this.count++;
    this.sumMs += v;
    if (v < this.minMs) this.minMs = v;
    if (v > this.maxMs) this.maxMs = v;
  }

  /** Adds another histogram's counts into this one (exact). */
  merge(other: LatencyHistogram): this {
    for (let i = 0; i < BUCKET_COUNT; i++) this.counts[i] += other.counts[i];
    this.count += other.count;
    this.sumMs += other.sumMs;
    if (other.minMs < this.minMs) this.minMs = other.minMs;
    if (other.maxMs > this.maxMs) this.maxMs = other.maxMs;
    return this;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sumMs = 0;
    this.minMs = Number.POSITIVE_INFINITY;
    this.maxMs = Number.NEGATIVE_INFINITY;
  }

  bucketCount(i: number): number {
    return this.counts[i] ?? 0;
  }

  /** The p-th percentile (0–100) in ms; 0 when empty. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    if (p >= 100) return this.maxMs;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      seen += this.counts[i];
      if (seen >= rank) return this.clamp(representative(i));
    }
    return this.maxMs;
  }

  mean(): number {
    return this.count === 0 ? 0 : this.sumMs / this.count;
  }

  toJSON(): HistogramJson {
    const buckets: [number, number][] = [];
    for (let i = 0; i < BUCKET_COUNT; i++) if (this.counts[i] > 0) buckets.push([i, this.counts[i]]);
    return {
      scheme: HISTOGRAM_SCHEME,
      count: this.count,
      sumMs: this.sumMs,
      minMs: this.count ? this.minMs : null,
      maxMs: this.count ? this.maxMs : null,
      buckets,
    };
  }

  static fromJSON(json: HistogramJson): LatencyHistogram {
    if (!json || json.scheme !== HISTOGRAM_SCHEME || !Array.isArray(json.buckets)) {
      throw new ChargecheckError('SWARM_HISTOGRAM_SCHEME', `latency histogram has scheme ${String(json?.scheme)}, expected ${HISTOGRAM_SCHEME}; summaries from different chargecheck versions cannot be merged exactly`, {
        scheme: json?.scheme,
        expected: HISTOGRAM_SCHEME,
      });
    }
    const h = new LatencyHistogram();
    let total = 0;
    for (const [i, c] of json.buckets) {
      if (!Number.isInteger(i) || i < 0 || i >= BUCKET_COUNT || !(c >= 0)) {
        throw new ChargecheckError('SWARM_HISTOGRAM_SCHEME', `latency histogram bucket [${i}, ${c}] is out of range`, { bucket: i, count: c });
      }
      h.counts[i] += c;
      total += c;
    }
    h.count = total;
    h.sumMs = json.sumMs ?? 0;
    if (total > 0) {
      h.minMs = json.minMs ?? bucketBounds(firstNonZero(h))[0];
      h.maxMs = json.maxMs ?? bucketBounds(lastNonZero(h))[1];
    }
    return h;
  }

  private clamp(v: number): number {
    return Math.min(Math.max(v, this.minMs), this.maxMs);
  }
}

function representative(i: number): number {
  const [lo, hi] = bucketBounds(i);
  if (i === 0) return lo;
  if (!Number.isFinite(hi)) return lo;
  return Math.sqrt(lo * hi);
}

function firstNonZero(h: LatencyHistogram): number {
  for (let i = 0; i < BUCKET_COUNT; i++) if (h.bucketCount(i) > 0) return i;
  return 0;
}

function lastNonZero(h: LatencyHistogram): number {
  for (let i = BUCKET_COUNT - 1; i >= 0; i--) if (h.bucketCount(i) > 0) return i;
  return 0;
}
