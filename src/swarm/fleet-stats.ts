import { LatencyHistogram } from './histogram.js';
import type { ActionCounts } from './summary.js';

/** The storm's latency window runs on this long after the last charger is back (its queue drains). */
export const STORM_AFTERMATH_MS = 10_000;

/**
 * The one set of counters a fleet shares: every charger adds to it; nothing is per charger.
 * `window` holds the latencies since the last progress line, `latency` all of them.
 */
export class FleetStats {
  readonly latency = new LatencyHistogram();
  readonly window = new LatencyHistogram();
  readonly connect = new LatencyHistogram();
  /** Latencies once the ramp is over and the boot storm has settled (see fleet.ts). */
  readonly steady = new LatencyHistogram();
  steadyPhase = false;
  /** `--storm`: latencies from the drop until every dropped charger is back. */
  readonly storm = new LatencyHistogram();
  stormPhase = false;
  stormDropped = 0;
  stormBack = 0;
  stormAtMs = 0;
  stormAllBackMs = 0;
  /** Wall time of the latest first connection of a charger (the end of the ramp). */
  lastFirstConnectMs = 0;
  readonly calls = new Map<string, ActionCounts>();
  /** CALLs the CSMS sent the fleet, per action, and how many the chargers answered Accepted. */
  readonly csmsCalls = new Map<string, { received: number; accepted: number }>();
  readonly errorsByCode = new Map<string, number>();
  sent = 0;
  received = 0;
  errors = 0;
  connecting = 0;
  connectedEver = 0;
  connectedNow = 0;
  booted = 0;
  inTransaction = 0;
  txStarted = 0;
  txStopped = 0;
  peakRss = 0;

  error(code: string): void {
    this.errors++;
    this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + 1);
  }

  callSent(action: string): void {
    this.action(action).sent++;
  }

  callDone(action: string, ok: boolean, latencyMs: number, nowMs = 0): void {
    const c = this.action(action);
    if (ok) c.answered++;
    else c.errors++;
    if (ok && action === 'StartTransaction') this.txStarted++;
    else if (ok && action === 'StopTransaction') this.txStopped++;
    this.latency.record(latencyMs);
    this.window.record(latencyMs);
    if (this.stormPhase || (this.stormAllBackMs > 0 && nowMs < this.stormAllBackMs + STORM_AFTERMATH_MS)) this.storm.record(latencyMs);
    else if (this.steadyPhase) this.steady.record(latencyMs);
  }

  /** A charger the storm dropped is connected again. */
  backFromStorm(nowMs: number): void {
    this.stormBack++;
    if (this.stormBack >= this.stormDropped) {
      this.stormPhase = false;
      this.stormAllBackMs = nowMs;
    }
  }

  csmsCall(action: string): void {
    this.csms(action).received++;
  }

  csmsAccepted(action: string): void {
    this.csms(action).accepted++;
  }

  private csms(action: string): { received: number; accepted: number } {
    let c = this.csmsCalls.get(action);
    if (!c) {
      c = { received: 0, accepted: 0 };
      this.csmsCalls.set(action, c);
    }
    return c;
  }

  sampleRss(rss: number): void {
    if (rss > this.peakRss) this.peakRss = rss;
  }

  private action(action: string): ActionCounts {
    let c = this.calls.get(action);
    if (!c) {
      c = { sent: 0, answered: 0, errors: 0 };
      this.calls.set(action, c);
    }
    return c;
  }
}

/** The code an error is counted under: the ChargecheckError code, with the OCPP code for CALLERRORs. */
export function errorCodeOf(err: unknown): string {
  const e = err as { code?: unknown; details?: { ocppCode?: unknown } } | null;
  const code = typeof e?.code === 'string' ? e.code : 'SWARM_UNEXPECTED';
  const ocpp = e?.details?.ocppCode;
  return code === 'RPC_CALLERROR' && typeof ocpp === 'string' ? `${code}/${ocpp}` : code;
}
