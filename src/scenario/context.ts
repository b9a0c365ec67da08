import type { ActVariables, Performer } from '../acts/model.js';
import type { PromptOutput } from '../acts/prompt.js';
import type { Clock } from '../clock/clock.js';
import type { ActionName } from '../ocpp/catalogue.js';
import type { FrameEvent } from '../rpc/frames.js';
import type { CallOptions, ReplyOverride } from '../rpc/port.js';
import type { TimelinePoint } from '../results/model.js';

/** The two ends of an OCPP link. A scenario's `role` is the side chargecheck plays. */
export type Side = 'chargepoint' | 'csms';

export function peerOf(side: Side): Side {
  return side === 'chargepoint' ? 'csms' : 'chargepoint';
}

/**
 * Time as the steps see it. In virtual mode `advance` and `waitUntil` run the VirtualClock (firing
 * timers, letting loopback I/O settle) until done; in real mode they wait in real time and report
 * progress ("waiting for …") to the reporters.
 */
export interface RunTime {
  readonly mode: 'virtual' | 'real';
  readonly clock: Clock;
  /** Lets `ms` pass on the run clock: afterwards `clock.now()` is at least `ms` later, even if idle. */
  advance(ms: number): Promise<void>;
  /** Resolves true as soon as `pred()` holds, false when `timeoutMs` of run-clock time passed first. */
  waitUntil(pred: () => boolean, timeoutMs: number, what: string): Promise<boolean>;
}

/** EV parameters; every field optional so `setEv` can change one at a time. */
export interface EvSettings {
  readonly capacityWh?: number;
  readonly socPercent?: number;
  readonly maxPowerW?: number;
  readonly phases?: 1 | 3;
  /** The EV stops drawing (SuspendedEV) while true. */
  readonly paused?: boolean;
}

/**
 * Physical acts on the charger. Against chargecheck's virtual charger they act on the model;
 * against a real charger under test they become operator prompts and resolve once done.
 */
export interface ChargerActions {
  connect(): Promise<void>;
  /** Closes the WebSocket cleanly. */
  disconnect(): Promise<void>;
  /** Loses the network without a close handshake (frames are dropped until restored). */
  dropNetwork(): Promise<void>;
  restoreNetwork(): Promise<void>;
  reboot(kind: 'Soft' | 'Hard'): Promise<void>;
  plug(connectorId: number): Promise<void>;
  unplug(connectorId: number): Promise<void>;
  presentIdTag(idTag: string, connectorId: number): Promise<void>;
  fault(connectorId: number, errorCode: string, info?: string): Promise<void>;
  clearFault(connectorId: number): Promise<void>;
  setEv(connectorId: number, ev: EvSettings): Promise<void>;
}

/** What can be read about the charger (from the model, or from its last notifications). */
export interface ChargerObservation {
  /** Current connector status (ChargePointStatus), undefined when unknown. */
  status(connectorId: number): string | undefined;
  /** Active import power in W, undefined when unknown. */
  powerW(connectorId: number): number | undefined;
  /** Energy register in Wh, undefined when unknown. */
  energyWh(connectorId: number): number | undefined;
  /** A configuration key's value as GetConfiguration reports it (undefined = unknown key). */
  configuration(key: string): Promise<string | undefined>;
}

/** A frame and which side sent it (the context knows which endpoint published it). */
export interface ObservedFrame extends FrameEvent {
  readonly sender: Side;
}

/** Every frame of the scenario so far, in order; indexes are stable (append-only). */
export interface FrameLog {
  list(): readonly ObservedFrame[];
  subscribe(listener: (frame: ObservedFrame) => void): () => void;
}

export type CallOutcome =
  | { readonly kind: 'result'; readonly payload: Record<string, unknown> }
  | { readonly kind: 'error'; readonly code: string; readonly description: string; readonly details: Record<string, unknown> };

/** The answer a side gives to the next CALL of an action instead of its default behaviour (one definition, in rpc/port.ts). */
export type { CallOptions, ReplyOverride } from '../rpc/port.js';

export interface Messaging {
  /**
   * Sends a CALL from `from` (chargecheck's charger or CSMS) and resolves with its CALLRESULT or
   * CALLERROR. Rejects with a ChargecheckError on timeout or a closed link (RPC_TIMEOUT,
   * RPC_CLOSED), or SCENARIO_UNSUPPORTED when chargecheck does not play that side in this run.
   */
  call(from: Side, action: ActionName, payload: Record<string, unknown>, options?: CallOptions): Promise<CallOutcome>;
  /**
   * Makes side `replier` answer the next incoming CALL of `action` with `reply` (once). The
   * returned function withdraws the override if it has not been used yet.
   */
  overrideNextReply(replier: Side, action: ActionName, reply: ReplyOverride): () => void;
}

/**
 * Everything a step can do, as one interface the runner is given. The CLI binds it to the real
 * virtual charger and CSMS; tests bind it to plain arrays.
 */
export interface StepContext {
  readonly time: RunTime;
  readonly charger: ChargerActions & ChargerObservation;
  readonly frames: FrameLog;
  readonly messaging: Messaging;
  /** The charge point id of the link under test (labels results). */
  readonly chargePointId: string;
  /** Power / limit / status samples for the report chart, if the context records them. */
  timeline?(): readonly TimelinePoint[];
  /**
   * How acts of the other side come about in this run (docs/acts.md). Absent: chargecheck plays
   * the other side itself, so every act is performed by chargecheck (`own`).
   */
  readonly peerActs?: ActsPort;
}

/** The run's answer to "who performs this act of the peer?" and the values hooks may use. */
export interface ActsPort {
  /**
   * The performer for act `kind`; `own` (when given) is how chargecheck would do it itself, used
   * when chargecheck plays that side. A string is why nobody can (the scenario should have been
   * skipped before it started).
   */
  performer(kind: string, own: (() => Promise<void>) | undefined): Performer | string;
  /** Values for `{{name}}` besides the scenario's captures: chargePointId, idTag, firmwareUrl, … */
  variables(): ActVariables;
  /** How long to wait for act `kind` instead of the step's window (a target's `actWindows`). */
  windowMs?(kind: string): number | undefined;
  readonly promptOutput?: PromptOutput;
}
