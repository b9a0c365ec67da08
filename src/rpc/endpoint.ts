import { randomBytes } from 'node:crypto';
import type { Clock, Timer } from '../clock/clock.js';
import { wallNow } from '../clock/system.js';
import { ChargecheckError } from '../errors.js';
import { isActionName, maySend, type ActionName } from '../ocpp/catalogue.js';
import { NON_16_ERROR_SPELLINGS } from '../ocpp/error-codes.js';
import type { RequestOf, ResponseOf } from '../ocpp/types.js';
import { validatePayload } from '../ocpp/validator.js';
import { callErrorReceived, OcppCallError } from './call-error.js';
import type { FrameChannel } from './channel.js';
import { CALL, CALLERROR, CALLRESULT, type CallFrame, type Frame, type FrameEvent, type FrameListener } from './frames.js';
import { parseFrame } from './parse.js';
import type { CallContext, CallOptions, Handler, OcppPort, ReplyOverride } from './port.js';
import { ReplyOverrides } from './reply-overrides.js';

export interface RpcEndpointOptions {
  channel: FrameChannel;
  clock: Clock;
  /** Connection label carried by frame events, usually the charge point id. */
  label: string;
  /** Which side this endpoint plays; outgoing CALLs must be ones this side may send. */
  role: 'ChargePoint' | 'Csms';
  /** Default 30 s. */
  callTimeoutMs?: number;
  /** Validate our own outgoing payloads (default true). False lets fault injection send invalid ones. */
  strictOutgoing?: boolean;
  /** Bad frames tolerated before the socket is closed with 1002 (default 20; 0 = never close). */
  maxBadFrames?: number;
}

interface Pending {
  action: ActionName;
  payload: unknown;
  options: CallOptions;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface InFlight extends Pending {
  id: string;
  timer: Timer;
  release: () => void;
}

type AnyHandler = (payload: unknown, ctx: CallContext) => unknown;

let endpointSeq = 0;

/**
 * Message ids are `<process tag><endpoint number>-<call number>`. The tag is random per process,
 * so a charger restarted from its state file never reuses an id it sent before the restart (a
 * CSMS that remembers ids could mis-answer one); 6 base-36 characters, ids stay far below 36.
 */
const PROCESS_TAG = randomBytes(4).readUInt32BE(0).toString(36).padStart(6, '0').slice(-6);

/**
 * OCPP-J 1.6 over one FrameChannel: our CALLs one at a time (the rest queued in order, each with a
 * timeout), the peer's CALLs dispatched to handlers by action while ours waits, payloads validated
 * both ways, every failure answered with the right CALLERROR, and every frame published.
 */
export class RpcEndpoint implements OcppPort {
  readonly label: string;
  readonly role: 'ChargePoint' | 'Csms';
  private readonly channel: FrameChannel;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly strictOutgoing: boolean;
  private readonly maxBadFrames: number;
  private readonly handlers = new Map<string, AnyHandler>();
  private readonly listeners = new Set<FrameListener>();
  private readonly closeListeners = new Set<(code: number, reason: string) => void>();
  private readonly queue: Pending[] = [];
  private readonly overrides = new ReplyOverrides();
  private inFlight: InFlight | undefined;
  private readonly idPrefix: string;
  private seq = 0;
  private open = true;
  /** Count of frames that could not be read as OCPP-J (not counting schema-invalid payloads). */
  badFrames = 0;

  constructor(options: RpcEndpointOptions) {
    this.channel = options.channel;
    this.clock = options.clock;
    this.label = options.label;
    this.role = options.role;
    this.timeoutMs = options.callTimeoutMs ?? 30_000;
    this.strictOutgoing = options.strictOutgoing ?? true;
    this.maxBadFrames = options.maxBadFrames ?? 20;
    this.idPrefix = `${PROCESS_TAG}${(++endpointSeq).toString(36)}-`;
    this.channel.attach({
      text: (data) => this.receive(data),
      closed: (code, reason) => this.closed(code, reason),
    });
  }

  get isOpen(): boolean {
    return this.open;
  }

