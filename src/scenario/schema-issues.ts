import type { ErrorObject } from 'ajv';
import { didYouMean } from '../did-you-mean.js';
import { DURATION_PATTERN, SIGNED_DURATION_PATTERN } from './duration.js';
import type { Issue } from './issue.js';
import type { JsonSchema } from './registry.js';
import { escapePointer, unescapePointer } from './yaml-tree.js';

/**
 * Turns Ajv's errors (allErrors, verbose) into scenario issues with stable codes, words a person
 * can act on, and "did you mean" for keys and enum values. `base` is prepended to Ajv's instance
 * paths (a step's arguments are validated on their own); `scope` names where the value sits.
 */
export function ajvIssues(errors: readonly ErrorObject[], base: string, scope: (pointer: string) => string): Issue[] {
  return errors.flatMap((e) => toIssue(e, base + e.instancePath, scope)).filter((i): i is Issue => i !== undefined);
}

/** The last named segment (with an index if the value is a list item): `socPercent`, `requirements[1]`. */
export function shortName(pointer: string): string {
  const parts = pointer.split('/').slice(1).map(unescapePointer);
  const last = parts.at(-1);
  if (last === undefined) return 'the document';
  if (/^\d+$/.test(last) && parts.length > 1) return `${parts.at(-2)}[${last}]`;
  return last;
}

function enumSubject(pointer: string): string {
  const parts = pointer.split('/').slice(1).map(unescapePointer);
  const last = parts.at(-1) ?? '';
  return /^\d+$/.test(last) && parts.length > 1 ? `entry of '${parts.at(-2)}'` : last;
}

