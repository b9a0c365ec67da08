import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { Clock } from '../clock/clock.js';
import { systemClock, wallNow } from '../clock/system.js';
import { VirtualClock } from '../clock/virtual.js';
import type { QuirkName } from '../chargepoint/quirks.js';
import { evaluate } from '../conformance/evaluate.js';
import { Csms } from '../csms/csms.js';
import type { CsmsSession } from '../csms/session.js';
import { ChargecheckError } from '../errors.js';
import { memoryStateStore } from '../host/state-file.js';
import { fanOut } from '../report/fan-out.js';
import type { Reporter, RequirementVerdict, RunResult, ScenarioResult } from '../report/model.js';
import type { RunTime } from '../scenario/context.js';
import type { Scenario } from '../scenario/model.js';
import { runScenario } from '../scenario/runner.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateCerts } from '../transport/certs.js';
import { createPki } from '../transport/pki.js';
import type { PemPair } from '../transport/pki.js';
import { startOcppServer } from '../transport/server.js';
import { credentialsFrom } from '../transport/upgrade-decision.js';
import { VERSION } from '../version.js';
import type { FeatureProfile } from '../conformance/profiles/feature-profiles.js';
import { CatalogueRun, caseIdOf, caseRequirements, citeCases, OCPP16_SUITE_DIR, prepareCase, profileSummary, type RequirementProfile } from './certify-catalogue.js';
import { CertifyRecorder } from './certify-recorder.js';
import { certifyTimeline } from './certify-timeline.js';
import { SelfCharger, type ChargerUnderTest } from './charger-under-test.js';
import { createCsmsContext } from './csms-context.js';
import { createFirmwareSigning, FIRMWARE_SIGNATURE_PLACEHOLDER, SIGNING_CERTIFICATE_PLACEHOLDER } from '../csms/firmware-signing.js';
import { FIRMWARE_PLACEHOLDER, replaceString, startFirmwareServer, UPLOAD_PLACEHOLDER } from './firmware-server.js';
import { RealCharger } from './real-charger.js';
import { realRunTime, virtualRunTime } from './run-time.js';
import { loadScenarios, shownPath } from './run-suite.js';

/** The shipped certification suite (role csms: we are the platform, the charger is under test). */
export const CHARGER_SUITE_DIR = fileURLToPath(new URL('../../scenarios/charger/', import.meta.url));

export interface CertifyOptions {
  /** Test chargecheck's own virtual charger in-process on virtual time. */
  self?: boolean;
  quirks?: readonly QuirkName[];
  /** Real charger: where to listen and who is expected. */
  host?: string;
  port?: number;
  chargePointId?: string;
  password?: string;
  cert?: PemPair;
  firmwareMode?: 'platform' | 'manufacturer';
  nonInteractive?: boolean;
  /** How long to wait for a real charger's first connection (default 10 min). */
  connectTimeoutMs?: number;
  /** How long to wait for the evidence of each operator act (default 3 min). */
  actTimeoutMs?: number;
  /** Real charger without `cert`: where the test PKI is written (its ca.pem is what the charger must trust). */
  certDir?: string;
  paths?: readonly string[];
  reporters?: readonly Reporter[];
  /** Where operator prompts go (default stderr). */
  prompt?: (text: string) => void;
  /** Called once the listener is up (its URL), before waiting for a charger. */
  onListening?: (url: string) => void;
  /**
   * A device under test other than our own charger or a person (e.g. a third-party charger in the
   * same process): made once the listener is up. Runs on `clock` (virtual time when given one).
   */
  charger?: (target: CertifyTarget) => ChargerUnderTest;
  clock?: Clock;
  /** The requirement set (default `platform-1.6j`; `ocpp16`: the official test-case catalogue). */
  profile?: RequirementProfile;
  /** --profile ocpp16: which cases (id, title or profile name), and the profiles the charger declares. */
  grep?: string;
  profiles?: readonly FeatureProfile[];
  /**
   * Ask the charger for a TLS client certificate (Security Profile 3), so PLT-SEC-3 is checked
   * (still announced, not required). Never required: a charger without one still connects.
   * With `self`, our charger gets a certificate from the in-memory PKI.
   */
  requestClientCert?: boolean;
  /** PEM of the CA client certificates must chain to; default the listener's test CA. */
  clientCa?: string;
}

