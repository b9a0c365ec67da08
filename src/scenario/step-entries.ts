import { stringify } from 'yaml';
import { compileScenarioSchema } from './ajv-engine.js';
import type { Side } from './context.js';
import { didYouMean } from '../did-you-mean.js';
import type { Issue } from './issue.js';
import { allowsBare, type JsonSchema, type StepDefinition, type StepRegistry } from './registry.js';
import { ajvIssues, typeText } from './schema-issues.js';
import { STEP_ENTRY_KEYS } from './schema.js';
import { escapePointer } from './yaml-tree.js';

/** A step entry that parsed: which step, its arguments (defaults filled), an optional title. */
export interface ParsedStep {
  readonly index: number;
  readonly def: StepDefinition;
  readonly args: unknown;
  readonly title?: string;
  readonly pointer: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stepScope(name: string, argsPointer: string) {
  return (pointer: string): string => {
    const inner = pointer.slice(argsPointer.length).split('/').filter(Boolean);
    return inner.length ? `in '${inner.join('.')}' of step '${name}'` : `in step '${name}'`;
  };
}

/** Validates one step's arguments against its schema, then its own checks. */
function checkArgs(def: StepDefinition, raw: unknown, argsPointer: string, role: Side | undefined): { args: unknown; issues: Issue[] } {
  const schema: JsonSchema = def.args;
  if (raw === null || raw === undefined) {
    if (!allowsBare(def)) {
      const required = Array.isArray(schema.required) ? ` (${schema.required.join(', ')})` : '';
      const expected = Array.isArray(schema.required) ? `a mapping with ${schema.required.join(', ')}` : typeText(schema);
      const example = stringify(def.example, { collectionStyle: 'flow', lineWidth: 0 }).trim();
      return {
        args: undefined,
        issues: [{ code: 'SCENARIO_MISSING_FIELD', pointer: argsPointer, at: 'key', message: `step '${def.name}' needs arguments${required}`, expected, hint: `e.g. ${def.name}: ${example}` }],
      };
    }
    raw = {};
  }
  const args: unknown = structuredClone(raw);
  const validate = compileScenarioSchema(schema);
  if (!validate(args)) return { args, issues: ajvIssues(validate.errors ?? [], argsPointer, stepScope(def.name, argsPointer)) };
  const own = role && def.check ? def.check(args, { role }) : [];
  return {
    args,
    issues: own.map((i) => ({ code: i.code, pointer: argsPointer + i.pointer, at: 'value' as const, message: i.message, ...(i.expected ? { expected: i.expected } : {}), ...(i.hint ? { hint: i.hint } : {}) })),
  };
}

function unknownStep(name: string, pointer: string, at: 'key' | 'value', registry: StepRegistry): Issue {
  const hint = didYouMean(name, registry.names());
  return { code: 'SCENARIO_UNKNOWN_STEP', pointer, at, message: `unknown step '${name}'`, expected: 'a step name (see docs/scenarios.md)', ...(hint ? { hint } : {}) };
}

/** Parses `steps[index]`: `- name`, `- name: args` or `- name: args` plus `title:`. */
export function parseStepEntry(entry: unknown, index: number, registry: StepRegistry, role: Side | undefined): { step?: ParsedStep; issues: Issue[] } {
  const pointer = `/steps/${index}`;
  if (typeof entry === 'string') {
    const def = registry.get(entry);
    if (!def) return { issues: [unknownStep(entry, pointer, 'value', registry)] };
    const { args, issues } = checkArgs(def, null, pointer, role);
    return issues.length ? { issues } : { step: { index, def, args, pointer }, issues };
  }
  if (!isObject(entry)) {
    return { issues: [{ code: 'SCENARIO_BAD_STEP', pointer, at: 'value', message: 'a step must be a step name or `name: arguments`', expected: '- connect, or - plug: { connector: 1 }' }] };
  }
  const issues: Issue[] = [];
  const keys = Object.keys(entry).filter((k) => !(STEP_ENTRY_KEYS as readonly string[]).includes(k));
  const known = keys.filter((k) => registry.get(k));
  if (keys.length === 0) return { issues: [{ code: 'SCENARIO_BAD_STEP', pointer, at: 'value', message: 'this step entry names no step', expected: 'a step name as the key, e.g. - plug: { connector: 1 }' }] };
  if (known.length === 0) return { issues: [unknownStep(keys[0], `${pointer}/${escapePointer(keys[0])}`, 'key', registry)] };
  if (known.length > 1) {
    return {
      issues: [{ code: 'SCENARIO_BAD_STEP', pointer: `${pointer}/${escapePointer(known[1])}`, at: 'key', message: `one step per entry, but this entry has '${known[0]}' and '${known[1]}'`, expected: 'one step name per list entry', hint: "start each step with '- '" }],
    };
  }
  const def = registry.get(known[0])!;
  const argProps = Object.keys((def.args.properties ?? {}) as JsonSchema);
  let misplacedArgs = false;
  for (const extra of keys.filter((k) => k !== def.name)) {
    const misplaced = argProps.includes(extra);
    misplacedArgs ||= misplaced;
    const hint = misplaced ? `indent '${extra}' under '${def.name}:' to make it an argument` : didYouMean(extra, [...STEP_ENTRY_KEYS]);
    issues.push({ code: 'SCENARIO_UNKNOWN_KEY', pointer: `${pointer}/${escapePointer(extra)}`, at: 'key', message: `unknown key '${extra}' beside step '${def.name}'`, expected: `the step name and optionally ${STEP_ENTRY_KEYS.join(', ')}`, ...(hint ? { hint } : {}) });
  }
  const title = entry.title;
  if (title !== undefined && typeof title !== 'string') {
    issues.push({ code: 'SCENARIO_WRONG_TYPE', pointer: `${pointer}/title`, at: 'value', message: `'title' must be a string`, expected: 'a string' });
  }
  // Arguments written beside the step (wrong indentation) already explain a missing argument list.
  const checked = misplacedArgs && entry[def.name] == null ? { args: undefined, issues: [] } : checkArgs(def, entry[def.name], `${pointer}/${escapePointer(def.name)}`, role);
  issues.push(...checked.issues);
  if (issues.length) return { issues };
  return { step: { index, def, args: checked.args, pointer, ...(typeof title === 'string' ? { title } : {}) }, issues };
}
