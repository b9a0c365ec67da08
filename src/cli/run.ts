import type { Command } from 'commander';
import { ChargecheckError } from '../errors.js';
import { runSuite } from '../harness/run-suite.js';
import { checkEndpointUrl } from './endpoint-url.js';
import { readCertificatePem } from './pem.js';
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
}

export function registerRunCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('run scenarios: virtual chargers against a CSMS (default: the shipped suite against the built-in CSMS, on virtual time)')
    .argument('[paths...]', 'scenario files or folders (default: scenarios/csms)')
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
      if (!opts.csms && (opts.id || opts.password || opts.ca)) throw new ChargecheckError('CLI_NEEDS_CSMS', '--id, --password and --ca go with --csms');
      const csmsUrl = opts.csms === undefined ? undefined : checkEndpointUrl(opts.csms, undefined);
      const ca = opts.ca ? await readCertificatePem(opts.ca, 'CA certificate') : undefined;
      const interruption = interruptOnSignals('the run');
      try {
        const result = await runSuite({
          paths,
          csmsUrl,
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