/** Where and how a charger under test connects. */
export interface CertifyTarget {
  /** Endpoint without the id, e.g. wss://127.0.0.1:PORT/ocpp. */
  readonly url: string;
  readonly id: string;
  readonly password: string;
  /** PEM of the CA that signed the listener's certificate (generated PKI), if any. */
  readonly ca?: string;
  /** PEM of the manufacturer root that signed firmware in the scenarios chains to, when they use signed firmware. */
  readonly manufacturerRoot?: string;
  readonly clock: Clock;
}

/**
 * Certification fails when a required (or, in platform mode, conditional) requirement did not pass,
 * or when any requirement that was tested failed — a recommended one included: a failed check is
 * never hidden behind its level.
 */
export function certificationFailed(verdicts: readonly RequirementVerdict[], firmwareMode: 'platform' | 'manufacturer'): boolean {
  const mustPass = (v: RequirementVerdict) => v.level === 'required' || (v.level === 'conditional' && firmwareMode === 'platform');
  return verdicts.some((v) => v.verdict === 'fail' || (mustPass(v) && v.verdict !== 'pass' && v.verdict !== 'not-applicable'));
}

/**
 * `chargecheck certify`: the platform's conformance CSMS. A TLS-only listener with the ELB
 * 2018-06 policy and Basic auth; the certification scenarios run one after another against the
 * charger (our own on virtual time with --self, a real one in real time with operator prompts);
 * then every requirement is decided from the recorded traffic.
 */