  handle<A extends ActionName>(action: A, handler: Handler<A>): void {
    this.handlers.set(action, handler as unknown as AnyHandler);
  }

  /**
   * Answers the next incoming CALL of `action` with `reply` instead of the handler's answer
   * (scenario fault injection; sent as given, without validation). Returns a cancel function.
   */
  overrideNext(action: ActionName, reply: ReplyOverride): () => void {
    return this.overrides.add(action, reply);
  }

  removeHandler(action: ActionName): void {
    this.handlers.delete(action);
  }

  onFrame(listener: FrameListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onClose(listener: (code: number, reason: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  call<A extends ActionName>(action: A, payload: RequestOf<A>, options: CallOptions = {}): Promise<ResponseOf<A>> {
    return new Promise<ResponseOf<A>>((resolve, reject) => {
      if (!this.open) return reject(closedError(action));
      const unvalidated = options.unvalidated || !this.strictOutgoing;
      if (!unvalidated) {
        if (!isActionName(action) || !maySend(action, this.role)) {
          return reject(new ChargecheckError('RPC_WRONG_DIRECTION', `${this.role} may not send ${String(action)}`, { action }));
        }
        const failure = validatePayload(action, 'request', payload);
        if (failure) {
          return reject(new ChargecheckError('RPC_INVALID_OUTGOING', `outgoing ${action} is invalid: ${failure.message}`, { action, ocppCode: failure.code }));
        }
      }
      this.queue.push({ action, payload, options, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Sends a text frame as is (fuzzing, fault injection). */
  sendRaw(text: string): void {
    this.send(text, null);
  }

  close(code = 1000, reason = ''): void {
    if (!this.open) return;
    this.channel.close(code, reason);
    this.closed(code, reason);
  }

  private pump(): void {
    if (this.inFlight || !this.open) return;
    const next = this.queue.shift();
    if (!next) return;
    const id = this.idPrefix + (++this.seq).toString(36);
    const timeout = next.options.timeoutMs ?? this.timeoutMs;
    const release = this.clock.hold(`${this.label} ${next.action}`);
    const timer = this.clock.setTimeout(() => {
      if (this.inFlight?.id !== id) return;
      this.finish(new ChargecheckError('RPC_TIMEOUT', `${next.action} got no answer within ${timeout / 1000} s`, { action: next.action, timeoutMs: timeout }));
    }, timeout);
    this.inFlight = { action: next.action, payload: next.payload, options: next.options, resolve: next.resolve, reject: next.reject, id, timer, release };
    const frame: CallFrame = [CALL, id, next.action, next.payload as Record<string, unknown>];
    this.send(JSON.stringify(frame), frame);
  }

  /** Settles the call in flight (value, or an error) and moves on to the next queued one. */
  private finish(error: Error | undefined, value?: unknown): void {
    const current = this.inFlight;
    if (!current) return;
    this.inFlight = undefined;
    current.timer.cancel();
    current.release();
    if (error) current.reject(error);
    else current.resolve(value);
    this.pump();
  }

  private send(text: string, frame: Frame | null): void {
    if (!this.open) return;
    this.channel.send(text);
    this.publish('out', text, frame);
  }

  private publish(direction: 'in' | 'out', raw: string, frame: Frame | null, problem?: string): void {
    if (this.listeners.size === 0) return;
    const event: FrameEvent = { connection: this.label, direction, wallTime: wallNow(), clockTime: this.clock.now(), raw, frame, problem };
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a listener's bug must never break the protocol loop
      }
    }
  }

  private receive(raw: string): void {
    const parsed = parseFrame(raw);
    if (!parsed.ok) {
      this.publish('in', raw, null, parsed.problem);
      if (parsed.ignorable) return;
      this.badFrames++;
      if (parsed.messageType === CALL && parsed.messageId !== undefined) {
        this.replyError(parsed.messageId, parsed.code, parsed.problem);
      }
      if (this.maxBadFrames > 0 && this.badFrames > this.maxBadFrames) this.close(1002, 'too many malformed frames');
      return;
    }
    const frame = parsed.frame;
    this.publish('in', raw, frame);
    if (frame[0] === CALL) this.dispatch(frame);
    else if (frame[0] === CALLRESULT) this.settleResult(frame[1], frame[2]);
    else this.settleError(frame[1], frame[2], frame[3], frame[4]);
  }

  private settleResult(id: string, payload: Record<string, unknown>): void {
    const current = this.inFlight;
    if (!current || current.id !== id) return; // late or unknown answer: recorded by the frame event only
    const failure = validatePayload(current.action, 'response', payload);
    if (failure && !current.options.unvalidated) {
      this.finish(new ChargecheckError('RPC_INVALID_RESPONSE', `${current.action} response is invalid: ${failure.message}`, { action: current.action, ocppCode: failure.code, payload }));
      return;
    }
    this.finish(undefined, payload);
  }

  private settleError(id: string, code: string, description: string, details: Record<string, unknown>): void {
    const current = this.inFlight;
    if (!current || current.id !== id) return;
    const err = callErrorReceived(current.action, code, description, details);
    if (code in NON_16_ERROR_SPELLINGS) err.details.non16Spelling = true;
    this.finish(err);
  }

  private dispatch(frame: CallFrame): void {
    const [, id, action, payload] = frame;
    if (!isActionName(action)) return this.replyError(id, 'NotImplemented', `unknown action ${action}`);
    const override = this.overrides.take(action);
    if (override) {
      if (override.kind === 'error') return this.replyError(id, override.code, override.description ?? 'scripted reply');
      const out: Frame = [CALLRESULT, id, override.payload];
      return this.send(JSON.stringify(out), out);
    }
    const handler = this.handlers.get(action);
    if (!handler) return this.replyError(id, 'NotSupported', `${action} is not supported`);
    const failure = validatePayload(action, 'request', payload);
    if (failure) return this.replyError(id, failure.code, failure.message);
    const after: (() => void)[] = [];
    const ctx: CallContext = { action, messageId: id, afterReply: (fn) => void after.push(fn) };
    let result: unknown;
    try {
      result = handler(payload, ctx);
    } catch (err) {
      this.replyFailure(id, err);
      return;
    }
    if (!isThenable(result)) {
      // The common case (a handler that answers at once) replies in the same turn: no microtasks.
      this.replyResult(id, action, result, after);
      return;
    }
    const release = this.clock.hold(`${this.label} handling ${action}`);
    result.then(
      (value) => {
        release();
        this.replyResult(id, action, value, after);
      },
      (err: unknown) => {
        release();
        this.replyFailure(id, err);
      },
    );
  }

  private replyResult(id: string, action: ActionName, result: unknown, after: readonly (() => void)[]): void {
    const bad = validatePayload(action, 'response', result);
    if (bad && this.strictOutgoing) {
      this.replyError(id, 'InternalError', `handler produced an invalid ${action} response: ${bad.message}`);
      return;
    }
    const out: Frame = [CALLRESULT, id, (result ?? {}) as Record<string, unknown>];
    this.send(JSON.stringify(out), out);
    for (const fn of after) {
      try {
        fn();
      } catch {
        // an afterReply callback's bug; the reply is already out
      }
    }
  }

  private replyFailure(id: string, err: unknown): void {
    if (err instanceof OcppCallError) this.replyError(id, err.ocppCode, err.message, err.ocppDetails);
    else this.replyError(id, 'InternalError', err instanceof Error ? err.message : String(err));
  }

  private replyError(id: string, code: string, description: string, details: Record<string, unknown> = {}): void {
    const frame: Frame = [CALLERROR, id, code, description.slice(0, 255), details];
    this.send(JSON.stringify(frame), frame);
  }

  private closed(code: number, reason: string): void {
    if (!this.open) return;
    this.open = false;
    const current = this.inFlight;
    if (current) this.finish(closedError(current.action, code));
    for (const p of this.queue.splice(0)) p.reject(closedError(p.action, code));
    for (const l of this.closeListeners) l(code, reason);
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function closedError(action: string, code?: number): ChargecheckError {
  return new ChargecheckError('RPC_CLOSED', `connection closed before ${action} was answered`, { action, closeCode: code });
}
