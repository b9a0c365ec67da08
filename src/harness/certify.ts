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
import type { Reporter, RequirementVerdict, RunResult, ScenarioResult } from '../results/model.js';
import type { RunTime } from '../scenario/context.js';
import type { Scenario, ScenarioStep } from '../scenario/model.js';
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
import { actHookFrom, type ActHook } from './certify-act-hook.js';
import { certificateFacts } from './certify-certificate.js';
import { CertifyStop, estimateMs, interruptible, progressLines } from './certify-time.js';
import { certifyTimeline } from './certify-timeline.js';
import { VirtualChargerUnderTest, type ChargerUnderTest } from './charger-under-test.js';
import { createCsmsContext } from './csms-context.js';
import { createFirmwareSigning, FIRMWARE_SIGNATURE_PLACEHOLDER, SIGNING_CERTIFICATE_PLACEHOLDER } from '../csms/firmware-signing.js';
import { FIRMWARE_PLACEHOLDER, replaceString, startFirmwareServer, UPLOAD_PLACEHOLDER } from './firmware-server.js';
import { RealChargerUnderTest } from './real-charger.js';
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
  /**
   * Real charger: performs the physical acts unattended (a test bench): a shell command run per act
   * as `CMD <act> <connector> <json>`, an http(s):// URL that gets a JSON POST, or a function. The
   * operator prompt is the fallback when it fails.
   */
  actHook?: string | ActHook;
  /** How long a charger that accepted Reset(Hard) may take to reboot and boot (default 5 min). */
  rebootTimeoutMs?: number;
  /** Stop after this long (run time) and report what was recorded: the rest is `not tested`. */
  deadlineMs?: number;
  /** Aborting it stops the run the same way (the CLI wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
  /** A plain progress line while waiting (at most every 10 s), for output that cannot be redrawn. */
  progress?: (line: string) => void;
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

/**
 * After a failed step certify goes on (other checks need the later acts and calls) — except when
 * only waits are left: a chain of waits hangs on the one that failed (no Downloaded without
 * Downloading), so it ends at once instead of waiting out every later timeout (a charger that
 * ignores UpdateFirmware held certify for 55 minutes).
 */
const WAITS = new Set(['expectCall', 'expectStatus', 'expectMeterValues', 'wait']);
export function keepGoingAfter(scenario: Scenario): (step: ScenarioStep) => boolean {
  const lastDoing = Math.max(-1, ...scenario.steps.filter((s) => !WAITS.has(s.kind)).map((s) => s.index));
  return (step) => step.index < lastDoing;
}

/**
 * certify's exit code when a signal stopped it (the signal's own, 130 / 143, as for run and swarm);
 * a --deadline is no signal: its exit code is the certification's (1 unless everything required
 * was reached and passed).
 */
