import { isChargecheckError } from '../errors.js';
import type { CallOutcome } from '../scenario/context.js';

/** Turns a call's promise into the scenario's CallOutcome; CALLERRORs are outcomes, other failures throw. */
export async function outcomeOf(call: Promise<unknown>): Promise<CallOutcome> {
  try {
    return { kind: 'result', payload: (await call) as Record<string, unknown> };
  } catch (err) {
    if (isChargecheckError(err, 'RPC_CALLERROR')) {
      return {
        kind: 'error',
        code: String(err.details.ocppCode),
        description: String(err.details.description ?? ''),
        details: (err.details.ocppDetails as Record<string, unknown>) ?? {},
      };
    }
    throw err;
  }
}
