import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { systemClock } from '../clock/system.js';
import { isQuirkName, QUIRK_NAMES, type QuirkName } from '../chargepoint/quirks.js';
import { ChargecheckError, exitCodeOf, isChargecheckError } from '../errors.js';
import { ChargerHost } from '../host/charger-host.js';
import { runConsoleCommand } from '../host/console-commands.js';
import { shortFrame } from '../host/short-frame.js';
import { createTraceWriter } from '../rpc/trace.js';
import { EXIT } from './exit-codes.js';
import { checkEndpointUrl } from './endpoint-url.js';
import { cliIo } from './io.js';
import { loadPemPair, readCertificatePem } from './pem.js';

interface SimulateOpts {
  csms: string;
  id: string;
  password?: string;
  ca?: string;
  connectors: string;
  quirk: string[];
  trace?: string;
  state?: string;
  frames: boolean;
  insecure: boolean;
  cert?: string;
  key?: string;
  manufacturerCa?: string;
  config: string[];
}

/** `KEY=VALUE` items of --config as an object (the model validates keys and values). */
export function parseConfigItems(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ChargecheckError('CLI_BAD_CONFIG', `--config takes KEY=VALUE, got '${item}'`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export function registerSimulateCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('simulate')
    .description('run one virtual charger against any CSMS; commands on stdin (plug N, unplug N, tag IDTAG N, fault N, clear N, offline, online, reboot, status, quit)')
    .requiredOption('--csms <url>', 'CSMS endpoint, e.g. wss://127.0.0.1:8443/ocpp (the id is appended)')
    .requiredOption('--id <id>', 'charge point id')
    .option('--password <pw>', 'Basic-auth password (AuthorizationKey)')
    .option('--ca <file>', 'CA certificate (PEM) for the CSMS certificate')
    .option('--connectors <n>', 'number of connectors', '1')
    .option('--quirk <name...>', `named faults (${QUIRK_NAMES.join(', ')})`, [])
    .option('--trace <file>', 'write every frame as JSON lines')
    .option('--state <file>', 'keep the charger memory (meter, queue, configuration) in this file')
    .option('--no-frames', 'do not print frames')
    .option('--insecure', 'allow a ws:// endpoint (no TLS)', false)
    .option('--cert <file>', 'the charger\'s client certificate (PEM; Security Profile 3), with --key')
    .option('--key <file>', 'the client certificate\'s private key (PEM)')
    .option('--manufacturer-ca <file>', 'manufacturer root certificate (PEM) that signed firmware must chain to')
    .option('--config <key=value...>', 'initial configuration, e.g. SecurityProfile=3 CpoName=ACME', [])
    .action(async (opts: SimulateOpts) => {
      const connectors = Number(opts.connectors);
      if (!Number.isInteger(connectors) || connectors < 1) throw new ChargecheckError('CLI_BAD_NUMBER', `--connectors takes a positive integer, got '${opts.connectors}'`);
      const unknown = opts.quirk.filter((q) => !isQuirkName(q));
      if (unknown.length) throw new ChargecheckError('CP_UNKNOWN_QUIRK', `unknown quirk ${unknown.join(', ')} (known: ${QUIRK_NAMES.join(', ')})`);
      if (!!opts.cert !== !!opts.key) throw new ChargecheckError('CLI_CERT_KEY_PAIR', '--cert and --key go together');
      const config = parseConfigItems(opts.config);
      const csmsUrl = checkEndpointUrl(opts.csms, opts.insecure);
      const ca = opts.ca ? await readCertificatePem(opts.ca, 'CA certificate') : undefined;
      const io = cliIo();
      const out = (line: string) => io.stdout.write(line + '\n');
      const host = new ChargerHost({
        id: opts.id,
        clock: systemClock,
        csmsUrl,
        authorizationKey: opts.password,
        ca,
        connectors,
        quirks: opts.quirk as QuirkName[],
        stateFile: opts.state,
        insecure: opts.insecure,
        config,
        ...(opts.cert && opts.key ? { clientCert: await loadPemPair(opts.cert, opts.key) } : {}),
        ...(opts.manufacturerCa ? { manufacturerRoots: [await readCertificatePem(opts.manufacturerCa, 'manufacturer CA certificate')] } : {}),
      });
      const trace = opts.trace ? createTraceWriter(opts.trace) : undefined;
      if (trace) host.onFrame(trace.listener);
      if (opts.frames) host.onFrame((f) => out(shortFrame(f)));
      const rl = createInterface({ input: io.stdin, terminal: false });
      // The console keeps running (the charger retries), but if no connection ever succeeded the
      // command exits with the first failure's category (3: refused, untrusted, unreachable), not 0.
      let connected = false;
      let failedFirst: ChargecheckError | undefined;
      host.on('open', (c) => {
        connected = true;
        out(`connected to ${c.url}${c.tls ? ` (${c.tls.version} ${c.tls.cipher})` : ''}`);
      });
      host.on('close', (code, reason) => out(`disconnected (${code}${reason ? ` ${reason}` : ''})`));
      host.on('error', (err) => {
        out(`connection failed: ${err.code}: ${err.message}`);
        if (connected || failedFirst) return;
        failedFirst = err;
        io.stderr.write(`error ${err.code}: ${err.message}\n`);
      });
      host.model.on('status', (e) => out(`connector ${e.connectorId} → ${e.status}${e.errorCode !== 'NoError' ? ` (${e.errorCode})` : ''}`));
      host.model.on('boot', (e) => out(`boot ${e.status} (firmware ${e.firmwareVersion})`));
      host.model.on('firmware', (e) => out(`firmware ${e.status}`));
      host.model.on('transactionStarted', (e) => out(`transaction started on connector ${e.connectorId} for ${e.idTag} (meterStart ${e.meterStart} Wh)`));
      host.model.on('transactionStopped', (e) => out(`transaction stopped on connector ${e.connectorId}: ${e.reason ?? 'Local'}, ${(e.meterStop ?? e.meterStart) - e.meterStart} Wh`));
      out(`chargecheck simulate ${opts.id} → ${opts.csms} (type help for commands)`);
      host.start();
      for await (const line of rl) {
        try {
          const result = await runConsoleCommand(host, line);
          if (result === 'quit') break;
          if (result) out(result);
        } catch (err) {
          out(isChargecheckError(err) ? `error ${err.code}: ${err.message}` : String(err));
        }
      }
      rl.close();
      host.stop();
      await trace?.close();
      out('stopped');
      setExit(failedFirst && !connected ? exitCodeOf(failedFirst) : EXIT.OK);
    });
}
