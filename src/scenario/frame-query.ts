import { CALL, CALLERROR, CALLRESULT } from '../rpc/frames.js';
import type { FrameRecord } from '../results/model.js';
import type { ObservedFrame, Side } from './context.js';
import { matchValue, type Mismatch } from './matchers.js';

/** Questions steps ask of the frame log: which CALLs of an action, sent by whom, and their replies. */
export interface CallQuery {
  readonly sender: Side;
  readonly action: string;
  /** Matcher for the payload; undefined = any payload. */
  readonly payload?: unknown;
  /** Only CALLs with `connectorId` equal to this (when set). */
  readonly connectorId?: number;
}

export function callAction(f: ObservedFrame): string | undefined {
  return f.frame && f.frame[0] === CALL ? f.frame[2] : undefined;
}

export function callPayload(f: ObservedFrame): Record<string, unknown> {
  return f.frame && f.frame[0] === CALL ? f.frame[3] : {};
}

export function messageIdOf(f: ObservedFrame): string | undefined {
  return f.frame ? f.frame[1] : undefined;
}

/** Whether a frame is a CALL of the query's action from its sender (payload not checked). */
export function isCallOf(f: ObservedFrame, q: CallQuery): boolean {
  if (f.sender !== q.sender || callAction(f) !== q.action) return false;
  return q.connectorId === undefined || callPayload(f).connectorId === q.connectorId;
}

/** Index of the first frame at or after `from` that answers the query (payload included), or -1. */
export function findCall(frames: readonly ObservedFrame[], q: CallQuery, from: number): number {
  for (let i = from; i < frames.length; i++) {
    if (isCallOf(frames[i], q) && (q.payload === undefined || !matchValue(q.payload, callPayload(frames[i])))) return i;
  }
  return -1;
}

/** The closest miss among CALLs of the action since `from`: for "got X instead" explanations. */
export function nearestMiss(frames: readonly ObservedFrame[], q: CallQuery, from: number): Mismatch | undefined {
  let last: Mismatch | undefined;
  for (let i = from; i < frames.length; i++) {
    if (!isCallOf(frames[i], q) || q.payload === undefined) continue;
    last = matchValue(q.payload, callPayload(frames[i])) ?? last;
  }
  return last;
}

export type Reply =
  | { readonly kind: 'result'; readonly payload: Record<string, unknown> }
  | { readonly kind: 'error'; readonly code: string; readonly description: string };

/** The CALLRESULT / CALLERROR answering `messageId`, sent by `replier`, if it has been seen. */
export function findReply(frames: readonly ObservedFrame[], messageId: string, replier: Side, from: number): Reply | undefined {
  for (let i = from; i < frames.length; i++) {
    const f = frames[i].frame;
    if (!f || frames[i].sender !== replier || f[1] !== messageId) continue;
    if (f[0] === CALLRESULT) return { kind: 'result', payload: f[2] };
    if (f[0] === CALLERROR) return { kind: 'error', code: String(f[2]), description: f[3] };
  }
  return undefined;
}

export function toFrameRecord(f: ObservedFrame): FrameRecord {
  return { connection: f.connection, direction: f.direction, clockTime: f.clockTime, wallTime: f.wallTime, raw: f.raw };
}