function interruptedExit(signal: AbortSignal | undefined): number | undefined {
  const reason: unknown = signal?.aborted ? signal.reason : undefined;
  return reason instanceof ChargecheckError && typeof reason.details.exitCode === 'number' ? reason.details.exitCode : undefined;
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
  const progress = options.progress ? progressLines(clock, options.progress) : undefined;
  let current = 'certify';
  const onWaiting = (what: string, msLeft: number) => {
    reporter.onWaiting?.({ name: current }, what, msLeft);
    progress?.waiting(what, msLeft);
  };
  const stop = new CertifyStop(clock);
  const onAbort = () => stop.stop(options.signal?.reason instanceof Error ? options.signal.reason.message : String(options.signal?.reason ?? 'interrupted'));
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const deadline = options.deadlineMs !== undefined ? clock.setTimeout(() => stop.stop(`the deadline (${Math.round(options.deadlineMs! / 1000)} s) passed`), options.deadlineMs) : undefined;
  const time: RunTime = interruptible(clock instanceof VirtualClock ? virtualRunTime(clock) : realRunTime(clock, onWaiting), stop);

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
      ? new VirtualChargerUnderTest({ id, password, csmsUrl: server.url, ca: pki!.ca.cert, clock, quirks: options.quirks ?? [], state: memoryStateStore(), freshState: false, clientCert: pki!.clients[id], manufacturerRoots: signing ? [signing.root] : [] })
      : new RealChargerUnderTest({
          time,
          chargePointId: id,
          session,
          bootScripted: () => csms.hasScriptedReply(id, 'BootNotification'),
          frames: recorder.frames,
          interactive: !options.nonInteractive,
          hook: typeof options.actHook === 'string' ? actHookFrom(options.actHook, clock) : options.actHook,
          prompt,
          actTimeoutMs: options.actTimeoutMs,
          connectTimeoutMs: options.connectTimeoutMs,
          rebootTimeoutMs: options.rebootTimeoutMs,
        });
  charger.onError?.((code, message) => {
    if (code.startsWith('TLS_CERT_')) recorder.chargerTlsFailure(code, message);
  });

  reporter.onRunStart?.({ command: 'certify', mode: virtual ? 'virtual' : 'real', target: self ? 'self' : id, scenarioCount: scenarios.length });
  let exitCode = 0;
  const results: ScenarioResult[] = [];
  const toRun = scenarios.filter((s) => firmware || !s.requirements.every((r) => r === 'PLT-FW-1')); // manufacturer manages firmware
  if (!virtual) prompt(`${toRun.length} scenarios; a conformant charger that answers at once takes about ${Math.ceil(estimateMs(toRun) / 60_000)} min (a stop with Ctrl-C still writes the reports).`);
  let next = 0;
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
      if (charger instanceof VirtualChargerUnderTest) charger.freshState = isCase;
      let withFirmware: Scenario = firmware ? replaceString(replaceString(raw, FIRMWARE_PLACEHOLDER, firmware.url), UPLOAD_PLACEHOLDER, firmware.uploadUrl) : raw;
      if (signing && firmware) withFirmware = replaceString(replaceString(withFirmware, SIGNING_CERTIFICATE_PLACEHOLDER, signing.signingCertificate), FIRMWARE_SIGNATURE_PLACEHOLDER, signing.sign(firmware.image));
      const scenario = isCase ? prepareCase(withFirmware, firmware && new URL(firmware.url).origin, clock.now()) : withFirmware;
      if (!firmware && scenario.requirements.every((r) => r === 'PLT-FW-1')) continue; // manufacturer manages firmware
      next++;
      current = scenario.name;
      progress?.scenario(next, toRun.length, scenario.name);
      // The first scenario also sees what the charger sent since it connected (its BootNotification
      // may already be in: the connection is not reset for it) — unless it scripts the answer to
      // the boot, which makes even the first connection boot afresh (RealChargerUnderTest.connect).
      const seeded = next === 1 && !scriptsBoot(scenario);
      const { ctx, close } = createCsmsContext({ chargePointId: id, scenarioName: scenario.name, time, csms, charger, recorder, seed: seeded ? recorder.frames : [] });
      const result = await runScenario(scenario, ctx, { reporters: [reporter], continueOnFailure: keepGoingAfter(scenario) });
      await catalogue?.afterCase(session());
      close();
      charger.endScenario();
      if (stop.reason) {
        recorder.scenarios.push({ name: scenario.name, file: scenario.file, requirements: scenario.requirements, status: 'error', clockStart: result.clockStart, clockEnd: result.clockEnd });
        results.push({ ...result, status: 'error', failure: { code: 'CERTIFY_INTERRUPTED', message: `stopped: ${stop.reason}` } });
        break;
      }
      await time.advance(virtual ? 10_000 : 1_000).catch(() => undefined); // let the link close before the next scenario
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
    else if (!(err instanceof ChargecheckError && err.code === 'CERTIFY_INTERRUPTED')) throw err;
  } finally {
    deadline?.cancel();
    options.signal?.removeEventListener('abort', onAbort);
    charger.endScenario();
    csms.close();
    await server.close();
    await firmware?.close();
  }
  const record = recorder.record(firmwareMode, firmware);
  // A stop can cut a scenario short of evidence its checks wait for: a fail it covers says so.
  const cut = stop.reason ? recorder.scenarios.find((s) => s.status === 'error' && results.some((r) => r.name === s.name && r.failure?.code === 'CERTIFY_INTERRUPTED')) : undefined;
  const cases = catalogue?.verdicts(results);
  const platform = !cases ? evaluate(record) : platformToo ? citeCases(evaluate(catalogue?.platformRecord ?? record), cases) : [];
  const requirements = [...platform, ...(cases ? caseRequirements(cases) : [])].map((v) =>
    cut && v.verdict === 'fail' && cut.requirements.includes(v.id) ? { ...v, evidence: [...v.evidence, { kind: 'note' as const, text: `judged on a run stopped during '${cut.name}' (${stop.reason ?? ''}): evidence that would have come later is missing` }] } : v,
  );
  const withTimeline = results.map((r) => ({ ...r, timeline: certifyTimeline(record, r.clockStart, r.clockEnd) }));
  // Scenarios a stop left unrun are listed as skipped: their requirements are not tested.
  const unrun = stop.reason ? toRun.filter((s) => !results.some((r) => r.file === s.file && r.name === s.name)).map((s) => notRun(s, clock.now(), stop.reason!)) : [];
  const interrupted = stop.reason ? { reason: stop.reason, at: stop.at ?? clock.now() } : undefined;
  const result: RunResult = {
    tool: { name: 'chargecheck', version: VERSION },
    command: 'certify',
    mode: virtual ? 'virtual' : 'real',
    target: self ? `self${options.quirks?.length ? ` (quirks: ${options.quirks.join(', ')})` : ''}` : id,
    wallStart,
    wallDurationMs: wallNow() - wallStart,
    scenarios: [...withTimeline, ...unrun],
    requirements,
    ...(cases ? { profile, cases, profiles: profileSummary(cases) } : {}),
    certificate: certificateFacts(record, { url: `${server.url}/${encodeURIComponent(id)}`, certificate: options.cert ? 'given' : 'generated' }, clock.now(), interrupted),
    exitCode: exitCode || (interrupted ? (interruptedExit(options.signal) ?? (certificationFailed(requirements, firmwareMode) ? 1 : 0)) : certificationFailed(requirements, firmwareMode) ? 1 : 0),
  };
  await reporter.onRunEnd?.(result);
  return result;
}

function notRun(s: Scenario, at: number, reason: string): ScenarioResult {
  return { name: s.name, file: s.file, role: s.role, requirements: s.requirements, chargePointId: '', status: 'skipped', wallDurationMs: 0, clockStart: at, clockEnd: at, steps: [], timeline: [], frames: [], failure: { code: 'CERTIFY_INTERRUPTED', message: `not run: ${reason}` } };
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

/** Whether a scenario scripts the CSMS's answer to a BootNotification (a `replyNext` for it). */
function scriptsBoot(scenario: Scenario): boolean {
  return scenario.steps.some((s) => s.kind === 'replyNext' && (s.args as { action?: unknown }).action === 'BootNotification');
}
