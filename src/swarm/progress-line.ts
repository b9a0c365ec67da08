import type { SwarmProgress } from './fleet.js';

/** One terminal line per progress tick, e.g. `  42.0s  1200/2000 connected  310 in tx  85.2 msg/s  p50 3.1 p95 8.0 p99 12.4 ms  0 errors  412 MiB`. */
export function formatProgress(p: SwarmProgress): string {
  const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const latency = p.latencyMs.count ? `p50 ${ms(p.latencyMs.p50)} p95 ${ms(p.latencyMs.p95)} p99 ${ms(p.latencyMs.p99)} ms` : 'no answers';
  return [
    `${p.elapsedSec.toFixed(1).padStart(7)}s`,
    `${p.connected}/${p.chargers} connected${p.connecting ? ` (+${p.connecting})` : ''}`,
    `${p.inTransaction} in tx`,
    `${p.messagesPerSecond.toFixed(1)} msg/s`,
    latency,
    `${p.errors} error${p.errors === 1 ? '' : 's'}`,
    `${Math.round(p.rssBytes / 1_048_576)} MiB`,
  ].join('  ');
}
