import type { ActionName } from '../ocpp/catalogue.js';
import type { RequestOf, ResponseOf } from '../ocpp/types.js';
import type { FrameListener } from './frames.js';

export interface CallContext {
  readonly action: ActionName;
  readonly messageId: string;
  /** Runs `fn` right after the reply to this CALL has been sent (TriggerMessage: .conf first). */
  afterReply(fn: () => void): void;
}

export type Handler<A extends ActionName> = (
  payload: RequestOf<A>,
  ctx: CallContext,
) => ResponseOf<A> | Promise<ResponseOf<A>>;

/**
 * A scripted answer to one incoming CALL instead of the handler's: a CALLRESULT payload, or a
 * CALLERROR with this code. Sent as given, without validation (fault injection).
 */
export type ReplyOverride =
  | { readonly kind: 'result'; readonly payload: Record<string, unknown> }
  | { readonly kind: 'error'; readonly code: string; readonly description?: string };

/** Options for one outgoing CALL. */
export interface CallOptions {
  /** Overrides the endpoint's call timeout for this call. */
  timeoutMs?: number;
  /** Skip outgoing validation for this call (fault injection). */
  unvalidated?: boolean;
}

/**
 * What an OCPP peer model (the virtual charger, the CSMS) sees of the wire: send a CALL and get
 * its typed result, register handlers by action name. Implemented by rpc/endpoint.ts.
 *
 * `call` rejects with a ChargecheckError whose code is `RPC_CALLERROR` (details.ocppCode,
 * details.description), `RPC_TIMEOUT` or `RPC_CLOSED`. A handler may throw an OcppCallError
 * to answer with a chosen CALLERROR; any other throw answers `InternalError`.
 */
export interface OcppPort {
  call<A extends ActionName>(action: A, payload: RequestOf<A>, options?: CallOptions): Promise<ResponseOf<A>>;
  handle<A extends ActionName>(action: A, handler: Handler<A>): void;
  onFrame(listener: FrameListener): () => void;
}
