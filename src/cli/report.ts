import type { Command } from 'commander';
import { mergeSummaryDirs } from '../swarm/summary-files.js';
import { EXIT } from './exit-codes.js';
import { cliIo } from './io.js';

export function registerReportCommand(program: Command, setExit: (code: number) => void): void {
  const report = program.command('report').description('work with reports');
  report
    .command('merge')
    .description('merge swarm shard summaries (latency histograms summed bucket by bucket, percentiles from the merged histogram)')
    .argument('<dirs...>', 'shard summary files or folders (a folder of shard folders works too)')
    .option('--out <dir>', 'where the merged summary.json and summary.html go', 'swarm-report')
    .action(async (dirs: string[], opts: { out: string }) => {
      const merged = await mergeSummaryDirs(dirs, opts.out);
      cliIo().stdout.write(
        `merged ${merged.shards.length} shard(s): chargers ${merged.chargers} · connected ${merged.connected} · errors ${merged.errors} · p99 ${merged.latencyMs.p99.toFixed(1)} ms → ${opts.out}/summary.json\n`,
      );
      setExit(EXIT.OK);
    });
}
