/**
 * Matchers: how scenario files say what a payload, a response or a reading must look like.
 *
 * - a scalar matches itself (a number also matches its numeric string: `60` ~ `"60"`, since OCPP
 *   carries meter values and configuration as strings);
 * - an object matches partially: only the listed keys are checked, recursively;
 * - an array matches element-wise (same length);
 * - an operator object (only operator keys) tests the value:
 *   `{ equals: v }` exact deep equality, `{ regex: "…" }`, `{ between: [a, b] }` (inclusive),
 *   `{ gte }`, `{ gt }`, `{ lte }`, `{ lt }` (combinable), `{ any: true }` present with any value,
 *   `{ absent: true }` key not present, `{ contains: [m, …] }` array with an element matching each,
 *   `{ oneOf: [m, …] }` matches one of the alternatives, `{ near: [time, ms] }` a date-time within
 *   ms of time (typically a captured `'{{bootTime}}'`).
 * A mismatch explains itself: where (path), what was expected, what was found.
 */
export interface Mismatch {
  /** Path to the mismatching value, e.g. `$.idTagInfo.status`, `$.meterValue[0]`. */
  readonly path: string;
  readonly expected: string;
  readonly actual: unknown;
  /** `$.idTagInfo.status: expected "Accepted", got "Blocked"`. */
  readonly message: string;
}

/** A problem with a matcher itself, found when the scenario is loaded. */
export interface MatcherIssue {
  /** JSON pointer relative to the matcher's root. */
  readonly pointer: string;
  readonly message: string;
}

const RANGE_KEYS = ['between', 'gte', 'gt', 'lte', 'lt'] as const;
const SOLO_KEYS = ['equals', 'regex', 'any', 'absent', 'contains', 'oneOf', 'near'] as const;
export const MATCHER_OPERATORS: readonly string[] = [...SOLO_KEYS, ...RANGE_KEYS];

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An object whose keys are all operator names is an operator, not a partial object. */
export function isOperator(spec: unknown): spec is Obj {
  if (!isObject(spec)) return false;
  const keys = Object.keys(spec);
  return keys.length > 0 && keys.every((k) => MATCHER_OPERATORS.includes(k));
}

export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** A whole-string `{{name}}`: a captured value, filled in when the step runs (scenario/captures.ts). */
function isPlaceholder(v: unknown): boolean {
  return typeof v === 'string' && /^\{\{\s*[A-Za-z_][A-Za-z0-9_.]*\s*\}\}$/.test(v);
}

/** Checks a matcher's own shape; an empty list means it is usable. */
export function checkMatcher(spec: unknown, pointer = ''): MatcherIssue[] {
  if (Array.isArray(spec)) return spec.flatMap((s, i) => checkMatcher(s, `${pointer}/${i}`));
  if (!isObject(spec)) return [];
  if (!isOperator(spec)) return Object.entries(spec).flatMap(([k, v]) => checkMatcher(v, `${pointer}/${k}`));
  const keys = Object.keys(spec);
  const solo = keys.filter((k) => (SOLO_KEYS as readonly string[]).includes(k));
  if (solo.length > 1 || (solo.length === 1 && keys.length > 1)) {
    return [{ pointer, message: `'${solo[0]}' cannot be combined with other operators (${keys.join(', ')})` }];
  }
  const issues: MatcherIssue[] = [];
  const at = (k: string) => `${pointer}/${k}`;
  if ('regex' in spec) {
    if (typeof spec.regex !== 'string') issues.push({ pointer: at('regex'), message: 'regex must be a string' });
    else {
      try {
        new RegExp(spec.regex);
      } catch (e) {
        issues.push({ pointer: at('regex'), message: `invalid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}` });
      }
    }
  }
  if ('between' in spec) {
    const b = spec.between;
    if (!Array.isArray(b) || b.length !== 2 || b.some((x) => typeof x !== 'number') || (b[0] as number) > (b[1] as number)) {
      issues.push({ pointer: at('between'), message: 'between needs two numbers [low, high] with low ≤ high' });
    }
  }
  for (const k of ['gte', 'gt', 'lte', 'lt']) {
    if (k in spec && typeof spec[k] !== 'number' && !isPlaceholder(spec[k])) issues.push({ pointer: at(k), message: `${k} needs a number` });
  }
  if ('near' in spec) {
    const n = spec.near;
    if (!Array.isArray(n) || n.length !== 2 || typeof n[0] !== 'string' || (!isPlaceholder(n[0]) && Number.isNaN(Date.parse(n[0]))) || typeof n[1] !== 'number' || n[1] < 0) {
      issues.push({ pointer: at('near'), message: 'near needs [a date-time or a {{captured}} value, a tolerance in ms ≥ 0]' });
    }
  }
  for (const k of ['any', 'absent']) {
    if (k in spec && spec[k] !== true) issues.push({ pointer: at(k), message: `${k} takes only the value true` });
  }
  for (const k of ['contains', 'oneOf']) {
    if (!(k in spec)) continue;
    const list = spec[k];
    if (!Array.isArray(list) || list.length === 0) issues.push({ pointer: at(k), message: `${k} needs a non-empty list of matchers` });
    else issues.push(...list.flatMap((s, i) => checkMatcher(s, `${at(k)}/${i}`)));
  }
  return issues;
}

