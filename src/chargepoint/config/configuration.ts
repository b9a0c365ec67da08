import { ChargecheckError } from '../../errors.js';
import type { ChangeConfigurationResponse, GetConfigurationRequest, GetConfigurationResponse } from '../../ocpp/types.js';
import { KEY_DEFS, type KeyDef } from './keys.js';

export type ChangeStatus = ChangeConfigurationResponse['status'];

export interface ChangeResult {
  status: ChangeStatus;
  /** The canonical key name, when the key is known. */
  key?: string;
  /** Why a Rejected change was refused. */
  reason?: string;
}

/** The key table by lower-case name: one per process, shared by every charger. */
const DEFS = new Map<string, KeyDef>(KEY_DEFS.map((d) => [d.name.toLowerCase(), d]));

/**
 * The charger's configuration: typed keys matched case-insensitively, read-only and write-only
 * access, validation, and the ChangeConfiguration / GetConfiguration answers (digest §8).
 */
export class Configuration {
  /** Values set on this charger (by name); every other key has its table default. */
  private readonly values = new Map<string, string>();
  private readonly listeners = new Set<(key: string, value: string) => void>();
  private readonly guards = new Map<string, (value: string, refused: string | undefined) => string | undefined>();

  constructor(fixed: Record<string, string> = {}, persisted: Record<string, string> = {}) {
    for (const [key, value] of Object.entries(fixed)) this.values.set(this.def(key)!.name, value);
    for (const [key, value] of Object.entries(persisted)) {
      const def = this.def(key);
      if (def && def.access !== 'R') this.values.set(def.name, value);
    }
  }

  /**
   * Applies setup overrides (the constructor's `config` option): validated like
   * ChangeConfiguration, but read-only keys may be set (this is the vendor's configuration).
   * Throws CP_CONFIG_INVALID on an unknown key or a bad value.
   */
  applyOverrides(overrides: Record<string, string>): void {
    for (const [key, value] of Object.entries(overrides)) {
      const result = this.change(key, value, { allowReadOnly: true, silent: true });
      if (result.status === 'NotSupported' || result.status === 'Rejected') {
        throw new ChargecheckError('CP_CONFIG_INVALID', `configuration override ${key}=${value}: ${result.reason ?? result.status}`, { key, value });
      }
    }
  }

  private def(key: string): KeyDef | undefined {
    return DEFS.get(key.toLowerCase());
  }

  private valueOf(def: KeyDef): string {
    return this.values.get(def.name) ?? def.value;
  }

  /** Every key's value, in table order (what a key's check sees). */
  private all(): Map<string, string> {
    return new Map(KEY_DEFS.map((d) => [d.name, this.valueOf(d)]));
  }

  /** The value of a key (any access, AuthorizationKey included), matched case-insensitively. */
  get(key: string): string | undefined {
    const def = this.def(key);
    return def ? this.valueOf(def) : undefined;
  }

  bool(key: string): boolean {
    return this.get(key) === 'true';
  }

  int(key: string): number {
    return Number(this.get(key) ?? '0');
  }

  /** Every key and value readable over OCPP (AuthorizationKey is write-only and left out). */
  entries(): [string, string][] {
    return KEY_DEFS.filter((d) => d.access !== 'W').map((d) => [d.name, this.valueOf(d)]);
  }

  /** Values worth persisting (everything writable). */
  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of KEY_DEFS) if (d.access !== 'R') out[d.name] = this.valueOf(d);
    return out;
  }

  /**
   * A check on one key's values that needs more than the configuration (e.g. the certificate
   * store for SecurityProfile). It gets the key's own verdict (`refused`, undefined when fine)
   * and returns the final one: a reason to refuse, or undefined.
   */
  guard(key: string, check: (value: string, refused: string | undefined) => string | undefined): void {
    const def = this.def(key);
    if (def) this.guards.set(def.name, check);
  }

  /** Runs `fn(key, value)` after every accepted change; returns an unsubscribe. */
  onChange(fn: (key: string, value: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** ChangeConfiguration semantics (digest §8): NotSupported, Rejected, Accepted or RebootRequired. */
  change(key: string, value: string, options: { allowReadOnly?: boolean; silent?: boolean; force?: boolean } = {}): ChangeResult {
    const def = this.def(key);
    if (!def) return { status: 'NotSupported', reason: 'unknown key' };
    if (def.access === 'R' && !options.allowReadOnly) return { status: 'Rejected', key: def.name, reason: 'read-only' };
    const normalised = normalise(def, value);
    if (normalised === undefined) return { status: 'Rejected', key: def.name, reason: `not a valid ${def.type}` };
    // `force`: the firmware itself sets the value (a security profile fallback), no rule applies
    const own = options.force ? undefined : def.check?.(normalised, this.all());
    const guard = options.force ? undefined : this.guards.get(def.name);
    const reason = (guard ? guard(normalised, own) : own) ?? this.checkLength(def, normalised);
    if (reason) return { status: 'Rejected', key: def.name, reason };
    this.values.set(def.name, normalised);
    if (!options.silent) for (const fn of this.listeners) fn(def.name, normalised);
    return { status: def.rebootRequired ? 'RebootRequired' : 'Accepted', key: def.name };
  }

  private checkLength(def: KeyDef, value: string): string | undefined {
    if (def.type !== 'csl' || !def.maxLengthKey) return undefined;
    const lengthDef = this.def(def.maxLengthKey);
    const max = Number((lengthDef && this.valueOf(lengthDef)) ?? '1');
    const n = value.split(',').filter((s) => s.trim() !== '').length;
    return n > max ? `at most ${max} items (${def.maxLengthKey})` : undefined;
  }

  /** GetConfiguration: known keys with their access, unknown ones listed; AuthorizationKey never returned. */
  getConfiguration(req: GetConfigurationRequest): GetConfigurationResponse {
    const wanted = req.key && req.key.length > 0 ? req.key : KEY_DEFS.map((d) => d.name);
    const configurationKey: NonNullable<GetConfigurationResponse['configurationKey']> = [];
    const unknownKey: string[] = [];
    for (const key of wanted) {
      const def = this.def(key);
      if (!def) unknownKey.push(key);
      else if (def.access !== 'W') configurationKey.push({ key: def.name, readonly: def.access === 'R', value: this.valueOf(def) });
    }
    const res: GetConfigurationResponse = { configurationKey };
    if (unknownKey.length > 0) res.unknownKey = unknownKey;
    return res;
  }
}

function normalise(def: KeyDef, value: string): string | undefined {
  const v = value.trim();
  switch (def.type) {
    case 'boolean':
      return /^(true|false)$/i.test(v) ? v.toLowerCase() : undefined;
    case 'integer':
      return /^[+-]?\d+$/.test(v) ? String(Number(v)) : undefined;
    case 'csl':
      return v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .join(',');
    default:
      return value;
  }
}
