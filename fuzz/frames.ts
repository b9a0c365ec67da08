/**
 * Property-based generators (fast-check) of malformed and schema-invalid OCPP-J frames, each with
 * the answer OCPP 1.6 requires — derived from the official schemas and the 1.6 error rules
 * (digest §3), not from our validator:
 * missing required field → OccurenceConstraintViolation, wrong JSON type → TypeConstraintViolation,
 * value outside an enum or too long → PropertyConstraintViolation, a property the PDU does not
 * have or a payload that is not an object → FormationViolation, an action 1.6 does not define →
 * NotImplemented, one the receiver does not take (wrong direction) → NotSupported; frames that are
 * not CALLs (unknown message types, stray results, garbage) are never answered.
 */
import fc from 'fast-check';
import { ACTIONS, type ActionName } from '../src/ocpp/catalogue.js';
import { loadSchema, type JsonSchema } from '../src/ocpp/schema-files.js';

export type Expected =
  | { readonly kind: 'result' }
  | { readonly kind: 'error'; readonly code: string }
  | { readonly kind: 'error-any' }
  | { readonly kind: 'none' };

/** One frame to send. `text` holds `@ID@` where the message id goes (assigned when sent). */
export interface FuzzCase {
  readonly category: string;
  readonly text: string;
  readonly binary?: boolean;
  readonly expect: Expected;
}

export type Target = 'csms' | 'chargepoint';

interface Schema {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: Schema;
  minItems?: number;
  maxLength?: number;
  minimum?: number;
  format?: string;
}

/** The smallest payload the schema accepts: required properties only, first enum values. */
export function minimalValue(schema: Schema): unknown {
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const key of schema.required ?? []) o[key] = minimalValue(schema.properties?.[key] ?? {});
      return o;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => minimalValue(schema.items ?? {}));
    case 'string':
      return schema.format === 'date-time' ? '2026-01-01T08:00:00.000Z' : schema.format === 'uri' ? 'https://files.test/f' : 'a';
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return true;
    default:
      return 'a';
  }
}

/** JSON values that are surely not of `type` (1.0 would still be an integer, so it is not offered). */
function wrongTypeValues(type: string | undefined): unknown[] {
  switch (type) {
    case 'string':
      return [1, true, {}, [], null];
    case 'integer':
      return ['1', true, 1.5, {}, [], null];
    case 'number':
      return ['1', true, {}, [], null];
    case 'boolean':
      return ['true', 1, {}, null];
    case 'object':
      return [[], 'x', 1, null];
    case 'array':
      return [{}, 'x', 1, null];
    default:
      return [];
  }
}

interface ActionSchema {
  readonly action: ActionName;
  readonly schema: Schema;
}

const SECURITY: ReadonlySet<string> = new Set([...ACTIONS.values()].filter((a) => a.profile === 'Security').map((a) => a.action));

/** Actions `target` receives in OCPP 1.6 (without the security whitepaper's, which a target may not take). */
function received(target: Target): ActionSchema[] {
  const wanted = target === 'csms' ? 'ChargePointToCsms' : 'CsmsToChargePoint';
  return [...ACTIONS.values()]
    .filter((a) => (a.direction === wanted || a.direction === 'Both') && !SECURITY.has(a.action))
    .map((a) => ({ action: a.action, schema: loadSchema(a.requestSchema) as Schema }));
}

/** Actions `target` never receives (the other direction only). */
function notReceived(target: Target): ActionSchema[] {
  const other = target === 'csms' ? 'CsmsToChargePoint' : 'ChargePointToCsms';
  return [...ACTIONS.values()].filter((a) => a.direction === other && !SECURITY.has(a.action)).map((a) => ({ action: a.action, schema: loadSchema(a.requestSchema) as Schema }));
}

/** CSMS → charger requests whose valid form would stop the session (reboot, a download, an upload). */
const DISRUPTIVE: ReadonlySet<string> = new Set(['Reset', 'UpdateFirmware', 'GetDiagnostics', 'RemoteStartTransaction', 'ChangeAvailability']);

const call = (action: string, payload: unknown): string => `[2,"@ID@",${JSON.stringify(action)},${JSON.stringify(payload)}]`;

