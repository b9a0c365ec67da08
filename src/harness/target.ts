import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { parseHook } from '../acts/parse-hook.js';
import type { Hook } from '../acts/model.js';
import { ChargecheckError } from '../errors.js';
import { durationMs } from '../scenario/duration.js';

/** The CSMS `run` tests, as a target file (schemas/target.schema.json) and the CLI flags describe it. */
export interface Target {
  readonly csmsUrl: string;
  /** Charge point ids registered at the CSMS, one per concurrent scenario. */
  readonly ids: readonly string[];
  readonly password?: string;
  /** Name of the variable the password came from (for messages; never the password). */
  readonly passwordEnv?: string;
  readonly ca?: string;
  readonly idTags: readonly string[];
  readonly hooks: Readonly<Record<string, Hook>>;
  readonly actsOnItsOwn: readonly string[];
  /** The CSMS curtails (limitOff, release) during sessions by itself: true, never: false, unsaid: undefined. */
  readonly curtailsDuringSessions?: boolean;
  readonly actWindowsMs: Readonly<Record<string, number>>;
  readonly reconnectDelayMs: number;
  /** Extra values hooks may name (`vars:` in the file, `--var` on the command line). */
  readonly vars: Readonly<Record<string, string>>;
  readonly interactive: boolean;
  readonly tls: 'platform' | 'any';
  readonly checks: { readonly plainWs: boolean; readonly wrongPassword: boolean };
}

export const DEFAULT_RECONNECT_DELAY_MS = 3_000;

const SCHEMA = JSON.parse(readFileSync(new URL('../../schemas/target.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);

interface TargetFile {
  csms: string;
  chargePoints?: string[] | { template: string; count: number };
  passwordEnv?: string;
  ca?: string;
  idTags?: string[];
  reconnectDelay?: string;
  actsOnItsOwn?: string[];
  curtailsDuringSessions?: boolean;
  actWindows?: Record<string, string>;
  hooks?: Record<string, unknown>;
  vars?: Record<string, string>;
  interactive?: boolean;
  tls?: 'platform' | 'any';
  checks?: { plainWs?: boolean; wrongPassword?: boolean };
}

function invalid(file: string, problems: string[]): never {
  throw new ChargecheckError('RUN_TARGET_INVALID', `target ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { file, problems });
}

/** Reads and checks a target file; every problem is listed at once (RUN_TARGET_INVALID). */
export function loadTargetFile(file: string, env: NodeJS.ProcessEnv = process.env, overridden: { ca?: boolean; password?: boolean } = {}): Target {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return invalid(file, [`cannot read it: ${(err as Error).message}`]);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    return invalid(file, [`not YAML: ${(err as Error).message}`]);
  }
  if (!validate(data)) {
    invalid(file, (validate.errors ?? []).map((e) => `${e.instancePath || '(top)'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : ''}`));
  }
  const t = data as TargetFile;
  const problems: string[] = [];
  const hooks: Record<string, Hook> = {};
  for (const [kind, h] of Object.entries(t.hooks ?? {})) {
    try {
      hooks[kind] = parseHook(h, `hooks.${kind}`);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  let password: string | undefined;
  if (t.passwordEnv && !overridden.password) {
    password = env[t.passwordEnv];
    if (password === undefined || password === '') problems.push(`passwordEnv: the environment variable ${t.passwordEnv} is not set`);
  }
  let ca: string | undefined;
  if (t.ca && !overridden.ca) {
    try {
      ca = readFileSync(resolve(dirname(file), t.ca), 'utf8');
    } catch (err) {
      problems.push(`ca: cannot read ${t.ca}: ${(err as Error).message}`);
    }
  }
  if (problems.length) invalid(file, problems);
  const cp = t.chargePoints;
  const ids = cp === undefined ? ['CHARGECHECK'] : Array.isArray(cp) ? cp : Array.from({ length: cp.count }, (_, i) => cp.template.replace(/\{n\}/g, String(i + 1)));
  return {
    csmsUrl: t.csms.replace(/\/+$/, ''),
    ids,
    password,
    passwordEnv: t.passwordEnv,
    ca,
    idTags: t.idTags ?? ['RFID-0001'],
    hooks,
    actsOnItsOwn: t.actsOnItsOwn ?? [],
    ...(t.curtailsDuringSessions !== undefined ? { curtailsDuringSessions: t.curtailsDuringSessions } : {}),
    actWindowsMs: Object.fromEntries(Object.entries(t.actWindows ?? {}).map(([k, v]) => [k, durationMs(v)])),
    reconnectDelayMs: t.reconnectDelay ? durationMs(t.reconnectDelay) : DEFAULT_RECONNECT_DELAY_MS,
    vars: t.vars ?? {},
    interactive: t.interactive ?? false,
    tls: t.tls ?? 'platform',
    checks: { plainWs: t.checks?.plainWs ?? true, wrongPassword: t.checks?.wrongPassword ?? true },
  };
}

/** A target from flags alone (`--csms URL --id ID …`): no hooks, the CSMS acts only by itself. */
export function targetFromFlags(flags: { csmsUrl: string; id?: string; password?: string; ca?: string }): Target {
  return {
    csmsUrl: flags.csmsUrl,
    ids: [flags.id ?? 'CHARGECHECK'],
    password: flags.password,
    ca: flags.ca,
    idTags: ['RFID-0001'],
    hooks: {},
    actsOnItsOwn: [],
    actWindowsMs: {},
    reconnectDelayMs: DEFAULT_RECONNECT_DELAY_MS,
    vars: {},
    interactive: false,
    tls: 'platform',
    checks: { plainWs: false, wrongPassword: false },
  };
}
