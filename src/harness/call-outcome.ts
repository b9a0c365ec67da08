import { isChargecheckError } from '../errors.js';
import type { CallOutcome, ReplyOverride as StepReply } from '../scenario/context.js';
import type { ReplyOverride } from '../rpc/endpoint.js';

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

export function toEndpointReply(reply: StepReply): ReplyOverride {
  return reply.kind === 'result' ? { payload: reply.payload } : { error: reply.code, description: reply.description };
}

/**
 * Queues a reply override made before the CSMS session exists. The returned cancel works both
 * while it waits and after it was handed to the session (the session's own cancel is kept on it).
 */
export function cancelPending<T extends { cancel?: () => void }>(queue: T[], entry: T): () => void {
  queue.push(entry);
  return () => {
    const i = queue.indexOf(entry);
    if (i >= 0) queue.splice(i, 1);
    else entry.cancel?.();
  };
}