/** Every kind of case for one target, as one fast-check arbitrary. */
export function fuzzCase(target: Target): fc.Arbitrary<FuzzCase> {
  const mine = received(target);
  const valid = mine.filter((a) => !(target === 'chargepoint' && DISRUPTIVE.has(a.action)));
  const withRequired = mine.filter((a) => (a.schema.required ?? []).length > 0);
  const typed = mine.flatMap((a) => Object.entries(a.schema.properties ?? {}).filter(([, p]) => wrongTypeValues(p.type).length > 0).map(([key, p]) => ({ ...a, key, prop: p })));
  const enums = mine.flatMap((a) => Object.entries(a.schema.properties ?? {}).filter(([, p]) => p.enum).map(([key, p]) => ({ ...a, key, prop: p })));
  const bounded = mine.flatMap((a) => Object.entries(a.schema.properties ?? {}).filter(([, p]) => p.type === 'string' && p.maxLength && !p.enum).map(([key, p]) => ({ ...a, key, prop: p })));
  const closed = mine.filter((a) => a.schema.additionalProperties === false);
  const base = (a: ActionSchema) => minimalValue(a.schema) as Record<string, unknown>;
  const json = fc.jsonValue({ maxDepth: 2 });
  const actionNames = new Set<string>(ACTIONS.keys());

  const cases: fc.Arbitrary<FuzzCase>[] = [
    fc.constantFrom(...valid).map((a) => ({ category: 'valid', text: call(a.action, base(a)), expect: { kind: 'result' } })),
    fc.tuple(fc.constantFrom(...withRequired), fc.nat()).map(([a, n]) => {
      const p = base(a);
      const required = a.schema.required!;
      delete p[required[n % required.length]];
      return { category: 'missing-required', text: call(a.action, p), expect: { kind: 'error', code: 'OccurenceConstraintViolation' } };
    }),
    fc.tuple(fc.constantFrom(...typed), fc.nat()).map(([t, n]) => {
      const values = wrongTypeValues(t.prop.type);
      const p = { ...base(t), [t.key]: values[n % values.length] };
      return { category: 'wrong-type', text: call(t.action, p), expect: { kind: 'error', code: 'TypeConstraintViolation' } };
    }),
    fc.tuple(fc.constantFrom(...enums), fc.string({ minLength: 1, maxLength: 20 })).map(([t, value]) => {
      const bad = t.prop.enum!.includes(value) ? `${value}-not-in-enum` : value;
      return { category: 'bad-enum', text: call(t.action, { ...base(t), [t.key]: bad }), expect: { kind: 'error', code: 'PropertyConstraintViolation' } };
    }),
    fc.tuple(fc.constantFrom(...bounded), fc.integer({ min: 1, max: 300 })).map(([t, extra]) => ({
      category: 'too-long',
      text: call(t.action, { ...base(t), [t.key]: 'x'.repeat(t.prop.maxLength! + extra) }),
      expect: { kind: 'error', code: 'PropertyConstraintViolation' },
    })),
    fc.tuple(fc.constantFrom(...closed), fc.string({ minLength: 1, maxLength: 12 }), json).map(([a, key, value]) => {
      const name = a.schema.properties && key in a.schema.properties ? `${key}_extra` : key;
      // JSON.stringify drops a property named __proto__ set by assignment; defineProperty keeps it
      const p = base(a);
      Object.defineProperty(p, name, { value, enumerable: true, configurable: true, writable: true });
      return { category: 'extra-property', text: call(a.action, p), expect: { kind: 'error', code: 'FormationViolation' } };
    }),
    fc.tuple(fc.constantFrom(...mine), fc.oneof(fc.array(json, { maxLength: 3 }), fc.integer(), fc.string(), fc.constant(null), fc.boolean())).map(([a, payload]) => ({
      category: 'payload-not-object',
      text: call(a.action, payload),
      expect: { kind: 'error', code: 'FormationViolation' },
    })),
    fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !actionNames.has(s)).map((action) => ({ category: 'unknown-action', text: call(action, {}), expect: { kind: 'error', code: 'NotImplemented' } })),
    fc.constantFrom(...notReceived(target)).map((a) => ({ category: 'wrong-direction', text: call(a.action, base(a)), expect: { kind: 'error', code: 'NotSupported' } })),
    fc.tuple(fc.constantFrom(...mine), fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 }))).map(([a, extra]) => ({
      category: 'wrong-length',
      text: extra === 0 ? `[2,"@ID@",${JSON.stringify(a.action)}]` : `[2,"@ID@",${JSON.stringify(a.action)},{}${',1'.repeat(extra)}]`,
      expect: { kind: 'error', code: 'ProtocolError' },
    })),
    fc.tuple(fc.constantFrom(...mine), fc.nat()).map(([a, n]) => {
      // cut after the id: the id is readable, the frame is not JSON
      const text = call(a.action, base(a));
      const head = '[2,"@ID@",'.length;
      return { category: 'truncated', text: text.slice(0, head + (n % (text.length - head - 1))), expect: { kind: 'error', code: 'FormationViolation' } };
    }),
    fc.tuple(fc.integer({ min: 5, max: 1000 }), json).map(([type, x]) => ({ category: 'unknown-type', text: `[${type},"@ID@","Heartbeat",${JSON.stringify(x)}]`, expect: { kind: 'none' } })),
    fc.tuple(fc.boolean(), json).map(([result, x]) => ({
      category: 'stray-answer',
      text: result ? `[3,"@ID@",${JSON.stringify({ x })}]` : `[4,"@ID@","GenericError","",{}]`,
      expect: { kind: 'none' },
    })),
    fc.oneof(
      fc.string({ maxLength: 80 }).filter((s) => !s.trimStart().startsWith('[')),
      json.filter((v) => !Array.isArray(v)).map((v) => JSON.stringify(v) ?? 'null'),
      fc.constantFrom('[]', '[[]]', '["2","x","Heartbeat",{}]', '[2,3,"Heartbeat",{}]', '[2.5,"x","Heartbeat",{}]'),
    ).map((text) => ({ category: 'garbage', text, expect: { kind: 'none' } })),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ category: 'binary', text: Buffer.from(bytes).toString('latin1'), binary: true, expect: { kind: 'none' } })),
  ];
  return fc.oneof(...cases);
}

/** `count` cases for `target`, reproducible from `seed` (fast-check's own seeded generator). */
export function sampleCases(target: Target, seed: number, count: number): FuzzCase[] {
  return fc.sample(fuzzCase(target), { seed, numRuns: count });
}

export type { JsonSchema };
