import type { Command } from 'commander';
import { ChargecheckError } from '../errors.js';
import { runSwarm } from '../swarm/fleet.js';
import { formatProgress } from '../swarm/progress-line.js';
import { parseShard } from '../swarm/shard.js';
import { writeSummaryFiles } from '../swarm/summary-files.js';
import { loadSwarmPattern } from '../swarm/swarm-scenario.js';
import { EXIT } from './exit-codes.js';
import { checkEndpointUrl } from './endpoint-url.js';
import { cliIo } from './io.js';
import { readCertificatePem } from './pem.js';
import { interruptOnSignals, SIGNAL_EXIT } from './shutdown.js';

interface SwarmOpts {
  csms: string;
  count: string;
  ramp: string;
  idPrefix: string;
  password?: string;
  ca?: string;
  scenario?: string;
  duration: string;
  shard?: string;
  out: string;
  insecure: boolean;
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ChargecheckError('CLI_BAD_NUMBER', `${flag} takes a positive number, got '${value}'`);
  return n;
}

export function registerSwarmCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('swarm')
    .description('many virtual chargers against a CSMS: boots, heartbeats, a daily charging pattern, 60-s MeterValues; live latency; summary.json + summary.html')
    .requiredOption('--csms <url>', 'CSMS endpoint, e.g. wss://csms.example/ocpp (ids are appended)')
    .requiredOption('--count <n>', 'fleet size N (all shards together)')
    .option('--ramp <per-second>', 'new connections per second (this process)', '50')
    .option('--id-prefix <p>', 'ids are P00001, P00002, …', 'P')
    .option('--password <pw>', 'Basic-auth password every charger sends')
    .option('--ca <file>', 'CA certificate (PEM) for the CSMS certificate')
    .option('--scenario <file>', 'YAML/JSON overriding the built-in daily pattern')
    .option('--duration <seconds>', 'run length from the first connect', '300')
    .option('--shard <i/n>', 'run only the I-th of N slices of the ids (0-based, as a Kubernetes Indexed Job)')
    .option('--out <dir>', 'where summary.json and summary.html go', 'swarm-report')
    .option('--insecure', 'allow a ws:// endpoint', false)
    .action(async (opts: SwarmOpts) => {
      const count = positive(opts.count, '--count');
      if (!Number.isInteger(count)) throw new ChargecheckError('CLI_BAD_NUMBER', `--count takes a whole number, got '${opts.count}'`);
      const csms = checkEndpointUrl(opts.csms, opts.insecure);
      const ca = opts.ca ? await readCertificatePem(opts.ca, 'CA certificate') : undefined;
      const io = cliIo();
      const interruption = interruptOnSignals('the swarm');
      const live = io.stdout.isTTY === true;
      const summary = await runSwarm(
        {
          csms,
          count,
          rampPerSecond: positive(opts.ramp, '--ramp'),
          idPrefix: opts.idPrefix,
          password: opts.password,
          ca,
          insecure: opts.insecure,
          pattern: opts.scenario ? await loadSwarmPattern(opts.scenario) : undefined,
          durationSec: positive(opts.duration, '--duration'),
          shard: opts.shard ? parseShard(opts.shard) : undefined,
          signal: interruption.signal,
        },
        (p) => io.stdout.write(live ? `\r\u001b[2K${formatProgress(p)}` : `${formatProgress(p)}\n`),
      ).finally(() => interruption.dispose());
      const files = await writeSummaryFiles(opts.out, summary);
      const s = summary;
      io.stdout.write(
        `${live ? '\n' : ''}chargers ${s.chargers} · connected ${s.connected} · messages ${s.messages} · errors ${s.errors} · latency p50/p95/p99 ${s.latencyMs.p50.toFixed(1)}/${s.latencyMs.p95.toFixed(1)}/${s.latencyMs.p99.toFixed(1)} ms · peak RSS ${(s.rssBytes / 2 ** 20).toFixed(0)} MiB\n` +
          `wrote ${files.json} and ${files.html}\n`,
      );
      const reason: unknown = interruption.signal.reason;
      const stoppedBy = reason instanceof ChargecheckError && reason.details.signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
      if (interruption.signal.aborted) setExit(SIGNAL_EXIT[stoppedBy]);
      else setExit(s.errors > 0 || s.connected < s.chargers ? EXIT.CHECK_FAILED : EXIT.OK);
    });
}
