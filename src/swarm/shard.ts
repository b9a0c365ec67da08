import { ChargecheckError } from '../errors.js';

/** Shard `index` of `count`, numbered from 0 like Kubernetes' JOB_COMPLETION_INDEX. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export const WHOLE_FLEET: Shard = { index: 0, count: 1 };

/** Parses `I/N` (0 ≤ I < N). Throws SWARM_BAD_SHARD. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new ChargecheckError('SWARM_BAD_SHARD', `--shard must look like I/N (e.g. 0/4), got "${text}"`, { shard: text });
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new ChargecheckError('SWARM_BAD_SHARD', `--shard ${text}: N must be at least 1`, { shard: text });
  if (index >= count) {
    throw new ChargecheckError('SWARM_BAD_SHARD', `--shard ${text}: shards are numbered 0…${count - 1} (like JOB_COMPLETION_INDEX)`, { shard: text });
  }
  return { index, count };
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * The fleet numbers (1-based, inclusive range) that shard I of N runs: contiguous slices whose
 * sizes differ by at most one, so every number 1…total is in exactly one shard.
 */
export function shardRange(total: number, shard: Shard): { first: number; last: number } {
  const start = Math.floor((shard.index * total) / shard.count);
  const end = Math.floor(((shard.index + 1) * total) / shard.count);
  return { first: start + 1, last: end };
}

/** Charge point id number n with the prefix: P00001 (at least five digits, more when needed). */
export function chargerId(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(5, '0')}`;
}

/** The ids shard I of N runs. */
export function shardIds(prefix: string, total: number, shard: Shard): string[] {
  const { first, last } = shardRange(total, shard);
  const ids: string[] = [];
  for (let n = first; n <= last; n++) ids.push(chargerId(prefix, n));
  return ids;
}
