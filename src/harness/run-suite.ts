import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock, wallNow } from '../clock/system.js';
import { VirtualClock } from '../clock/virtual.js';
import { QUIRK_NAMES } from '../chargepoint/quirks.js';
import { OCPP16_CASE_IDS } from '../conformance/profiles/ocpp16-cases.js';
import { REQUIREMENT_IDS } from '../conformance/requirements.js';
import { startCsmsServer } from '../csms/server.js';
import { ChargecheckError, isChargecheckError } from '../errors.js';
import { fanOut } from '../report/fan-out.js';
import type { Reporter, RunResult, ScenarioResult } from '../results/model.js';
import type { Scenario } from '../scenario/model.js';
import type { StepRegistry } from '../scenario/registry.js';
import { notRunScenario, runScenario } from '../scenario/runner.js';
import { formatErrors } from '../scenario/format.js';
import { validateScenarioFiles } from '../scenario/validate-files.js';
import { isHexKey } from '../transport/basic-auth.js';
import { connectOcpp } from '../transport/client.js';
import { createPki, type Pki } from '../transport/pki.js';
import { VERSION } from '../version.js';
import { createChargerContext } from './charger-context.js';
import { FIRMWARE_PLACEHOLDER, replaceString, startFirmwareServer } from './firmware-server.js';
import { runPool } from './pool.js';
import { runExternalScenario, skippedScenario, tlsOfferFor } from './run-external.js';
import { estimateRealTimeMs } from './run-estimate.js';
import { targetCannot } from './target-check.js';
import { checkCsmsTransport, tlsRefusedResult } from './transport-checks.js';
import { targetFromFlags, type Target } from './target.js';
import { realDelay } from '../clock/system.js';
import { formatDuration } from '../scenario/duration.js';
import { requirementsFromScenarios } from './requirement-summary.js';
import { virtualRunTime } from './run-time.js';

/** The shipped suite that puts a CSMS under test (we play the charger). */
export const CSMS_SUITE_DIR = fileURLToPath(new URL('../../scenarios/csms/', import.meta.url));

/** A shipped folder as reports should show it: relative to the working directory when under it. */
export function shownPath(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : dir;
}

export interface RunSuiteOptions {
  /** Scenario files or folders; default the shipped suite. */
  paths?: readonly string[];
  /** External CSMS endpoint (without the id). Absent = the built-in CSMS on loopback, virtual time. */
  csmsUrl?: string;
  /** Charge point id at an external CSMS (several concurrent scenarios get `ID-1`, `ID-2`, …). */
  id?: string;
  password?: string;
  ca?: string;
  clock?: 'virtual' | 'real';
  concurrency?: number;
  reporters?: readonly Reporter[];
  /** Steps the scenarios may use (default the built-in ones; `builtinSteps().register(defineStep(…))` adds yours). */
  registry?: StepRegistry;
  /**
   * The external CSMS as a target file describes it (ids, hooks, acts it does by itself, …);
   * `csmsUrl`/`id`/`password`/`ca` override its fields. Implies real time.
   */
  target?: Target;
  /** Only scenarios whose name, file or a requirement id matches (a case-insensitive regex). */
  grep?: string;
  /** Prompt an operator for acts nothing else performs (overrides the target's `interactive`). */
  interactive?: boolean;
  /** Values for hooks, over the target's `vars` (`--var NAME=VALUE`). */
  vars?: Readonly<Record<string, string>>;
  /** Pause before each scenario connects to an external CSMS (overrides the target's reconnectDelay). */
  reconnectDelayMs?: number;
  /** Real-time runs: told once, before anything runs, how long the run should take. */
  onEstimate?(text: string): void;
  /**
   * Stops the run (SIGINT/SIGTERM): the scenarios in progress end at their current step, the rest
   * are reported `skipped`, every reporter still gets onRunEnd, and the result's exitCode is
   * `interruptedExitCode(signal)` (130, or the reason's `details.exitCode`).
   */
  signal?: AbortSignal;
}

/** The exit code of a run stopped by `signal`: the reason's `details.exitCode` when it has one, else 130. */
export function interruptedExitCode(signal: AbortSignal): number {
  const reason: unknown = signal.reason;
  if (reason instanceof ChargecheckError && typeof reason.details.exitCode === 'number') return reason.details.exitCode;
  return 130;
}

const BUILT_IN_PASSWORD = 'chargecheck-built-in';

/** Loads and validates scenario files; invalid ones are a usage error (exit 2) listing every problem. */
export async function loadScenarios(paths: readonly string[], registry?: StepRegistry): Promise<Scenario[]> {
  const report = await validateScenarioFiles(paths, { requirementIds: [...REQUIREMENT_IDS, ...OCPP16_CASE_IDS], quirkNames: QUIRK_NAMES, ...(registry ? { registry } : {}) });
  if (report.errors.length) {
    throw new ChargecheckError('SCENARIO_INVALID', formatErrors(report.errors, { color: false }), { count: report.errors.length });
  }
  return [...report.scenarios];
}

/**
 * `chargecheck run`: each scenario drives one virtual charger against the CSMS — the built-in one
 * on virtual time (each scenario with its own clock and CSMS, so they run concurrently), or an
 * external one in real time.
 */
