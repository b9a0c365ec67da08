import { ChargecheckError } from '../errors.js';
import type { Reporter, RunResult } from '../results/model.js';

/**
 * One Reporter that passes every hook on to several, in order. A reporter that throws does not keep
 * the others from hearing the event; after all have been called the first failure is raised as
 * REPORT_HOOK_FAILED (details: reporter, hook), with the original error as `cause`.
 * `onRunEnd` runs the reporters' (possibly async) writers concurrently and waits for all of them.
 */
export function fanOut(reporters: readonly Reporter[]): Reporter {
  const list = [...reporters];

  function failed(reporter: Reporter, hook: string, cause: unknown): ChargecheckError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new ChargecheckError('REPORT_HOOK_FAILED', `reporter ${reporter.name} failed in ${hook}: ${reason}`, { reporter: reporter.name, hook }, { cause });
  }

  function each(hook: string, call: (r: Reporter) => void): void {
    let first: ChargecheckError | undefined;
    for (const r of list) {
      try {
        call(r);
      } catch (err) {
        first ??= failed(r, hook, err);
      }
    }
    if (first) throw first;
  }

  return {
    name: list.map((r) => r.name).join(','),
    onRunStart: (info) => each('onRunStart', (r) => r.onRunStart?.(info)),
    onScenarioStart: (scenario) => each('onScenarioStart', (r) => r.onScenarioStart?.(scenario)),
    onStepEnd: (scenario, step) => each('onStepEnd', (r) => r.onStepEnd?.(scenario, step)),
    onWaiting: (scenario, what, msLeft) => each('onWaiting', (r) => r.onWaiting?.(scenario, what, msLeft)),
    onScenarioEnd: (scenario) => each('onScenarioEnd', (r) => r.onScenarioEnd?.(scenario)),
    async onRunEnd(result: RunResult): Promise<void> {
      const settled = await Promise.allSettled(list.map(async (r) => r.onRunEnd?.(result)));
      const index = settled.findIndex((s) => s.status === 'rejected');
      const rejected = settled[index];
      if (rejected !== undefined && rejected.status === 'rejected') {
        const cause: unknown = rejected.reason;
        if (cause instanceof ChargecheckError && cause.code === 'REPORT_WRITE_FAILED') throw cause;
        throw failed(list[index], 'onRunEnd', cause);
      }
    },
  };
}
