import type { Command } from 'commander';
import { isQuirkName, QUIRK_NAMES, type QuirkName } from '../chargepoint/quirks.js';
import { parseChargerCredential } from '../csms/server.js';
import { ChargecheckError } from '../errors.js';
import { parseFeatureProfiles } from '../conformance/profiles/feature-profiles.js';
import { didYouMean } from '../did-you-mean.js';
import { certify } from '../harness/certify.js';
import { requirementProfileNamed, REQUIREMENT_PROFILES } from '../harness/certify-catalogue.js';
import { parseHostPort } from './host-port.js';
import { loadPemPair, readCertificatePem } from './pem.js';
import { reportersFrom } from './reporter-options.js';

interface CertifyOpts {
  connectTimeout: string;
  actTimeout: string;
  certDir: string;
  self: boolean;
  quirk: string[];
  listen?: string;
  charger?: string;
  cert?: string;
  key?: string;
  firmware: string;
  nonInteractive: boolean;
  reporter: string;
  out?: string;
  profile: string;
  grep?: string;
  profiles?: string;
  clientCa?: string | boolean;
}

function seconds(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ChargecheckError('CLI_BAD_NUMBER', `${flag} takes a positive number of seconds, got '${value}'`);
  return n;
}

export function registerCertifyCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('certify')
    .description('the platform conformance CSMS: certify a real charger (--listen) or chargecheck\'s own (--self) against platform-1.6j')
    .argument('[paths...]', 'certification scenarios (default: scenarios/charger)')
    .option('--self', 'certify chargecheck\'s own virtual charger, in-process on virtual time', false)
    .option('--quirk <name...>', `with --self: named faults to switch on (${QUIRK_NAMES.join(', ')})`, [])
    .option('--listen <host:port>', 'listen for a real charger here (wss://HOST:PORT/ocpp/<id>)')
    .option('--charger <id:password>', 'the real charger\'s id and Basic password')
    .option('--cert <file>', 'server certificate (PEM, RSA as on an ALB); default: a generated test PKI')
    .option('--key <file>', 'server private key (PEM)')
    .option('--firmware <who>', 'platform (the platform runs firmware updates: PLT-FW-1 applies) or manufacturer', 'platform')
    .option('--non-interactive', 'do not prompt an operator; physical acts become "needs an operator" verdicts', false)
    .option('--connect-timeout <seconds>', 'how long to wait for the charger to connect', '600')
    .option('--act-timeout <seconds>', 'how long to wait for the evidence of each operator act', '180')
    .option('--cert-dir <dir>', 'without --cert: where the test PKI is written (give the charger its ca.pem)', 'certs')
    .option('--profile <name>', 'the requirement set: platform-1.6j, ocpp16 (the official OCPP 1.6 charge-point test cases), or platform-1.6j,ocpp16 (both; the platform\'s profile rows cite the cases)', 'platform-1.6j')
    .option('--grep <pattern>', 'with --profile ocpp16: only the cases whose id or title matches (regular expression), or a profile name (core, smart, …)')
    .option('--profiles <list>', 'with --profile ocpp16: the feature profiles the charger supports (core,localauth,firmware,reservation,trigger,smart,security); others are not applicable. Default: its SupportedFeatureProfiles')
    .option('--client-ca [file]', 'ask the charger for a TLS client certificate (Security Profile 3; PLT-SEC-3, announced) chaining to this CA (PEM); without a file: the listener\'s test CA')
    .option('--reporter <names>', 'terminal,json,junit,html', 'terminal')
    .option('--out <dir>', 'where file reporters write (default ./chargecheck-report)')
    .action(async (paths: string[], opts: CertifyOpts) => {
      if (opts.firmware !== 'platform' && opts.firmware !== 'manufacturer') throw new ChargecheckError('CLI_BAD_FIRMWARE', `--firmware takes platform or manufacturer, got '${opts.firmware}'`);
      const unknown = opts.quirk.filter((q) => !isQuirkName(q));
      if (unknown.length) throw new ChargecheckError('CP_UNKNOWN_QUIRK', `unknown quirk ${unknown.join(', ')} (known: ${QUIRK_NAMES.join(', ')})`);
      if (opts.self === Boolean(opts.listen)) throw new ChargecheckError('CLI_CERTIFY_MODE', 'give either --self or --listen HOST:PORT --charger ID:PASSWORD');
      if (!opts.self && !opts.charger) throw new ChargecheckError('CLI_CERTIFY_MODE', '--listen needs --charger ID:PASSWORD');
      if (!opts.self && opts.quirk.length) throw new ChargecheckError('CLI_CERTIFY_MODE', '--quirk goes with --self');
      if (!!opts.cert !== !!opts.key) throw new ChargecheckError('CLI_CERT_KEY_PAIR', '--cert and --key go together');
      const profile = requirementProfileNamed(opts.profile);
      if (!profile) {
        const hint = didYouMean(opts.profile, REQUIREMENT_PROFILES);
        throw new ChargecheckError('CLI_BAD_PROFILE', `unknown --profile '${opts.profile}' (known: ${REQUIREMENT_PROFILES.join(', ')})${hint ? `; ${hint}` : ''}`);
      }
      if (profile === 'platform-1.6j' && (opts.grep !== undefined || opts.profiles !== undefined)) throw new ChargecheckError('CLI_BAD_PROFILE', '--grep and --profiles go with --profile ocpp16 (or platform-1.6j,ocpp16)');
      const profiles = opts.profiles !== undefined ? parseFeatureProfiles(opts.profiles) : undefined;
      const listen = opts.listen ? parseHostPort(opts.listen) : undefined;
      const [chargePointId, password] = opts.charger ? parseChargerCredential(opts.charger) : [undefined, undefined];
      const result = await certify({
        self: opts.self,
        quirks: opts.quirk as QuirkName[],
        host: listen?.host,
        port: listen?.port,
        chargePointId,
        password,
        cert: opts.cert && opts.key ? await loadPemPair(opts.cert, opts.key) : undefined,
        firmwareMode: opts.firmware,
        paths,
        nonInteractive: opts.nonInteractive,
        connectTimeoutMs: seconds(opts.connectTimeout, '--connect-timeout') * 1000,
        actTimeoutMs: seconds(opts.actTimeout, '--act-timeout') * 1000,
        certDir: opts.certDir,
        reporters: reportersFrom(opts),
        profile,
        grep: opts.grep,
        profiles,
        requestClientCert: opts.clientCa !== undefined && opts.clientCa !== false,
        clientCa: typeof opts.clientCa === 'string' ? await readCertificatePem(opts.clientCa, '--client-ca') : undefined,
        onListening: opts.self ? undefined : (url) => process.stdout.write(`certify listener: ${url}\n`),
      });
      setExit(result.exitCode);
    });
}
