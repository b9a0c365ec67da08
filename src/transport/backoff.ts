/** Reconnect back-off: exponential, capped, with jitter (OCPP 1.6 names no algorithm; digest §3). */
export interface BackoffPolicy {
  /** First retry delay before jitter, ms. Default 1000. */
  readonly baseMs?: number;
  /** Largest delay before jitter, ms. Default 60000. */
  readonly capMs?: number;
  /** Growth per attempt. Default 2. */
  readonly factor?: number;
  /** Fraction of the delay that is random, 0..1: delay ∈ [d·(1−jitter), d]. Default 0.5. */
  readonly jitter?: number;
}

/** Delay before retry number `attempt` (0 = the first retry); `random` returns [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const base = policy.baseMs ?? 1000;
  const cap = policy.capMs ?? 60_000;
  const factor = policy.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, policy.jitter ?? 0.5));
  const ceiling = Math.min(cap, base * factor ** Math.max(0, attempt));
  return Math.round(ceiling * (1 - jitter * random()));
}
