import type { Command } from 'commander';
import { csmsWorkerSlot, leaveCluster, reportListening, runCsmsPrimary, transactionIdsFor } from '../csms/cluster.js';
import { startAdminServer } from '../csms/admin.js';
import { parseChargerCredential, startCsmsServer } from '../csms/server.js';
import { ensureDefaultCerts } from '../transport/certs.js';
import { ChargecheckError } from '../errors.js';
import { createTraceWriter } from '../rpc/trace.js';
import { join } from 'node:path';
import { loadPemPair, readCertificatePem } from './pem.js';
import { parseHostPort } from './host-port.js';
import { EXIT } from './exit-codes.js';
import { waitForShutdown } from './shutdown.js';
import { cliIo } from './io.js';

interface CsmsOpts {
  listen: string;
  charger: string[];
  cert?: string;
  key?: string;
  trace?: string;
  certDir: string;
  configure: boolean;
  heartbeat: string;
  clientCa?: string | boolean;
  signCsr: boolean;
  handshakeTimeout: string;
  upgradeTimeout: string;
  bootTimeout: string;
  maxBadFrames: string;
  maxConnections?: string;
  processes?: string;
  curtail?: string;
  quiet: boolean;
  admin?: string;
  platformActs?: boolean;
}

function seconds(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new ChargecheckError('CLI_BAD_NUMBER', `${flag} takes a number of seconds (0 = never), got '${value}'`);
  return Math.round(n * 1000);
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
    .option('--admin <host:port>', 'serve an HTTP admin API (GET /chargers, POST /chargers/<id>/call) so target-file hooks can drive this CSMS like staging')
    .option('--platform-acts', 'act like the platform on its own: trigger after a first boot; 1 min into each transaction switch charging off, 3 min later on at 7 kW, then cap the charger at 3680 W')
    .option('--heartbeat <seconds>', 'heartbeat interval given in BootNotification.conf', '300')
    .option('--client-ca [file]', 'Security Profile 3: require a client certificate from this CA (PEM; default <cert-dir>/ca.pem) with CN = id; then --charger ID: needs no password')
    .option('--sign-csr', 'sign chargers\' SignCertificate requests with the test CA (<cert-dir>/ca.pem and ca.key) and send CertificateSigned', false)
    .option('--handshake-timeout <seconds>', 'close a TCP connection that has not finished the TLS handshake by then (0 = never)', '10')
    .option('--upgrade-timeout <seconds>', 'close a TLS connection that has not sent its WebSocket upgrade by then (0 = never)', '10')
    .option('--boot-timeout <seconds>', 'close (1008) a charger that has not sent a BootNotification by then (0 = never)', '120')
    .option('--max-connections <n>', 'open connections at most; more are closed at once and counted (set it below ulimit -n)')
    .option('--curtail <watts>', 'limit every transaction to this power (TxProfile a second after StartTransaction, then TriggerMessage MeterValues)')
    .option('--processes <n>', "N worker processes sharing the port (Node's cluster module); transaction ids stay unique across them")
    .option('--quiet', 'no line per charger event (for load tests)', false)
    .option('--max-bad-frames <n>', 'malformed frames tolerated per connection; the next one closes it with 1002 (0 = no limit)', '20')
    .action(async (opts: CsmsOpts) => {
      if (!!opts.cert !== !!opts.key) throw new ChargecheckError('CLI_CERT_KEY_PAIR', '--cert and --key go together');
      const { host, port } = parseHostPort(opts.listen);
      const profile3 = opts.clientCa !== undefined && opts.clientCa !== false;
      // under profile 3 an empty password means none: the certificate is the credential
      const chargers = Object.fromEntries(opts.charger.map(parseChargerCredential).map(([id, pw]) => [id, profile3 && pw === '' ? null : pw]));
      // the test CA must exist before it is read (startCsmsServer would make it only afterwards)
      if (opts.signCsr || (profile3 && typeof opts.clientCa !== 'string')) await ensureDefaultCerts(opts.certDir);
      const clientCa = profile3 ? await readCertificatePem(typeof opts.clientCa === 'string' ? opts.clientCa : join(opts.certDir, 'ca.pem'), 'client CA certificate') : undefined;
      const certificateAuthority = opts.signCsr ? await loadPemPair(join(opts.certDir, 'ca.pem'), join(opts.certDir, 'ca.key')) : undefined;
      const cert = opts.cert && opts.key ? await loadPemPair(opts.cert, opts.key) : undefined;
      const heartbeatIntervalSec = Number(opts.heartbeat);
      if (!Number.isInteger(heartbeatIntervalSec) || heartbeatIntervalSec <= 0) throw new ChargecheckError('CLI_BAD_NUMBER', `--heartbeat takes a positive integer, got '${opts.heartbeat}'`);
      const maxBadFrames = Number(opts.maxBadFrames);
      if (!Number.isInteger(maxBadFrames) || maxBadFrames < 0) throw new ChargecheckError('CLI_BAD_NUMBER', `--max-bad-frames takes a whole number (0 = no limit), got '${opts.maxBadFrames}'`);
      const maxConnections = opts.maxConnections === undefined ? undefined : Number(opts.maxConnections);
      if (maxConnections !== undefined && (!Number.isInteger(maxConnections) || maxConnections < 1)) throw new ChargecheckError('CLI_BAD_NUMBER', `--max-connections takes a positive integer, got '${opts.maxConnections}'`);
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
          (url) => cliIo().stdout.write(`chargecheck CSMS listening on ${url}/<id> (${processes} processes)\n`),
          (i, code) => {
            if (!abort.signal.aborted) cliIo().stdout.write(`CSMS worker ${i} exited (${code})\n`);
          },
          abort.signal,
        );
        setExit(EXIT.OK);
        return;
      }
      const adminAt = opts.admin ? parseHostPort(opts.admin) : undefined;
      const running = await startCsmsServer({
        maxConnections,
        host,
        port,
        chargers,
        cert,
        certDir: opts.certDir,
        platform: { configureOnBoot: opts.configure, sessionActs: opts.platformActs === true, ...(curtailW !== undefined ? { curtailW } : {}) },
        transactionIds: transactionIdsFor(slot),
        policy: { heartbeatIntervalSec },
        ...(clientCa ? { clientCa } : {}),
        ...(certificateAuthority ? { certificateAuthority } : {}),
        handshakeTimeoutMs: seconds(opts.handshakeTimeout, '--handshake-timeout'),
        upgradeTimeoutMs: seconds(opts.upgradeTimeout, '--upgrade-timeout'),
        bootTimeoutMs: seconds(opts.bootTimeout, '--boot-timeout'),
        maxBadFrames,
      });
      const admin = adminAt ? await startAdminServer(running.csms, adminAt.host, adminAt.port) : undefined;
      // one trace file per worker: FILE.worker-I
      const trace = opts.trace ? createTraceWriter(slot ? `${opts.trace}.worker-${slot.index}` : opts.trace) : undefined;
      if (trace) running.csms.onFrame(trace.listener);
      if (!opts.quiet) running.csms.onSession((s) => {
        const tls = s.connection.tlsVersion ? ` ${s.connection.tlsVersion} ${s.connection.cipher}` : '';
        cliIo().stdout.write(`connected ${s.chargePointId}${tls} auth=${s.connection.authForm}\n`);
        s.subscribe({
          boot: (b, status) => cliIo().stdout.write(`${s.chargePointId} BootNotification ${b.chargePointVendor}/${b.chargePointModel} fw ${b.firmwareVersion ?? '-'} → ${status}\n`),
          status: (c, st) => cliIo().stdout.write(`${s.chargePointId} connector ${c} ${st.status}${st.errorCode !== 'NoError' ? ` (${st.errorCode})` : ''}\n`),
          transaction: (tx, phase) => {
            if (phase !== 'meter') cliIo().stdout.write(`${s.chargePointId} transaction ${tx.id} ${phase}${tx.meterStop !== undefined ? ` ${tx.meterStop - tx.meterStart} Wh` : ''}\n`);
          },
          closed: (code) => cliIo().stdout.write(`disconnected ${s.chargePointId} (${code})\n`),
        });
      });
      if (!opts.quiet) {
        running.server.on('refused', (r) => cliIo().stdout.write(`refused ${r.id ?? r.path}: HTTP ${r.status} ${r.reason}\n`));
        running.server.on('tlsError', (f) => cliIo().stdout.write(`TLS handshake failed from ${f.remoteAddress ?? '?'}: ${f.kind} (${f.code})\n`));
      }
      if (slot) reportListening(running.url);
      else {
        cliIo().stdout.write(`chargecheck CSMS listening on ${running.url}/<id>\n`);
        if (running.ca) cliIo().stdout.write(`chargers should trust ${opts.certDir}/ca.pem\n`);
        if (admin) cliIo().stdout.write(`admin API on ${admin.url} (GET /chargers, POST /chargers/<id>/call)\n`);
      }
      await waitForShutdown();
      const idle = running.server.idle;
      cliIo().stdout.write(`closed idle: ${idle.handshakeTimeouts} without TLS handshake, ${idle.upgradeTimeouts} without upgrade, ${running.csms.bootTimeouts} without BootNotification; ${idle.dropped} refused at --max-connections\n`);
      await admin?.close();
      await running.close();
      await trace?.close();
      leaveCluster();
      setExit(EXIT.OK);
    });
}