export async function runSuite(options: RunSuiteOptions): Promise<RunResult> {
  const wallStart = wallNow();
  const all = await loadScenarios(options.paths?.length ? options.paths : [shownPath(CSMS_SUITE_DIR)], options.registry);
  let scenarios = all.filter((s) => s.role === 'chargepoint');
  if (options.grep) scenarios = scenarios.filter(grepFilter(options.grep));
  if (scenarios.length === 0) {
    throw new ChargecheckError('RUN_NO_SCENARIOS', options.grep ? `no scenario with role chargepoint matches --grep '${options.grep}'` : 'no scenarios with role chargepoint to run (role csms scenarios are for `chargecheck certify`)');
  }
  const target = resolveTarget(options);
  const mode = options.clock ?? (target ? 'real' : 'virtual');
  if (mode === 'virtual' && target) {
    throw new ChargecheckError('RUN_VIRTUAL_NEEDS_BUILT_IN', 'virtual time needs both sides in this process: drop --csms, or use --clock real');
  }
  const reporter = fanOut(options.reporters ?? []);
  reporter.onRunStart?.({ command: 'run', mode, target: target?.csmsUrl ?? 'built-in', scenarioCount: scenarios.length });
  const results = target ? await runAgainstTarget(scenarios, target, options, reporter) : await runAgainstBuiltIn(scenarios, options, reporter);
  const failed = results.some((r) => r.status === 'failed' || r.status === 'error');
  const exitCode = options.signal?.aborted ? interruptedExitCode(options.signal) : failed ? 1 : 0;
  const result: RunResult = {
    tool: { name: 'chargecheck', version: VERSION },
    command: 'run',
    mode,
    target: target?.csmsUrl ?? 'built-in',
    wallStart,
    wallDurationMs: wallNow() - wallStart,
    scenarios: results,
    requirements: requirementsFromScenarios(results, target ? 'csms' : 'charger'),
    exitCode,
  };
  await reporter.onRunEnd?.(result);
  return result;
}

function grepFilter(pattern: string): (s: Scenario) => boolean {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'i');
  } catch {
    re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  }
  return (s) => re.test(s.name) || re.test(s.file) || s.requirements.some((r) => re.test(r));
}

