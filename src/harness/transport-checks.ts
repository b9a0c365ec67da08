import { systemClock, wallNow } from '../clock/system.js';
import { isChargecheckError } from '../errors.js';
import type { AssertionResult, ScenarioResult, StepResult } from '../results/model.js';
import { isHexKey } from '../transport/basic-auth.js';
import { connectOcpp, type OcppConnection } from '../transport/client.js';
import { isPolicyCipher } from '../transport/tls-policy.js';
import { tlsOfferFor } from './run-external.js';
import type { Target } from './target.js';

interface Probe {
  readonly title: string;
  readonly requirement: string;
  run(): Promise<AssertionResult>;
}

async function attempt(target: Target, over: { endpoint?: string; password?: string; insecure?: boolean }): Promise<{ conn?: OcppConnection; error?: string; code?: string }> {
  const offer = tlsOfferFor(target);
  const password = over.password ?? target.password;
  try {
    const conn = await connectOcpp({
      endpoint: over.endpoint ?? target.csmsUrl,
      id: target.ids[0] ?? 'CHARGECHECK',
      clock: systemClock,
      authorizationKey: password,
      passwordForm: password && isHexKey(password) ? 'hex' : 'text',
      ca: target.ca,
      timeoutMs: 10_000,
      ...(over.insecure ? { insecure: true } : {}),
      ...(offer ? { tls: offer } : {}),
    });
    return { conn };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err), code: isChargecheckError(err) ? err.code : undefined };
  }
}

/**
 * The transport rows against a CSMS, as checks of the CSMS: it accepts what the platform's chargers
 * offer (TLS 1.2 with an ELB 2018-06 suite), refuses plain ws:// and refuses a wrong password with
 * 401. One result, reported like a scenario, tagged with the transport requirements.
 */
export async function checkCsmsTransport(target: Target): Promise<ScenarioResult> {
  const probes: Probe[] = [];
  if (target.tls === 'platform' && target.csmsUrl.startsWith('wss:')) {
    probes.push({
      title: 'the CSMS accepts TLS 1.2 with an ELB 2018-06 suite',
      requirement: 'PLT-TLS-2',
      run: async () => {
        const r = await attempt(target, {});
        r.conn?.close(1000, 'chargecheck transport check');
        const tls = r.conn?.tls;
        const ok = !!tls && tls.version === 'TLSv1.2' && isPolicyCipher(tls.cipher);
        return { description: ok ? `accepted ${tls.version} with ${tls.cipher}` : `did not accept TLS 1.2 with an ELB 2018-06 suite: ${r.error ?? `${tls?.version} ${tls?.cipher}`}`, passed: ok, actual: tls ?? r.error };
      },
    });
  }
  if (target.checks.plainWs && target.csmsUrl.startsWith('wss:')) {
    probes.push({
      title: 'the CSMS refuses plain ws://',
      requirement: 'PLT-TLS-1',
      run: async () => {
        const r = await attempt(target, { endpoint: target.csmsUrl.replace(/^wss:/, 'ws:'), insecure: true });
        r.conn?.close(1000, 'chargecheck transport check');
        return { description: r.conn ? 'accepted an OCPP connection over plain ws://' : `refused plain ws:// (${r.code ?? r.error})`, passed: !r.conn, actual: r.code ?? 'connected' };
      },
    });
  }
  if (target.checks.wrongPassword && target.password !== undefined) {
    probes.push({
      title: 'the CSMS refuses a wrong password with 401',
      requirement: 'PLT-SEC-2',
      run: async () => {
        const r = await attempt(target, { password: `${target.password}-wrong` });
        r.conn?.close(1000, 'chargecheck transport check');
        const ok = r.code === 'TRANSPORT_AUTH_REJECTED';
        return { description: ok ? 'refused a wrong password with 401' : r.conn ? 'accepted a wrong password' : `refused a wrong password, but not with 401: ${r.error}`, passed: ok, expected: 'HTTP 401', actual: r.code ?? 'connected' };
      },
    });
  }
  return probeResult(target, probes);
}

/** The transport result when the CSMS refused the platform's TLS offer outright (the preflight's error). */
export function tlsRefusedResult(target: Target, error: string): ScenarioResult {
  const a: AssertionResult = { description: `did not accept TLS 1.2 with an ELB 2018-06 suite: ${error}`, passed: false, expected: 'TLS 1.2 with an ELB 2018-06 suite', actual: error };
  const now = wallNow();
  return result(target, [
    { index: 0, kind: 'transportCheck', title: 'the CSMS accepts TLS 1.2 with an ELB 2018-06 suite', status: 'failed', wallDurationMs: 0, clockStart: now, clockEnd: now, assertions: [a], failure: { code: 'RUN_CSMS_TRANSPORT', message: a.description, expected: a.expected, actual: error }, frames: [] },
  ], ['PLT-TLS-2'], now);
}

async function probeResult(target: Target, probes: readonly Probe[]): Promise<ScenarioResult> {
  const wallStart = wallNow();
  const steps: StepResult[] = [];
  for (const [index, probe] of probes.entries()) {
    const start = wallNow();
    const a = await probe.run();
    steps.push({
      index,
      kind: 'transportCheck',
      title: probe.title,
      status: a.passed ? 'passed' : 'failed',
      wallDurationMs: wallNow() - start,
      clockStart: start,
      clockEnd: wallNow(),
      assertions: [a],
      ...(a.passed ? {} : { failure: { code: 'RUN_CSMS_TRANSPORT', message: a.description, ...(a.expected !== undefined ? { expected: a.expected } : {}), actual: a.actual } }),
      frames: [],
    });
  }
  return result(target, steps, probes.map((p) => p.requirement), wallStart);
}

function result(target: Target, steps: StepResult[], requirements: string[], wallStart: number): ScenarioResult {
  return {
    name: 'The CSMS’s TLS and authentication',
    file: '(transport checks)',
    role: 'chargepoint',
    requirements,
    chargePointId: target.ids[0] ?? 'CHARGECHECK',
    status: steps.some((s) => s.status === 'failed') ? 'failed' : 'passed',
    wallDurationMs: wallNow() - wallStart,
    clockStart: wallStart,
    clockEnd: wallNow(),
    steps,
    timeline: [],
    frames: [],
  };
}
