import type { Clock } from '../clock/clock.js';
import { realDelay, wallNow } from '../clock/system.js';
import type { VirtualClock } from '../clock/virtual.js';
import type { RunTime } from '../scenario/context.js';

/** Virtual time: advancing and waiting run the discrete-event clock; nothing waits in real time. */
export function virtualRunTime(clock: VirtualClock): RunTime {
  return {
    mode: 'virtual',
    clock,
    async advance(ms) {
      const target = clock.now() + ms;
      await clock.runUntil(() => false, target);
      if (clock.now() < target) clock.advanceTo(target);
      await clock.settle();
    },
    async waitUntil(pred, timeoutMs) {
      if (pred()) return true;
      const deadline = clock.now() + timeoutMs;
      const why = await clock.runUntil(pred, deadline);
      if (why === 'done') return true;
      if (clock.now() < deadline) clock.advanceTo(deadline);
      await clock.settle();
      return pred();
    },
  };
}

/**
 * Real time against an external CSMS: waiting polls in real time and reports what it waits for
 * and how long is left (the terminal's progress line), at most once a second.
 */
export function realRunTime(clock: Clock, onWaiting?: (what: string, msLeft: number) => void): RunTime {
  return {
    mode: 'real',
    clock,
    advance: (ms) => realDelay(ms),
    async waitUntil(pred, timeoutMs, what) {
      const end = wallNow() + timeoutMs;
      let lastReport = 0;
      while (!pred()) {
        const now = wallNow();
        if (now >= end) return pred();
        if (onWaiting && now - lastReport >= 1000) {
          onWaiting(what, end - now);
          lastReport = now;
        }
        await realDelay(Math.min(100, end - now));
      }
      return true;
    },
  };
}
