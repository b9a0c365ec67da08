import { ChargecheckError } from '../errors.js';
import type { ActVariables, Hook, JsonValue } from './model.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}$/;

/** The names a text uses as `{{name}}`. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

function lookup(name: string, vars: ActVariables): string | number | boolean {
  const v = vars[name];
  if (v === undefined) {
    const known = Object.keys(vars).filter((k) => vars[k] !== undefined);
    throw new ChargecheckError('ACT_TEMPLATE_UNKNOWN', `{{${name}}} has no value here (known: ${known.join(', ') || 'none'})`, { name, known });
  }
  return v;
}

/** Replaces every `{{name}}`; `quote` transforms each value (e.g. shell quoting). Unknown names throw ACT_TEMPLATE_UNKNOWN. */
export function fillText(text: string, vars: ActVariables, quote: (value: string) => string = (s) => s): string {
  return text.replace(PLACEHOLDER, (_m, name: string) => quote(String(lookup(name, vars))));
}

/** Fills a JSON body: strings are templated; a string that is exactly `{{name}}` takes the value's own type. */
export function fillJson(value: JsonValue, vars: ActVariables): JsonValue {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    return whole ? lookup(whole[1]!, vars) : fillText(value, vars);
  }
  if (Array.isArray(value)) return value.map((v) => fillJson(v, vars));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(v, vars)]));
  }
  return value;
}

/** POSIX shell single-quoting: the value is one word whatever it contains. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function jsonStrings(value: JsonValue | undefined, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => jsonStrings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => jsonStrings(v, out));
  return out;
}

/** Every `{{name}}` a hook uses, so a run can check before it starts that each will have a value. */
export function hookVariables(hook: Hook): string[] {
  const texts: string[] = [];
  if ('http' in hook) {
    texts.push(hook.http.url, ...Object.values(hook.http.headers ?? {}));
    jsonStrings(hook.http.body, texts);
  } else {
    texts.push(...(typeof hook.command === 'string' ? [hook.command] : hook.command), ...Object.values(hook.env ?? {}));
  }
  return [...new Set(texts.flatMap(placeholders))];
}