function firstSentence(text: string): string {
  return text.split(/\. (?=[A-Z])/)[0];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What a limit keyword asks for, as the end of "'x' must be …". */
function limitText(e: ErrorObject): string | undefined {
  const n = e.params.limit as number;
  switch (e.keyword) {
    case 'minimum':
      return `≥ ${n}`;
    case 'maximum':
      return `≤ ${n}`;
    case 'exclusiveMinimum':
      return `> ${n}`;
    case 'exclusiveMaximum':
      return `< ${n}`;
    case 'minLength':
      return `at least ${plural(n, 'character')} long`;
    case 'maxLength':
      return `at most ${plural(n, 'character')} long`;
    case 'minItems':
      return `a list of at least ${plural(n, 'entry').replace('entrys', 'entries')}`;
    case 'maxItems':
      return `a list of at most ${plural(n, 'entry').replace('entrys', 'entries')}`;
    case 'uniqueItems':
      return 'a list without repeated entries';
    default:
      return undefined;
  }
}

export function typeText(schema: unknown): string {
  const s = (schema ?? {}) as JsonSchema;
  if (Array.isArray(s.enum)) return listText(s.enum);
  const t = s.type;
  const name = (x: unknown): string => (x === 'integer' ? 'an integer' : x === 'array' ? 'a list' : x === 'object' ? 'a mapping' : `a ${String(x)}`);
  if (Array.isArray(t)) return t.map(name).join(' or ');
  if (t === 'string' && (s.pattern === DURATION_PATTERN || s.pattern === SIGNED_DURATION_PATTERN)) return 'a duration like 60s';
  return t === undefined ? 'any value' : name(t);
}

export function listText(values: readonly unknown[]): string {
  const shown = values.map((v) => String(v));
  if (shown.length <= 10) return `one of ${shown.join(', ')}`;
  return `one of ${shown.length} values: ${shown.slice(0, 6).join(', ')}, …`;
}

export function valueText(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string '${v}'`;
  return `the ${typeof v} ${String(v)}`;
}

function durationHint(value: unknown): string | undefined {
  if (typeof value === 'number') return `did you mean '${value}s'?`;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+)\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|milliseconds?|msecs?)\s*$/i.exec(value);
  if (m) return `did you mean '${m[1]}${m[2].toLowerCase().startsWith('mil') || m[2].toLowerCase().startsWith('ms') ? 'ms' : m[2][0].toLowerCase()}'?`;
  if (/^\d+(\.\d+)$/.test(value)) return `did you mean '${value}s'?`;
  if (/\d\.\d/.test(value)) return 'use whole units: 1m30s, not 1.5m';
  return 'units are h, m, s and ms, largest first';
}

function toIssue(e: ErrorObject, pointer: string, scope: (pointer: string) => string): Issue | undefined {
  const parentSchema = (e.parentSchema ?? {}) as JsonSchema;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys((parentSchema.properties ?? {}) as JsonSchema);
      const hint = didYouMean(key, allowed);
      return {
        code: 'SCENARIO_UNKNOWN_KEY',
        pointer: `${pointer}/${escapePointer(key)}`,
        at: 'key',
        message: `unknown key '${key}' ${scope(pointer)}`,
        expected: allowed.length ? listText(allowed) : 'no keys',
        ...(hint ? { hint } : {}),
      };
    }
    case 'required': {
      const key = String(e.params.missingProperty);
      const prop = ((parentSchema.properties ?? {}) as Record<string, JsonSchema>)[key];
      return {
        code: 'SCENARIO_MISSING_FIELD',
        pointer,
        at: 'key',
        message: `missing required field '${key}' ${scope(pointer)}`,
        expected: `${key}: ${typeText(prop)}${prop?.description ? ` (${firstSentence(String(prop.description))})` : ''}`,
      };
    }
    case 'type':
      if (parentSchema.pattern === DURATION_PATTERN || parentSchema.pattern === SIGNED_DURATION_PATTERN) {
        const hint = durationHint(e.data);
        return {
          code: 'SCENARIO_BAD_DURATION',
          pointer,
          at: 'value',
          message: `'${shortName(pointer)}' must be a duration, not ${valueText(e.data)}`,
          expected: 'a duration like 500ms, 60s, 2m or 1h30m',
          ...(hint ? { hint } : {}),
        };
      }
      return {
        code: 'SCENARIO_WRONG_TYPE',
        pointer,
        at: 'value',
        message: `'${shortName(pointer)}' must be ${typeText(parentSchema)}, not ${valueText(e.data)}`,
        expected: typeText(parentSchema),
      };
    case 'enum': {
      const allowed = (e.params.allowedValues ?? []) as unknown[];
      const hint = typeof e.data === 'string' ? didYouMean(e.data, allowed.map(String)) : undefined;
      const isRequirement = /^\/requirements\/\d+$/.test(pointer);
      return {
        code: isRequirement ? 'SCENARIO_UNKNOWN_REQUIREMENT' : 'SCENARIO_BAD_ENUM',
        pointer,
        at: 'value',
        message: isRequirement ? `unknown requirement id '${String(e.data)}'` : `'${String(e.data)}' is not a valid ${enumSubject(pointer)}`,
        expected: isRequirement ? `one of the ${allowed.length} known requirement ids (${allowed.slice(0, 4).map(String).join(', ')}, …)` : listText(allowed),
        ...(hint ? { hint } : {}),
      };
    }
    case 'pattern':
      if (e.params.pattern === DURATION_PATTERN || e.params.pattern === SIGNED_DURATION_PATTERN) {
        const hint = durationHint(e.data);
        return {
          code: 'SCENARIO_BAD_DURATION',
          pointer,
          at: 'value',
          message: `'${String(e.data)}' is not a duration (${shortName(pointer)})`,
          expected: e.params.pattern === SIGNED_DURATION_PATTERN ? 'a duration like 30s or -5m' : 'a duration like 500ms, 60s, 2m or 1h30m',
          ...(hint ? { hint } : {}),
        };
      }
      return { code: 'SCENARIO_BAD_VALUE', pointer, at: 'value', message: `'${shortName(pointer)}' ${e.message ?? 'is invalid'}` };
    case 'anyOf':
    case 'oneOf':
    case 'if':
      return undefined;
    default: {
      const limit = limitText(e);
      return { code: 'SCENARIO_BAD_VALUE', pointer, at: 'value', message: `'${shortName(pointer)}' ${limit ? `must be ${limit}` : (e.message ?? 'is invalid')}` };
    }
  }
}
