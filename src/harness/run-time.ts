import type { Clock } from '../clock/clock.js';
import { realDelay, wallNow } from '../clock/system.js';
import type { VirtualClock } from '../clock/virtual.js';
import type { RunTime } from '../scenario/context.js';

/**
 * Virtual time: advancing and waiting run the discrete-event clock; nothing waits in real time.
 * When `signal` aborts, a wait in progress stops where the clock is (an advance does not finish,
 * waitUntil answers `pred()` as it stands).
 */
export function virtualRunTime(clock: VirtualClock, signal?: AbortSignal): RunTime {
  const aborted = () => signal?.aborted === true;
  return {
    mode: 'virtual',
    clock,
    async advance(ms) {
      const target = clock.now() + ms;
      await clock.runUntil(aborted, target);
      if (aborted()) return;
      if (clock.now() < target) clock.advanceTo(target);
      await clock.settle();
    },
    async waitUntil(pred, timeoutMs) {
      if (pred()) return true;
      const deadline = clock.now() + timeoutMs;
      const why = await clock.runUntil(() => pred() || aborted(), deadline);
      if (why === 'done') return pred();
      if (clock.now() < deadline) clock.advanceTo(deadline);
      await clock.settle();
      return pred();
    },
  };
}

/**
 * Real time against an external CSMS: waiting polls in real time and reports what it waits for
 * and how long is left (the terminal's progress line), at most once a second. When `signal`
 * aborts, waits end at once (waitUntil answers `pred()` as it stands).
 */
export function realRunTime(clock: Clock, onWaiting?: (what: string, msLeft: number) => void, signal?: AbortSignal): RunTime {
  return {
    mode: 'real',
    clock,
    advance: (ms) => realDelay(ms, signal),
    async waitUntil(pred, timeoutMs, what) {
      const end = wallNow() + timeoutMs;
      let lastReport = 0;
      while (!pred()) {
        const now = wallNow();
        if (now >= end || signal?.aborted) return pred();
        if (onWaiting && now - lastReport >= 1000) {
          onWaiting(what, end - now);
          lastReport = now;
        }
        await realDelay(Math.min(100, end - now), signal);
      }
      return true;
    },
  };
}
