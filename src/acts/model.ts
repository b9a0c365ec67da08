/**
 * Acts of the other side (DESIGN.md): something the peer's world must do that the harness cannot
 * do over OCPP alone — the CSMS switches charging off, an operator plugs an EV. An act names what
 * must happen and the evidence that shows it happened; a performer makes it happen (or not).
 * This module knows nothing about `run` or `certify`: callers describe the act, say how its
 * evidence is waited for, and get an outcome back.
 */

/** A JSON value as a hook body carries it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Values a hook or a prompt may name as `{{name}}` (charge point id, connector, captures, …). */
export type ActVariables = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Act {
  /** A stable name of the act, e.g. `csms.limitOff`, `charger.plug` (hooks are keyed by it). */
  readonly kind: string;
  readonly connectorId?: number;
  /** What must happen, for a person: "make the CSMS switch charging off for {{chargePointId}}". */
  readonly sentence: string;
  /** What shows it happened: "a SetChargingProfile with limit 0 from the CSMS". */
  readonly evidence: string;
  /** How long the evidence may take to appear, from the start of the act (run-clock ms). */
  readonly windowMs: number;
}

/** A command hook: a shell line (values shell-quoted) or an argv list (no shell). */
export interface CommandHook {
  readonly command: string | readonly string[];
  /** Extra environment for the command (values templated). */
  readonly env?: Readonly<Record<string, string>>;
  /** The command is killed after this many run-clock ms (default 30 s). */
  readonly timeoutMs?: number;
}

/** An HTTP hook: one request, 2xx counts as done. */
export interface HttpHook {
  readonly http: {
    readonly method?: string;
    readonly url: string;
    readonly headers?: Readonly<Record<string, string>>;
    /** A JSON body; a string that is exactly `{{name}}` becomes that value with its type. */
    readonly body?: JsonValue;
    readonly timeoutMs?: number;
  };
}

export type Hook = CommandHook | HttpHook;

/**
 * Who performs an act:
 * - `own`: chargecheck does it itself (its own CSMS sends the CALL, its virtual charger acts);
 * - `wait`: the peer does it by itself, we only wait for the evidence;
 * - `hook`: a command or an HTTP request from the target file makes the peer do it;
 * - `prompt`: a person does it, told so with a visible countdown.
 */
export type Performer =
  | { readonly kind: 'own'; readonly perform: () => Promise<void> }
  | { readonly kind: 'wait' }
  | { readonly kind: 'hook'; readonly hook: Hook }
  | { readonly kind: 'prompt' };

export type PerformerKind = Performer['kind'];

/** What a hook did (for the report: a hook that failed is the target's fault, not the peer's). */
export interface HookRun {
  readonly ok: boolean;
  /** One line: `exit 0`, `HTTP 200`, `exit 2: …stderr tail`, `HTTP 500: …body`, `timed out after 30s`. */
  readonly summary: string;
  /** The answer's body or the command's stdout (trimmed, at most 2 KiB). */
  readonly output?: string;
  readonly status?: number;
  readonly exitCode?: number;
}

export interface ActOutcome {
  readonly act: Act;
  readonly performer: PerformerKind;
  /** The evidence appeared within the window. */
  readonly done: boolean;
  /** Why not, in words (empty when done). */
  readonly reason: string;
  /** The hook's own result, when a hook performed the act. */
  readonly hook?: HookRun;
  /** The own performer threw (chargecheck could not do it itself). */
  readonly ownError?: string;
}
