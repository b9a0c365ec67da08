import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../clock/clock.js';
import { systemClock, wallNow } from '../clock/system.js';
import { VirtualClock } from '../clock/virtual.js';
import { QUIRK_NAMES } from '../chargepoint/quirks.js';
import { OCPP16_CASE_IDS } from '../conformance/profiles/ocpp16-cases.js';
import { REQUIREMENT_IDS } from '../conformance/requirements.js';
import { startCsmsServer } from '../csms/server.js';
import { ChargecheckError } from '../errors.js';
import { fanOut } from '../report/fan-out.js';
import type { Reporter, RunResult, ScenarioResult } from '../report/model.js';
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
import { requirementsFromScenarios } from './requirement-summary.js';
import { realRunTime, virtualRunTime } from './run-time.js';

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
  const scenarios = all.filter((s) => s.role === 'chargepoint');
  if (scenarios.length === 0) {
    throw new ChargecheckError('RUN_NO_SCENARIOS', 'no scenarios with role chargepoint to run (role csms scenarios are for `chargecheck certify`)');
  }
  const mode = options.clock ?? (options.csmsUrl ? 'real' : 'virtual');
  if (mode === 'virtual' && options.csmsUrl) {
    throw new ChargecheckError('RUN_VIRTUAL_NEEDS_BUILT_IN', 'virtual time needs both sides in this process: drop --csms, or use --clock real');
  }
  const reporter = fanOut(options.reporters ?? []);
  const target = options.csmsUrl ?? 'built-in';
  reporter.onRunStart?.({ command: 'run', mode, target, scenarioCount: scenarios.length });
  const concurrency = Math.max(1, options.concurrency ?? (options.csmsUrl ? 1 : 4));
  if (options.csmsUrl) await preflight(options);
  const pki = options.csmsUrl ? undefined : await createPki();
  const signal = options.signal;
  const tasks = scenarios.map((scenario, i) => async () => {
    const id = options.csmsUrl ? externalId(options.id ?? 'CHARGECHECK', i, scenarios.length, concurrency) : `CC${String(i + 1).padStart(3, '0')}`;
    if (signal?.aborted) return notRunScenario(scenario, id, wallNow(), { reporters: [reporter], ...(options.registry ? { registry: options.registry } : {}) });
    return pki ? runBuiltIn(scenario, id, pki, reporter, signal, options.registry) : runExternal(scenario, id, options, reporter);
  });
  const results = await runPool(tasks, concurrency);
  const failed = results.some((r) => r.status !== 'passed');
  const exitCode = signal?.aborted ? interruptedExitCode(signal) : failed ? 1 : 0;
  const result: RunResult = {
    tool: { name: 'chargecheck', version: VERSION },
    command: 'run',
    mode,
    target,
    wallStart,
    wallDurationMs: wallNow() - wallStart,
    scenarios: results,
    requirements: requirementsFromScenarios(results),
    exitCode,
  };
  await reporter.onRunEnd?.(result);
  return result;
}

function externalId(base: string, index: number, count: number, concurrency: number): string {
  return count === 1 || concurrency === 1 ? base : `${base}-${index + 1}`;
}

/**
 * Fails fast (exit 3) when the external CSMS cannot be reached or refuses us. The password goes in
 * the form the charger will send it (ChargerHost: hex-decoded when it is a hex key, else text).
 */
async function preflight(options: RunSuiteOptions): Promise<void> {
  const conn = await connectOcpp({
    endpoint: options.csmsUrl!,
    id: options.id ?? 'CHARGECHECK',
    clock: systemClock,
    authorizationKey: options.password,
    passwordForm: options.password && isHexKey(options.password) ? 'hex' : 'text',
    ca: options.ca,
    timeoutMs: 15_000,
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

async function runExternal(scenario: Scenario, id: string, options: RunSuiteOptions, reporter: Reporter): Promise<ScenarioResult> {
  const clock: Clock = systemClock;
  const { ctx, close } = createChargerContext({
    scenario,
    chargePointId: id,
    clock,
    time: realRunTime(clock, (what, msLeft) => reporter.onWaiting?.({ name: scenario.name }, what, msLeft), options.signal),
    csmsUrl: options.csmsUrl!,
    password: options.password,
    ca: options.ca,
  });
  try {
    return await runScenario(scenario, ctx, { reporters: [reporter], signal: options.signal, ...(options.registry ? { registry: options.registry } : {}) });
  } finally {
    close();
  }
}
