import type { Ocpp16ErrorCode } from '../ocpp/error-codes.js';

export const CALL = 2;
export const CALLRESULT = 3;
export const CALLERROR = 4;

export type CallFrame = [typeof CALL, string, string, Record<string, unknown>];
export type CallResultFrame = [typeof CALLRESULT, string, Record<string, unknown>];
export type CallErrorFrame = [typeof CALLERROR, string, Ocpp16ErrorCode | string, string, Record<string, unknown>];
export type Frame = CallFrame | CallResultFrame | CallErrorFrame;

/** Every frame in either direction, as published to subscribers (trace, assertions, reporters). */
export interface FrameEvent {
  /** Connection label, usually the charge point id. */
  readonly connection: string;
  /** `out` = sent by this endpoint, `in` = received. */
  readonly direction: 'in' | 'out';
  /** Real time (ms since epoch) the frame was seen. */
  readonly wallTime: number;
  /** Time on the endpoint's clock (virtual or drifting) when the frame was seen. */
  readonly clockTime: number;
  readonly raw: string;
  /** The parsed frame, or null when it could not be parsed / was not a valid frame. */
  readonly frame: Frame | null;
  /** Why the frame was bad, when it was. */
  readonly problem?: string;
}

export type FrameListener = (event: FrameEvent) => void;