export async function certify(options: CertifyOptions): Promise<RunResult> {
  const wallStart = wallNow();
  const profile = options.profile ?? 'platform-1.6j';
  const catalogue = profile !== 'platform-1.6j' ? new CatalogueRun({ grep: options.grep, profiles: options.profiles }) : undefined;
  const platformToo = profile === 'platform-1.6j,ocpp16';
  const defaultDirs = [...(profile !== 'ocpp16' ? [CHARGER_SUITE_DIR] : []), ...(catalogue ? [OCPP16_SUITE_DIR] : [])].map(shownPath);
  const loaded = (await loadScenarios(options.paths?.length ? options.paths : defaultDirs)).filter((s) => s.role === 'csms');
  // platform scenarios first, then the cases (the platform checks judge the traffic before the first case)
  const scenarios = catalogue ? [...(platformToo ? loaded.filter((s) => caseIdOf(s) === undefined) : []), ...catalogue.select(loaded)] : loaded;
  if (!scenarios.length) throw new ChargecheckError('CERTIFY_NO_SCENARIOS', 'no scenarios with role csms to run');
  const self = options.self === true;
  const firmwareMode = options.firmwareMode ?? 'platform';
  const clock: Clock = options.clock ?? (self ? new VirtualClock(Math.floor(wallNow() / 60_000) * 60_000, { stuckMs: 2_000 }) : systemClock);
  const virtual = clock instanceof VirtualClock;
  const prompt = options.prompt ?? ((t: string) => process.stderr.write(`\n>>> ${t}\n`));
  const reporter = fanOut(options.reporters ?? []);
  const time: RunTime = clock instanceof VirtualClock ? virtualRunTime(clock) : realRunTime(clock, (what, msLeft) => reporter.onWaiting?.({ name: 'certify' }, what, msLeft));

  const id = options.chargePointId ?? 'CHARGECHECK-SELF';
  const password = options.password ?? randomBytes(10).toString('hex');
  // Our own charger trusts an in-memory PKI; a real charger needs a CA file it can be given.
  const pki = self || options.charger ? await createPki({ clients: self && options.requestClientCert ? [id] : [] }) : undefined;
  const files = !pki && !options.cert ? await writtenTestPki(options.certDir ?? 'certs', options.host) : undefined;
  const cert = options.cert ?? pki?.server ?? files!.server;
  if (files) prompt(`The listener uses the test certificate in ${files.dir}: install ${files.dir}/ca.pem on the charger as the CSMS root.`);
  const clientCa = options.requestClientCert ? (options.clientCa ?? pki?.ca.cert ?? files?.ca) : undefined;
  if (options.requestClientCert && !clientCa) throw new ChargecheckError('CERTIFY_NO_CLIENT_CA', 'asking for client certificates needs the CA they chain to (clientCa / --client-ca)');
  const server = await startOcppServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    certs: [cert],
    credentials: credentialsFrom({ [id]: password }),
    clock,
    ...(clientCa ? { clientCert: { ca: clientCa, required: false } } : {}),
  });
  // With our own PKI the certify CSMS can sign CSRs (SignCertificate → CertificateSigned), and
  // scenarios that name the signing placeholders get signed firmware our charger trusts.
  const csms = new Csms({ clock, platform: { configureOnBoot: false }, ...(pki ? { certificateAuthority: pki.ca } : {}) });
  const signing = pki && JSON.stringify(scenarios).includes(SIGNING_CERTIFICATE_PLACEHOLDER) ? await createFirmwareSigning() : undefined;
  const recorder = new CertifyRecorder(clock, id);
  recorder.bind(server, csms, () => {});
  // The image must be reachable by the charger: serve it on the listener's interface.
  const firmware = firmwareMode === 'platform' ? await startFirmwareServer(clock, '2.0.0', options.host ?? '127.0.0.1') : undefined;
  options.onListening?.(`${server.url}/${encodeURIComponent(id)}`);

  const session = (): CsmsSession | undefined => {
    const s = csms.session(id);
    return s?.isOpen ? s : undefined;
  };
  const charger: ChargerUnderTest = options.charger
    ? options.charger({ url: server.url, id, password, ca: pki?.ca.cert, clock, ...(signing ? { manufacturerRoot: signing.root } : {}) })
    : self
      ? new SelfCharger({ id, password, csmsUrl: server.url, ca: pki!.ca.cert, clock, quirks: options.quirks ?? [], state: memoryStateStore(), freshState: false, clientCert: pki!.clients[id], manufacturerRoots: signing ? [signing.root] : [] })
      : new RealCharger({ time, session, interactive: !options.nonInteractive, prompt, actTimeoutMs: options.actTimeoutMs, connectTimeoutMs: options.connectTimeoutMs });
  charger.onError?.((code, message) => {
    if (code.startsWith('TLS_CERT_')) recorder.chargerTlsFailure(code, message);
  });

  reporter.onRunStart?.({ command: 'certify', mode: virtual ? 'virtual' : 'real', target: self ? 'self' : id, scenarioCount: scenarios.length });
  let exitCode = 0;
  const results: ScenarioResult[] = [];
  try {
    await probeListener(server.url, id, recorder);
    if (!self && !options.charger) {
      prompt(`Point the charger at ${server.url}/${id} with its Basic password (AuthorizationKey).`);
      const connected = await time.waitUntil(() => session() !== undefined, options.connectTimeoutMs ?? 10 * 60_000, `charger ${id} to connect`);
      if (!connected) throw new ChargecheckError('CERTIFY_NO_CHARGER', `no charger connected as ${id} within ${Math.round((options.connectTimeoutMs ?? 600_000) / 1000)} s`);
    }
    for (const raw of scenarios) {
      if (catalogue?.skip(raw)) continue;
      const isCase = caseIdOf(raw) !== undefined;
      if (isCase && platformToo && !catalogue?.platformRecord) catalogue?.snapshot(recorder.record(firmwareMode, firmware));
      // each case starts from a charger fresh from the factory (our own charger only)
      if (charger instanceof SelfCharger) charger.freshState = isCase;
      let withFirmware: Scenario = firmware ? replaceString(replaceString(raw, FIRMWARE_PLACEHOLDER, firmware.url), UPLOAD_PLACEHOLDER, firmware.uploadUrl) : raw;
      if (signing && firmware) withFirmware = replaceString(replaceString(withFirmware, SIGNING_CERTIFICATE_PLACEHOLDER, signing.signingCertificate), FIRMWARE_SIGNATURE_PLACEHOLDER, signing.sign(firmware.image));
      const scenario = isCase ? prepareCase(withFirmware, firmware && new URL(firmware.url).origin, clock.now()) : withFirmware;
      if (!firmware && scenario.requirements.every((r) => r === 'PLT-FW-1')) continue; // manufacturer manages firmware
      const { ctx, close } = createCsmsContext({ chargePointId: id, scenarioName: scenario.name, time, csms, charger, recorder });
      const result = await runScenario(scenario, ctx, { reporters: [reporter], continueOnFailure: true });
      await catalogue?.afterCase(session());
      close();
      charger.endScenario();
      await time.advance(10_000); // let the link close before the next scenario
      // A charger that never completed an OCPP connection cannot be tested for anything else: stop,
      // and let the checks call the rest not-tested rather than blame it for each of them.
      const unreachable = recorder.connections.length === 0;
      const status = unreachable ? 'error' : result.status;
      recorder.scenarios.push({ name: scenario.name, file: scenario.file, requirements: scenario.requirements, status, clockStart: result.clockStart, clockEnd: result.clockEnd });
      results.push(unreachable ? { ...result, status, failure: { code: 'CERTIFY_NO_CONNECTION', message: 'the charger never completed an OCPP connection to the certify listener; the remaining scenarios cannot run' } } : result);
      if (unreachable) break;
    }
  } catch (err) {
    if (err instanceof ChargecheckError && err.code === 'CERTIFY_NO_CHARGER') exitCode = 3;
    else throw err;
  } finally {
    charger.endScenario();
    csms.close();
    await server.close();
    await firmware?.close();
  }
  const record = recorder.record(firmwareMode, firmware);
  const cases = catalogue?.verdicts(results);
  const platform = !cases ? evaluate(record) : platformToo ? citeCases(evaluate(catalogue?.platformRecord ?? record), cases) : [];
  const requirements = [...platform, ...(cases ? caseRequirements(cases) : [])];
  const withTimeline = results.map((r) => ({ ...r, timeline: certifyTimeline(record, r.clockStart, r.clockEnd) }));
  const result: RunResult = {
    tool: { name: 'chargecheck', version: VERSION },
    command: 'certify',
    mode: virtual ? 'virtual' : 'real',
    target: self ? `self${options.quirks?.length ? ` (quirks: ${options.quirks.join(', ')})` : ''}` : id,
    wallStart,
    wallDurationMs: wallNow() - wallStart,
    scenarios: withTimeline,
    requirements,
    ...(cases ? { profile, cases, profiles: profileSummary(cases) } : {}),
    exitCode: exitCode || (certificationFailed(requirements, firmwareMode) ? 1 : 0),
  };
  await reporter.onRunEnd?.(result);
  return result;
}

/** The test PKI written to `dir` (server certificate also naming `host`), for a real charger. */
async function writtenTestPki(dir: string, host: string | undefined): Promise<{ dir: string; server: PemPair; ca: string }> {
  const named = host && !['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::'].includes(host) ? [host] : [];
  await generateCerts({ outDir: dir, hosts: named });
  const server = { cert: await readFile(join(dir, 'server.pem'), 'utf8'), key: await readFile(join(dir, 'server.key'), 'utf8') };
  return { dir, server, ca: await readFile(join(dir, 'ca.pem'), 'utf8') };
}

/**
 * The harness's own checks of its listener, recorded as probes (not blamed on the charger):
 * an upgrade without credentials must be refused with 401.
 */
async function probeListener(url: string, id: string, recorder: CertifyRecorder): Promise<void> {
  recorder.probing = true;
  try {
    await new Promise<void>((resolve) => {
      const ws = new WebSocket(`${url}/${encodeURIComponent(id)}`, ['ocpp1.6'], { rejectUnauthorized: false });
      ws.on('unexpected-response', () => resolve());
      ws.on('open', () => {
        ws.close();
        resolve();
      });
      ws.on('error', () => resolve());
    });
  } finally {
    recorder.probing = false;
  }
}
