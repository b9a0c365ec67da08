import type { Command } from 'commander';
import { ChargecheckError } from '../errors.js';
import { runSuite } from '../harness/run-suite.js';
import { loadTargetFile } from '../harness/target.js';
import { durationMs, isDuration } from '../scenario/duration.js';
import { checkEndpointUrl } from './endpoint-url.js';
import { readCertificatePem } from './pem.js';
import { cliIo } from './io.js';
import { interruptOnSignals } from './shutdown.js';
import { reportersFrom } from './reporter-options.js';

interface RunOpts {
  csms?: string;
  id?: string;
  password?: string;
  ca?: string;
  clock?: string;
  concurrency?: string;
  reporter: string;
  out?: string;
  target?: string;
  grep?: string;
  reconnectDelay?: string;
  var: string[];
  interactive?: boolean;
}

function parseVar(spec: string): [string, string] {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(spec);
  if (!m) throw new ChargecheckError('CLI_BAD_VAR', `--var takes NAME=VALUE, got '${spec}'`);
  return [m[1]!, m[2]!];
}

function parseDuration(text: string, flag: string): number {
  if (!isDuration(text)) throw new ChargecheckError('CLI_BAD_DURATION', `${flag} takes a duration like 3s, 500ms or 1m, got '${text}'`);
  return durationMs(text);
}

export function registerRunCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('run scenarios: virtual chargers against a CSMS (default: the shipped suite against the built-in CSMS, on virtual time)')
    .argument('[paths...]', 'scenario files or folders (default: scenarios/csms)')
    .option('--target <file>', 'a target file (YAML, schemas/target.schema.json): endpoint, ids, password variable, CA, hooks per CSMS act; flags override it')
    .option('--grep <pattern>', 'only scenarios whose name, file or requirement id matches (case-insensitive regex)')
    .option('--interactive', 'prompt an operator (with a countdown) for CSMS acts nothing else performs (overrides the target file)')
    .option('--var <name=value...>', 'a value hooks may name as {{name}} (overrides the target file’s vars)', [])
    .option('--reconnect-delay <duration>', 'pause before each scenario connects to an external CSMS (default 3s, or the target file’s reconnectDelay)')
    .option('--csms <url>', 'CSMS endpoint to test, e.g. wss://staging.example/ocpp (the charger id is appended)')
    .option('--id <id>', 'charge point id at that CSMS (concurrent scenarios get ID-1, ID-2, …)')
    .option('--password <pw>', 'Basic-auth password (AuthorizationKey) at that CSMS')
    .option('--ca <file>', 'CA certificate (PEM) that signs the CSMS certificate')
    .option('--clock <mode>', 'virtual (built-in CSMS only) or real')
    .option('--concurrency <n>', 'scenarios run at once (default 4 built-in, 1 external)')
    .option('--reporter <names>', 'terminal,json,junit,html', 'terminal')
    .option('--out <dir>', 'where file reporters write (default ./chargecheck-report)')
    .action(async (paths: string[], opts: RunOpts) => {
      if (opts.clock && opts.clock !== 'virtual' && opts.clock !== 'real') throw new ChargecheckError('CLI_BAD_CLOCK', `--clock takes virtual or real, got '${opts.clock}'`);
      const concurrency = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
      if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) throw new ChargecheckError('CLI_BAD_NUMBER', `--concurrency takes a positive integer, got '${opts.concurrency}'`);
      if (!opts.csms && !opts.target && (opts.id || opts.password || opts.ca)) throw new ChargecheckError('CLI_NEEDS_CSMS', '--id, --password and --ca go with --csms or --target');
      const csmsUrl = opts.csms === undefined ? undefined : checkEndpointUrl(opts.csms, undefined);
      const ca = opts.ca ? await readCertificatePem(opts.ca, 'CA certificate') : undefined;
      const target = opts.target ? loadTargetFile(opts.target, process.env, { ca: opts.ca !== undefined, password: opts.password !== undefined }) : undefined;
      const interruption = interruptOnSignals('the run');
      try {
        const result = await runSuite({
          paths,
          target,
          grep: opts.grep,
          vars: Object.fromEntries(opts.var.map(parseVar)),
          ...(opts.interactive ? { interactive: true } : {}),
          reconnectDelayMs: opts.reconnectDelay === undefined ? undefined : parseDuration(opts.reconnectDelay, '--reconnect-delay'),
          onEstimate: (text) => cliIo().stdout.write(`chargecheck run: ${text}\n`),
          csmsUrl: csmsUrl?.replace(/\/+$/, ''),
          id: opts.id,
          password: opts.password,
          ca,
          clock: opts.clock as 'virtual' | 'real' | undefined,
          concurrency,
          reporters: reportersFrom(opts),
          signal: interruption.signal,
        });
        setExit(result.exitCode);
      } finally {
        interruption.dispose();
      }
    });
}
