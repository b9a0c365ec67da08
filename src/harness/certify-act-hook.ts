import { runHook, type Hook, type JsonValue } from '../acts/index.js';
import type { Clock } from '../clock/clock.js';
import { ChargecheckError } from '../errors.js';
import type { DeviceAct } from './charger-under-test.js';

/**
 * The word a test bench sees for an act: one per physical thing to do, so a script can `case` on
 * it (`plug`, `unplug`, `present-id-tag`, `fault`, `clear-fault`, `ev-full`, `ev-pause`,
 * `ev-resume`, `network-down`, `network-up`, `reboot`).
 */
export function actWord(act: DeviceAct): string {
  switch (act.kind) {
    case 'presentIdTag':
      return 'present-id-tag';
    case 'clearFault':
      return 'clear-fault';
    case 'dropNetwork':
      return 'network-down';
    case 'restoreNetwork':
      return 'network-up';
    case 'setEv':
      if (act.detail?.paused === true) return 'ev-pause';
      if (Number(act.detail?.socPercent) >= 100) return 'ev-full';
      return 'ev-resume';
    default:
      return act.kind;
  }
}

/** What a hook gets for one act (also the HTTP body). */
export interface ActRequest {
  readonly act: string;
  readonly connector: number;
  readonly chargePointId: string;
  /** The step's arguments, e.g. `{ "tag": "RFID-0001" }`, `{ "errorCode": "GroundFailure" }`. */
  readonly detail: Readonly<Record<string, unknown>>;
  /** The sentence the operator prompt would show. */
  readonly prompt: string;
}

export interface ActHookResult {
  readonly ok: boolean;
  /** One line for the report: `exit 0`, `HTTP 204`, `exit 3: relay not found`. */
  readonly detail: string;
}

export type ActHook = (request: ActRequest, timeoutMs: number) => Promise<ActHookResult>;

/**
 * `--act-hook`, built on the shared acts mechanism (src/acts, the same hooks `run` uses for CSMS
 * acts): an `http://` or `https://` URL gets each act as a JSON POST (2xx = done); anything else is
 * a shell command run as `CMD <act> <connector> <json>` (values shell-quoted), with every value also
 * in the environment (CHARGECHECK_ACT, CHARGECHECK_CONNECTOR, CHARGECHECK_CHARGE_POINT_ID,
 * CHARGECHECK_JSON, …; exit 0 = done). Each run is limited to the act timeout on `clock`.
 */
export function actHookFrom(spec: string, clock: Clock): ActHook {
  if (!spec.trim()) throw new ChargecheckError('CLI_BAD_ACT_HOOK', '--act-hook needs a command or an http(s):// URL');
  const http = /^https?:\/\//i.test(spec);
  return async (req, timeoutMs) => {
    const vars = { act: req.act, connector: req.connector, chargePointId: req.chargePointId, prompt: req.prompt, json: JSON.stringify(req) };
    const hook: Hook = http
      ? { http: { method: 'POST', url: spec, body: { act: '{{act}}', connector: '{{connector}}', chargePointId: '{{chargePointId}}', prompt: '{{prompt}}', detail: toJson(req.detail) }, timeoutMs } }
      : { command: `${spec} {{act}} {{connector}} {{json}}`, timeoutMs };
    const run = await runHook(hook, vars, clock);
    return { ok: run.ok, detail: run.summary };
  };
}

function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? {})) as JsonValue;
}
