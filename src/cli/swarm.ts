import type { Command } from 'commander';
import { ChargecheckError } from '../errors.js';
import { runSwarm } from '../swarm/fleet.js';
import { formatProgress } from '../swarm/progress-line.js';
import { runSwarmProcesses } from '../swarm/processes.js';
import { parseQuirkMix } from '../swarm/quirk-mix.js';
import { parseShard } from '../swarm/shard.js';
import type { SwarmSummary } from '../swarm/summary.js';
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
  quirkMix?: string;
  storm?: string;
  processes?: string;
  hold?: string;
  localAddress?: string;
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
    .option('--quirk-mix <list>', 'a share of bad chargers, e.g. ignore-limit=3%,lose-queue=1% (each quirky charger has one quirk, chosen by its id)')
    .option('--storm <at-seconds>', 'drop every connection at once this many seconds after the start; the summary reports the recovery')
    .option('--hold <seconds>', 'end the run this long after the ramp is over and the boot storm settled (10 s); --duration stays the cap')
    .option('--local-address <ip,...>', 'source addresses to connect from, in turn (one address has ~28,000 ephemeral ports towards one CSMS address), e.g. 127.0.0.1,127.0.0.2')
    .option('--processes <n>', 'run N shards as N child processes on this machine and merge their summaries into --out')
    .action(async (opts: SwarmOpts) => {
      const count = positive(opts.count, '--count');
      if (!Number.isInteger(count)) throw new ChargecheckError('CLI_BAD_NUMBER', `--count takes a whole number, got '${opts.count}'`);
      const quirkMix = opts.quirkMix ? parseQuirkMix(opts.quirkMix) : undefined;
      const stormAtSec = opts.storm ? positive(opts.storm, '--storm') : undefined;
      const csms = checkEndpointUrl(opts.csms, opts.insecure);
      const ca = opts.ca ? await readCertificatePem(opts.ca, 'CA certificate') : undefined;
      const io = cliIo();
      const interruption = interruptOnSignals('the swarm');
      const live = io.stdout.isTTY === true;
      const exitFor = (s: SwarmSummary, ok: boolean): number => {
        const reason: unknown = interruption.signal.reason;
        const stoppedBy = reason instanceof ChargecheckError && reason.details.signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
        if (interruption.signal.aborted) return SIGNAL_EXIT[stoppedBy];
        return ok && s.errors === 0 && s.connected >= s.chargers ? EXIT.OK : EXIT.CHECK_FAILED;
      };
      if (opts.processes !== undefined) {
        const n = positive(opts.processes, '--processes');
        if (!Number.isInteger(n)) throw new ChargecheckError('CLI_BAD_NUMBER', `--processes takes a whole number, got '${opts.processes}'`);
        if (opts.shard) throw new ChargecheckError('SWARM_BAD_OPTION', '--processes and --shard do not go together (--processes makes the shards)', { option: 'processes' });
        const { merged, exitCodes } = await runSwarmProcesses({ processes: n, args: shardArgs(opts), outDir: opts.out, signal: interruption.signal, onLine: (shard, line) => io.stdout.write(`[${shard}] ${line}\n`) }).finally(() =>
          interruption.dispose(),
        );
        io.stdout.write(`${headline(merged)}\nmerged ${merged.shards.length} of ${n} shards (exit codes ${exitCodes.join(', ')}) into ${opts.out}/summary.json and ${opts.out}/summary.html\n`);
        setExit(exitFor(merged, merged.missingShards.length === 0));
        return;
      }
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
          quirkMix,
          stormAtSec,
          localAddresses: opts.localAddress?.split(',').map((a) => a.trim()).filter(Boolean),
          holdAfterRampSec: opts.hold === undefined ? undefined : positive(opts.hold, '--hold'),
        },
        (p) => io.stdout.write(live ? `\r\u001b[2K${formatProgress(p)}` : `${formatProgress(p)}\n`),
      ).finally(() => interruption.dispose());
      const files = await writeSummaryFiles(opts.out, summary);
      const s = summary;
      io.stdout.write(`${live ? '\n' : ''}${headline(s)}\nwrote ${files.json} and ${files.html}\n`);
      setExit(exitFor(s, true));
    });
}

/** The arguments each `--processes` child gets: this command's, minus --processes/--shard/--out. */
function shardArgs(o: SwarmOpts): string[] {
  const args = ['--csms', o.csms, '--count', o.count, '--ramp', o.ramp, '--id-prefix', o.idPrefix, '--duration', o.duration];
  if (o.password !== undefined) args.push('--password', o.password);
  if (o.ca) args.push('--ca', o.ca);
  if (o.scenario) args.push('--scenario', o.scenario);
  if (o.insecure) args.push('--insecure');
  if (o.quirkMix) args.push('--quirk-mix', o.quirkMix);
  if (o.storm) args.push('--storm', o.storm);
  if (o.hold) args.push('--hold', o.hold);
  if (o.localAddress) args.push('--local-address', o.localAddress);
  return args;
}

function headline(s: SwarmSummary): string {
  const lines = [
    `chargers ${s.chargers} · connected ${s.connected} · messages ${s.messages} · errors ${s.errors} · unanswered ${s.unanswered} · latency p50/p95/p99 ${s.latencyMs.p50.toFixed(1)}/${s.latencyMs.p95.toFixed(1)}/${s.latencyMs.p99.toFixed(1)} ms · peak RSS ${(s.rssBytes / 2 ** 20).toFixed(0)} MiB`,
  ];
  const a = s.csmsActs;
  const profiles = a.calls.SetChargingProfile;
  const triggers = a.calls.TriggerMessage;
  lines.push(
    `the CSMS: ${profiles?.received ?? 0} profile(s) (${profiles?.accepted ?? 0} accepted) to ${a.chargersWithProfile} charger(s), ${a.chargersCurtailed} curtailed, ${a.chargersOverLimit} over the limit (${a.chargersOverLimitWithoutQuirk} without a quirk); ${triggers?.received ?? 0} trigger(s), ${triggers?.accepted ?? 0} accepted`,
  );
  if (s.quirkMix) lines.push(`quirks: ${Object.entries(s.quirks).map(([q, n]) => `${q} ${n}`).join(', ') || 'none drawn'} (mix ${s.quirkMix})`);
  const t = s.txMessages;
  lines.push(`transaction messages: ${t.enqueued} queued, ${t.delivered} delivered, ${t.pendingAtEnd} pending at the end, ${t.dropped} dropped (${t.droppedWithoutQuirk} by chargers without a quirk), ${t.resent} resent after a drop`);
  if (s.storm) {
    const st = s.storm;
    lines.push(
      `storm at ${st.atSec} s: ${st.dropped} dropped, ${st.reconnected} back${st.allReconnectedSec === null ? ' (not all came back)' : ` — all within ${st.allReconnectedSec} s`}; latency during the storm p50/p99 ${st.latencyMs.p50.toFixed(1)}/${st.latencyMs.p99.toFixed(1)} ms (${st.latencyMs.count} calls)`,
    );
  }
  return lines.join('\n');
}
