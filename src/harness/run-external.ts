import { choosePerformer } from '../acts/perform.js';
import type { Performer } from '../acts/model.js';
import { systemClock, wallNow } from '../clock/system.js';
import type { Reporter, ScenarioResult } from '../results/model.js';
import type { ActsPort } from '../scenario/context.js';
import type { Scenario } from '../scenario/model.js';
import type { StepRegistry } from '../scenario/registry.js';
import { notRunScenario, runScenario } from '../scenario/runner.js';
import { ELB_TLS_1_2_EXT_2018_06 } from '../transport/tls-policy.js';
import type { TlsOffer } from '../transport/tls-connect.js';
import { createChargerContext } from './charger-context.js';
import { FIRMWARE_PLACEHOLDER, replaceString } from './firmware-server.js';
import { realRunTime } from './run-time.js';
import { targetSources } from './target-check.js';
import type { Target } from './target.js';

/** What the platform's chargers offer: TLS 1.2 only, the ELB 2018-06 suites. */
export const PLATFORM_TLS_OFFER: TlsOffer = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: ELB_TLS_1_2_EXT_2018_06.ciphers };

export function tlsOfferFor(target: Target): TlsOffer | undefined {
  return target.tls === 'platform' ? PLATFORM_TLS_OFFER : undefined;
}

/** The id tag scenarios write, replaced by the first tag the target's CSMS accepts. */
export const SCENARIO_ID_TAG = 'RFID-0001';

/** How CSMS acts come about against this target: hooks, the CSMS by itself, an operator. */
export function targetActs(target: Target, vars: Record<string, string>): ActsPort {
  const sources = targetSources(target);
  return {
    performer: (kind): Performer | string => {
      const choice = choosePerformer(kind, sources(kind));
      return choice.ok ? choice.performer : choice.reason;
    },
    variables: () => vars,
    windowMs: (kind) => target.actWindowsMs[kind],
    promptOutput: process.stderr,
  };
}

/**
 * A skipped scenario: what the target cannot do, reported (to `reporters`) before anything runs.
 * Its steps are listed as skipped, so the reports show what was not tried.
 */
export function skippedScenario(scenario: Scenario, chargePointId: string, reason: string, options: { registry?: StepRegistry; reporters?: readonly Reporter[] } = {}): ScenarioResult {
  return notRunScenario(scenario, chargePointId, wallNow(), options, { code: 'RUN_TARGET_CANNOT', message: reason });
}

const CLEANUP_MS = 15_000;

/**
 * One scenario against an external CSMS in real time. Whatever its result, the charger is left
 * clean: the network is back, every EV unplugged (a running transaction stops with reason
 * EVDisconnected and is delivered), then the connection closes.
 */
export async function runExternalScenario(
  input: Scenario,
  id: string,
  target: Target,
  reporter: Reporter,
  extra: { firmwareUrl?: string; signal?: AbortSignal; registry?: StepRegistry },
): Promise<ScenarioResult> {
  let scenario = replaceString(input, SCENARIO_ID_TAG, target.idTags[0] ?? SCENARIO_ID_TAG);
  if (extra.firmwareUrl) scenario = replaceString(scenario, FIRMWARE_PLACEHOLDER, extra.firmwareUrl);
  const time = realRunTime(systemClock, (what, msLeft) => reporter.onWaiting?.({ name: scenario.name }, what, msLeft), extra.signal);
  // cleanup runs to the end even when the run was interrupted (a transaction left open is worse)
  const cleanupTime = realRunTime(systemClock);
  const vars: Record<string, string> = { ...target.vars, chargePointId: id, idTag: target.idTags[0] ?? SCENARIO_ID_TAG, csmsUrl: target.csmsUrl, ...(extra.firmwareUrl ? { firmwareUrl: extra.firmwareUrl } : {}) };
  const { ctx, host, close } = createChargerContext({
    scenario,
    chargePointId: id,
    clock: systemClock,
    time,
    csmsUrl: target.csmsUrl,
    password: target.password,
    ca: target.ca,
    tls: tlsOfferFor(target),
    peerActs: targetActs(target, vars),
  });
  try {
    return await runScenario(scenario, ctx, { reporters: [reporter], signal: extra.signal, ...(extra.registry ? { registry: extra.registry } : {}) });
  } finally {
    try {
      host.restoreNetwork();
      for (let c = 1; c <= scenario.charger.connectors; c++) {
        if (host.model.transaction(c) || host.model.status(c) !== 'Available') {
          try {
            host.model.unplug(c);
          } catch {
            // not plugged: a transaction without an EV cannot be here; nothing to do
          }
        }
      }
      await cleanupTime.waitUntil(() => !host.connected || host.model.queueLength === 0, CLEANUP_MS, 'the charger to deliver its last messages');
    } finally {
      close();
      // the run ends only once the CSMS has seen this connection close (the next scenario on the id may follow at once)
      await cleanupTime.waitUntil(() => !host.connected, 5_000, 'the connection to close');
    }
  }
}