function resolveTarget(options: RunSuiteOptions): Target | undefined {
  const base = options.target ?? (options.csmsUrl ? targetFromFlags({ csmsUrl: options.csmsUrl }) : undefined);
  if (!base) return undefined;
  return {
    ...base,
    ...(options.csmsUrl ? { csmsUrl: options.csmsUrl } : {}),
    ...(options.id ? { ids: idsFrom(options.id, options.concurrency) } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
    ...(options.reconnectDelayMs !== undefined ? { reconnectDelayMs: options.reconnectDelayMs } : {}),
    vars: { ...base.vars, ...options.vars },
    ...(options.interactive !== undefined ? { interactive: options.interactive } : {}),
  };
}

/** `--id X`: one id, or with `--concurrency N` (N > 1) the ids X-1 … X-N. */
function idsFrom(id: string, concurrency: number | undefined): string[] {
  return concurrency && concurrency > 1 ? Array.from({ length: concurrency }, (_, i) => `${id}-${i + 1}`) : [id];
}

async function runAgainstBuiltIn(scenarios: readonly Scenario[], options: RunSuiteOptions, reporter: Reporter): Promise<ScenarioResult[]> {
  const pki = await createPki();
  const signal = options.signal;
  const tasks = scenarios.map((scenario, i) => async () => {
    const id = `CC${String(i + 1).padStart(3, '0')}`;
    if (signal?.aborted) return notRunScenario(scenario, id, wallNow(), { reporters: [reporter], ...(options.registry ? { registry: options.registry } : {}) });
    return runBuiltIn(scenario, id, pki, reporter, signal, options.registry);
  });
  return runPool(tasks, Math.max(1, options.concurrency ?? 4));
}

/**
 * Against an external CSMS: every scenario is checked against the target first (what it cannot do
 * is `skipped` at once, with the reason), then the rest run concurrently, one charge point id
 * each, with a pause before each connection so the CSMS has let the previous one go.
 */
async function runAgainstTarget(scenarios: readonly Scenario[], target: Target, options: RunSuiteOptions, reporter: Reporter): Promise<ScenarioResult[]> {
  const verdicts = scenarios.map((s) => targetCannot(s, target));
  const runnable = scenarios.filter((_, i) => verdicts[i] === undefined);
  const results: (ScenarioResult | undefined)[] = scenarios.map((s, i) => {
    const reason = verdicts[i];
    if (reason === undefined) return undefined;
    return skippedScenario(s, target.ids[0] ?? '', reason, { registry: options.registry, reporters: [reporter] });
  });
  const concurrency = Math.max(1, Math.min(options.concurrency ?? target.ids.length, target.ids.length, runnable.length || 1));
  options.onEstimate?.(`about ${formatDuration(estimateRealTimeMs(runnable, concurrency, target.reconnectDelayMs))} of real time: ${runnable.length} scenario(s), ${concurrency} at a time${runnable.length < scenarios.length ? `, ${scenarios.length - runnable.length} skipped` : ''}`);
  if (runnable.length === 0) return results as ScenarioResult[];
  const refusedTls = await preflightOrTlsFinding(target);
  if (refusedTls) {
    // A CSMS that refuses what the platform's chargers offer is a finding about the CSMS, not an unreachable peer.
    reporter.onScenarioStart?.({ name: refusedTls.name, file: refusedTls.file, chargePointId: refusedTls.chargePointId });
    for (const step of refusedTls.steps) reporter.onStepEnd?.({ name: refusedTls.name, chargePointId: refusedTls.chargePointId }, step);
    reporter.onScenarioEnd?.(refusedTls);
    const why = `not run: the CSMS refused the TLS the platform's chargers offer (${refusedTls.steps[0]?.failure?.message ?? ''})`;
    return [refusedTls, ...scenarios.map((s, i) => results[i] ?? skippedScenario(s, target.ids[0] ?? '', why, { registry: options.registry }))];
  }
  const transport = target.checks.plainWs || target.checks.wrongPassword ? await checkCsmsTransport(target) : undefined;
  if (transport) {
    reporter.onScenarioStart?.({ name: transport.name, file: transport.file, chargePointId: transport.chargePointId });
    for (const step of transport.steps) reporter.onStepEnd?.({ name: transport.name, chargePointId: transport.chargePointId }, step);
    reporter.onScenarioEnd?.(transport);
  }
  const firmware = await startFirmwareServer(systemClock);
  const free = target.ids.slice(0, concurrency);
  try {
    const tasks = scenarios.map((scenario, i) => async () => {
      if (results[i]) return results[i];
      const id = free.shift()!;
      try {
        if (options.signal?.aborted) return notRunScenario(scenario, id, wallNow(), { reporters: [reporter] });
        await realDelay(target.reconnectDelayMs, options.signal);
        if (options.signal?.aborted) return notRunScenario(scenario, id, wallNow(), { reporters: [reporter] });
        return await runExternalScenario(scenario, id, target, reporter, { firmwareUrl: firmware.url, signal: options.signal, ...(options.registry ? { registry: options.registry } : {}) });
      } finally {
        free.push(id);
      }
    });
    const ran = await runPool(tasks, concurrency);
    return transport ? [transport, ...ran] : ran;
  } finally {
    await firmware.close();
  }
}

/**
 * The preflight, except that a CSMS refusing the platform's TLS offer (no TLS 1.2, or none of the
 * ELB 2018-06 suites) is a failed PLT-TLS-2 check of the CSMS rather than exit 3.
 */
async function preflightOrTlsFinding(target: Target): Promise<ScenarioResult | undefined> {
  try {
    await preflight(target);
    return undefined;
  } catch (err) {
    if (target.tls !== 'platform' || !isChargecheckError(err) || !['TLS_VERSION_MISMATCH', 'TLS_CIPHER_MISMATCH'].includes(err.code)) throw err;
    return tlsRefusedResult(target, `${err.code}: ${err.message}`);
  }
}

/**
 * Fails fast (exit 3) when the external CSMS cannot be reached or refuses us. The password goes in
 * the form the charger will send it (ChargerHost: hex-decoded when it is a hex key, else text), with
 * the charger's TLS offer.
 */
async function preflight(target: Target): Promise<void> {
  const offer = tlsOfferFor(target);
  const conn = await connectOcpp({
    endpoint: target.csmsUrl,
    id: target.ids[0] ?? 'CHARGECHECK',
    clock: systemClock,
    authorizationKey: target.password,
    passwordForm: target.password && isHexKey(target.password) ? 'hex' : 'text',
    ca: target.ca,
    timeoutMs: 15_000,
    ...(offer ? { tls: offer } : {}),
  });
  conn.close(1000, 'chargecheck preflight');
}

async function runBuiltIn(scenario: Scenario, id: string, pki: Pki, reporter: Reporter, signal?: AbortSignal, registry?: StepRegistry): Promise<ScenarioResult> {
  const clock = new VirtualClock(Math.floor(wallNow() / 60_000) * 60_000);
  const csms = await startCsmsServer({
    clock,
    chargers: { '*': BUILT_IN_PASSWORD },
    cert: pki.server,
    platform: scenario.csms?.configureOnBoot === false ? { configureOnBoot: false } : {},
  });
  // A real local HTTP server for UpdateFirmware; scenarios name it with the placeholder location.
  const firmware = await startFirmwareServer(clock);
  scenario = replaceString(scenario, FIRMWARE_PLACEHOLDER, firmware.url);
  const { ctx, close } = createChargerContext({
    scenario,
    chargePointId: id,
    clock,
    time: virtualRunTime(clock, signal),
    csmsUrl: csms.url,
    password: BUILT_IN_PASSWORD,
    ca: pki.ca.cert,
    builtIn: csms.csms,
  });
  try {
    return await runScenario(scenario, ctx, { reporters: [reporter], signal, ...(registry ? { registry } : {}) });
  } finally {
    close();
    await csms.close();
    await firmware.close();
  }
}
