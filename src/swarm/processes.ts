import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ChargecheckError } from '../errors.js';
import { readSummaryFile, writeSummaryFiles } from './summary-files.js';
import { mergeSummaries, type SwarmSummary } from './summary.js';

export interface ProcessesOptions {
  /** N: shard processes to start (each runs `swarm --shard I/N`). */
  processes: number;
  /** The swarm arguments every shard gets (without --shard, --out, --processes). */
  args: readonly string[];
  /** Shards write OUT/shard-I; the merged summary goes to OUT. */
  outDir: string;
  /** Each child's output line, prefixed with its shard. */
  onLine?: (shard: string, line: string) => void;
  /** Passed on to every child as SIGINT: they end early and still write their summaries. */
  signal?: AbortSignal;
  /** The CLI entry to run (default: this package's bin/chargecheck.js). */
  cli?: string;
}

export interface ProcessesResult {
  merged: SwarmSummary;
  shards: SwarmSummary[];
  /** Each shard's exit code, in shard order. */
  exitCodes: (number | null)[];
}

const DEFAULT_CLI = fileURLToPath(new URL('../../bin/chargecheck.js', import.meta.url));

/**
 * `swarm --processes N`: N shards of one fleet as N child processes on this machine (each has its
 * own fd table, heap and event loop), merged exactly as `report merge` merges the pods of a
 * Kubernetes Indexed Job. A shard that wrote no summary is reported missing by the merge.
 */
export async function runSwarmProcesses(o: ProcessesOptions): Promise<ProcessesResult> {
  if (!Number.isInteger(o.processes) || o.processes < 1) {
    throw new ChargecheckError('SWARM_BAD_OPTION', `--processes must be a positive integer, got ${o.processes}`, { option: 'processes' });
  }
  const n = o.processes;
  const children: ChildProcess[] = [];
  const exits: Promise<number | null>[] = [];
  for (let i = 0; i < n; i++) {
    const shard = `${i}/${n}`;
    const child = spawn(process.execPath, [o.cli ?? DEFAULT_CLI, 'swarm', ...o.args, '--shard', shard, '--out', join(o.outDir, `shard-${i}`)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => o.onLine?.(shard, line));
    }
    exits.push(
      new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.once('error', () => resolve(null));
      }),
    );
  }
  const interrupt = (): void => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGINT');
  };
  o.signal?.addEventListener('abort', interrupt, { once: true });
  const exitCodes = await Promise.all(exits);
  o.signal?.removeEventListener('abort', interrupt);
  const shards: SwarmSummary[] = [];
  for (let i = 0; i < n; i++) {
    const s = await readSummaryFile(join(o.outDir, `shard-${i}`, 'summary.json')).catch(() => undefined);
    if (s) shards.push(s);
  }
  if (shards.length === 0) {
    throw new ChargecheckError('SWARM_NO_SUMMARY', `none of the ${n} swarm processes wrote a summary (exit codes ${exitCodes.join(', ')})`, { exitCodes });
  }
  const merged = mergeSummaries(shards);
  await writeSummaryFiles(o.outDir, merged);
  return { merged, shards, exitCodes };
}