/** A short text for what a matcher wants, for failure messages and step titles. */
export function describeMatcher(spec: unknown): string {
  if (!isOperator(spec)) return JSON.stringify(spec);
  if ('equals' in spec) return `exactly ${JSON.stringify(spec.equals)}`;
  if ('regex' in spec) return `a string matching /${String(spec.regex)}/`;
  if ('any' in spec) return 'any value';
  if ('absent' in spec) return 'absent';
  if ('contains' in spec) return `a list containing ${(spec.contains as unknown[]).map(describeMatcher).join(', ')}`;
  if ('near' in spec && Array.isArray(spec.near)) return `a time within ${String(spec.near[1])} ms of ${String(spec.near[0])}`;
  if ('oneOf' in spec) return `one of ${(spec.oneOf as unknown[]).map(describeMatcher).join(', ')}`;
  const parts: string[] = [];
  if (Array.isArray(spec.between)) parts.push(`between ${String(spec.between[0])} and ${String(spec.between[1])}`);
  if ('gte' in spec) parts.push(`≥ ${String(spec.gte)}`);
  if ('gt' in spec) parts.push(`> ${String(spec.gt)}`);
  if ('lte' in spec) parts.push(`≤ ${String(spec.lte)}`);
  if ('lt' in spec) parts.push(`< ${String(spec.lt)}`);
  return parts.join(' and ');
}

function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

function miss(path: string, expected: string, actual: unknown): Mismatch {
  return { path, expected, actual, message: `${path}: expected ${expected}, got ${show(actual)}` };
}

function scalarEquals(spec: unknown, actual: unknown): boolean {
  if (spec === actual) return true;
  if (typeof spec === 'number' || typeof actual === 'number') {
    const a = toNumber(spec);
    const b = toNumber(actual);
    return a !== undefined && a === b;
  }
  if (typeof spec === 'boolean' && typeof actual === 'string') return String(spec) === actual.toLowerCase();
  return false;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function matchOperator(spec: Obj, actual: unknown, path: string): Mismatch | undefined {
  if ('absent' in spec) return actual === undefined ? undefined : miss(path, 'absent', actual);
  if (actual === undefined) return miss(path, describeMatcher(spec), actual);
  if ('any' in spec) return undefined;
  if ('equals' in spec) return deepEqual(spec.equals, actual) ? undefined : miss(path, describeMatcher(spec), actual);
  if ('regex' in spec) {
    const ok = (typeof actual === 'string' || typeof actual === 'number') && new RegExp(String(spec.regex)).test(String(actual));
    return ok ? undefined : miss(path, describeMatcher(spec), actual);
  }
  if ('near' in spec) {
    const [time, ms] = spec.near as [string, number];
    const a = typeof actual === 'string' ? Date.parse(actual) : Number.NaN;
    return !Number.isNaN(a) && Math.abs(a - Date.parse(time)) <= ms ? undefined : miss(path, describeMatcher(spec), actual);
  }
  if ('oneOf' in spec) {
    const alternatives = spec.oneOf as unknown[];
    return alternatives.some((alt) => !matchValue(alt, actual, path)) ? undefined : miss(path, describeMatcher(spec), actual);
  }
  if ('contains' in spec) {
    if (!Array.isArray(actual)) return miss(path, describeMatcher(spec), actual);
    for (const wanted of spec.contains as unknown[]) {
      if (!actual.some((el) => !matchValue(wanted, el, path))) {
        return miss(path, `a list containing ${describeMatcher(wanted)}`, actual);
      }
    }
    return undefined;
  }
  const n = toNumber(actual);
  const low = Array.isArray(spec.between) ? (spec.between[0] as number) : undefined;
  const high = Array.isArray(spec.between) ? (spec.between[1] as number) : undefined;
  const ok =
    n !== undefined &&
    (low === undefined || n >= low) &&
    (high === undefined || n <= high) &&
    (typeof spec.gte !== 'number' || n >= spec.gte) &&
    (typeof spec.gt !== 'number' || n > spec.gt) &&
    (typeof spec.lte !== 'number' || n <= spec.lte) &&
    (typeof spec.lt !== 'number' || n < spec.lt);
  return ok ? undefined : miss(path, describeMatcher(spec), actual);
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Matches `actual` against `spec`; undefined when it matches, else the first mismatch. */
export function matchValue(spec: unknown, actual: unknown, path = '$'): Mismatch | undefined {
  if (isOperator(spec)) return matchOperator(spec, actual, path);
  if (Array.isArray(spec)) {
    if (!Array.isArray(actual)) return miss(path, `a list of ${spec.length}`, actual);
    if (actual.length !== spec.length) return miss(path, `a list of ${spec.length}`, actual);
    for (let i = 0; i < spec.length; i++) {
      const m = matchValue(spec[i], actual[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (isObject(spec)) {
    if (!isObject(actual)) return miss(path, 'an object', actual);
    for (const [key, sub] of Object.entries(spec)) {
      const m = matchValue(sub, actual[key], childPath(path, key));
      if (m) return m;
    }
    return undefined;
  }
  return scalarEquals(spec, actual) ? undefined : miss(path, show(spec), actual);
}
