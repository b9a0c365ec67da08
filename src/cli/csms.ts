import type { Command } from 'commander';
import { csmsWorkerSlot, leaveCluster, reportListening, runCsmsPrimary, transactionIdsFor } from '../csms/cluster.js';
import { parseChargerCredential, startCsmsServer } from '../csms/server.js';
import { ensureDefaultCerts } from '../transport/certs.js';
import { ChargecheckError } from '../errors.js';
import { createTraceWriter } from '../rpc/trace.js';
import { loadPemPair } from './pem.js';
import { parseHostPort } from './host-port.js';
import { EXIT } from './exit-codes.js';
import { waitForShutdown } from './shutdown.js';

interface CsmsOpts {
  listen: string;
  charger: string[];
  cert?: string;
  key?: string;
  trace?: string;
  certDir: string;
  configure: boolean;
  heartbeat: string;
  processes?: string;
  curtail?: string;
  quiet: boolean;
}

export function registerCsmsCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('csms')
    .description('run the built-in CSMS: wss://HOST:PORT/ocpp/<id>, TLS 1.2 (ELB 2018-06 policy), Basic auth')
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:8443')
    .requiredOption('--charger <id:password...>', "accepted chargers; '*:PASSWORD' accepts any id with that password")
    .option('--cert <file>', 'server certificate (PEM); default: certs/ (generated if absent)')
    .option('--key <file>', 'server private key (PEM)')
    .option('--cert-dir <dir>', 'where the default test PKI lives', 'certs')
    .option('--trace <file>', 'write every frame as JSON lines (with --processes: FILE.worker-I per worker)')
    .option('--no-configure', 'do not send the platform configuration (MeterValuesSampledData, MeterValueSampleInterval=60) after boot')
    .option('--heartbeat <seconds>', 'heartbeat interval given in BootNotification.conf', '300')
    .option('--curtail <watts>', 'limit every transaction to this power (TxProfile a second after StartTransaction, then TriggerMessage MeterValues)')
    .option('--processes <n>', "N worker processes sharing the port (Node's cluster module); transaction ids stay unique across them")
    .option('--quiet', 'no line per charger event (for load tests)', false)
    .action(async (opts: CsmsOpts) => {
      if (!!opts.cert !== !!opts.key) throw new ChargecheckError('CLI_CERT_KEY_PAIR', '--cert and --key go together');
      const { host, port } = parseHostPort(opts.listen);
      const chargers = Object.fromEntries(opts.charger.map(parseChargerCredential));
      const heartbeatIntervalSec = Number(opts.heartbeat);
      if (!Number.isInteger(heartbeatIntervalSec) || heartbeatIntervalSec <= 0) throw new ChargecheckError('CLI_BAD_NUMBER', `--heartbeat takes a positive integer, got '${opts.heartbeat}'`);
      const curtailW = opts.curtail === undefined ? undefined : Number(opts.curtail);
      if (curtailW !== undefined && !(curtailW >= 0)) throw new ChargecheckError('CLI_BAD_NUMBER', `--curtail takes watts (≥ 0), got '${opts.curtail}'`);
      const processes = opts.processes === undefined ? 1 : Number(opts.processes);
      if (!Number.isInteger(processes) || processes < 1) throw new ChargecheckError('CLI_BAD_NUMBER', `--processes takes a positive whole number, got '${opts.processes}'`);
      const slot = csmsWorkerSlot();
      if (processes > 1 && !slot) {
        // the primary: make the default PKI once (not N workers racing to write it), then fork
        if (!opts.cert) await ensureDefaultCerts(opts.certDir);
        const abort = new AbortController();
        void waitForShutdown().then(() => abort.abort());
        await runCsmsPrimary(
          processes,
          (url) => process.stdout.write(`chargecheck CSMS listening on ${url}/<id> (${processes} processes)\n`),
          (i, code) => {
            if (!abort.signal.aborted) process.stdout.write(`CSMS worker ${i} exited (${code})\n`);
          },
          abort.signal,
        );
        setExit(EXIT.OK);
        return;
      }
      const cert = opts.cert && opts.key ? await loadPemPair(opts.cert, opts.key) : undefined;
      const running = await startCsmsServer({
        host,
        port,
        chargers,
        cert,
        certDir: opts.certDir,
        platform: { configureOnBoot: opts.configure, ...(curtailW !== undefined ? { curtailW } : {}) },
        policy: { heartbeatIntervalSec },
        transactionIds: transactionIdsFor(slot),
      });
      // one trace file per worker: FILE.worker-I
      const trace = opts.trace ? createTraceWriter(slot ? `${opts.trace}.worker-${slot.index}` : opts.trace) : undefined;
      if (trace) running.csms.onFrame(trace.listener);
      if (!opts.quiet) running.csms.onSession((s) => {
        const tls = s.connection.tlsVersion ? ` ${s.connection.tlsVersion} ${s.connection.cipher}` : '';
        process.stdout.write(`connected ${s.chargePointId}${tls} auth=${s.connection.authForm}\n`);
        s.subscribe({
          boot: (b, status) => process.stdout.write(`${s.chargePointId} BootNotification ${b.chargePointVendor}/${b.chargePointModel} fw ${b.firmwareVersion ?? '-'} → ${status}\n`),
          status: (c, st) => process.stdout.write(`${s.chargePointId} connector ${c} ${st.status}${st.errorCode !== 'NoError' ? ` (${st.errorCode})` : ''}\n`),
          transaction: (tx, phase) => {
            if (phase !== 'meter') process.stdout.write(`${s.chargePointId} transaction ${tx.id} ${phase}${tx.meterStop !== undefined ? ` ${tx.meterStop - tx.meterStart} Wh` : ''}\n`);
          },
          closed: (code) => process.stdout.write(`disconnected ${s.chargePointId} (${code})\n`),
        });
      });
      if (!opts.quiet) {
        running.server.on('refused', (r) => process.stdout.write(`refused ${r.id ?? r.path}: HTTP ${r.status} ${r.reason}\n`));
        running.server.on('tlsError', (f) => process.stdout.write(`TLS handshake failed from ${f.remoteAddress ?? '?'}: ${f.kind} (${f.code})\n`));
      }
      if (slot) reportListening(running.url);
      else {
        process.stdout.write(`chargecheck CSMS listening on ${running.url}/<id>\n`);
        if (running.ca) process.stdout.write(`chargers should trust ${opts.certDir}/ca.pem\n`);
      }
      await waitForShutdown();
      await running.close();
      await trace?.close();
      leaveCluster();
      setExit(EXIT.OK);
    });
}
