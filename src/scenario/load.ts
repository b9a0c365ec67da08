import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { didYouMean } from '../did-you-mean.js';
import { MAX_SCENARIO_BYTES, readLimited } from './read-limited.js';
import { compileScenarioSchema } from './ajv-engine.js';
import type { Side } from './context.js';
import { durationMs } from './duration.js';
import type { ScenarioError } from './errors.js';
import { errorAtSpan, issueToError, sortErrors, type Issue } from './issue.js';
import type { ChargerSetup, Scenario, ScenarioStep } from './model.js';
import type { JsonSchema, StepRegistry } from './registry.js';
import { PLATFORM_REQUIREMENT_IDS } from './requirement-ids.js';
import { ajvIssues } from './schema-issues.js';
import { topLevelSchema } from './schema.js';
import { SourceText } from './source.js';
import { parseStepEntry, type ParsedStep } from './step-entries.js';
import { builtinSteps } from './steps/builtin.js';
import { parseYamlTree, type YamlTree } from './yaml-tree.js';

export interface LoadOptions {
  /** Steps scenarios may use (default: the built-in steps). */
  readonly registry?: StepRegistry;
  /** Requirement ids scenarios may cite (default: the platform-1.6j ids). */
  readonly requirementIds?: readonly string[];
  /** Quirk names `charger.quirks` may use (default: any name; chargepoint/ can supply its list). */
  readonly quirkNames?: readonly string[];
  /**
   * Where a `preconditions:` name is read from: the fragment file's text, or undefined when there
   * is none (default: `preconditions/NAME.yaml` beside the scenario; see docs/scenarios.md).
   */
  readonly precondition?: (name: string, scenarioFile: string) => { readonly file: string; readonly text: string } | undefined;
}

/** Internal: the files whose preconditions are being expanded (cycle guard). */
interface ChainOptions extends LoadOptions {
  readonly chain?: readonly string[];
}

/** The folder beside a scenario that holds its precondition fragments. */
export const PRECONDITIONS_DIR = 'preconditions';

/** Fragments beside a scenario; a fragment's own preconditions are its siblings. */
function fragmentDir(scenarioFile: string): string {
  const dir = dirname(scenarioFile);
  return basename(dir) === PRECONDITIONS_DIR ? dir : join(dir, PRECONDITIONS_DIR);
}

function readPrecondition(name: string, scenarioFile: string): { file: string; text: string } | undefined {
  if (!/^[A-Za-z0-9][\w-]*$/.test(name)) return undefined;
  const file = join(fragmentDir(scenarioFile), `${name}.yaml`);
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch {
    return undefined;
  }
}

/** Names of the fragments beside a scenario, for "did you mean". */
function knownPreconditions(scenarioFile: string, options: LoadOptions): string[] {
  if (options.precondition) return [];
  try {
    return (readdirSyncSafe(fragmentDir(scenarioFile)) ?? []).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));
  } catch {
    return [];
  }
}

export interface LoadResult {
  /** Present only when the file has no errors. */
  readonly scenario?: Scenario;
  readonly errors: readonly ScenarioError[];
  /** The scenario's name and where it is written (when it could be read), for duplicate-name reports. */
  readonly name?: NameLocation;
}

export interface NameLocation {
  readonly name: string;
  readonly line: number;
  readonly col: number;
  readonly width: number;
  readonly sourceLine: string;
}

let defaultRegistry: StepRegistry | undefined;
const topSchemas = new WeakMap<StepRegistry, Map<string, JsonSchema>>();

function resolve(options: LoadOptions): { registry: StepRegistry; topSchema: JsonSchema } {
  const registry = options.registry ?? (defaultRegistry ??= builtinSteps());
  const ids = options.requirementIds ?? PLATFORM_REQUIREMENT_IDS;
  let byIds = topSchemas.get(registry);
  if (!byIds) topSchemas.set(registry, (byIds = new Map()));
  const quirkNames = options.quirkNames;
  const key = `${ids.join(',')}\n${quirkNames?.join(',') ?? '*'}`;
  let topSchema = byIds.get(key);
  if (!topSchema) byIds.set(key, (topSchema = topLevelSchema({ registry, requirementIds: ids, ...(quirkNames ? { quirkNames } : {}) }, {})));
  return { registry, topSchema };
}

function readdirSyncSafe(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch {
    return undefined;
  }
}

function topScope(pointer: string): string {
  const parts = pointer.split('/').filter(Boolean);
  return parts.length ? `in '${parts.join('.')}'` : 'at the top level';
}

function toSetup(raw: Record<string, unknown> | undefined): ChargerSetup {
  const c = raw ?? {};
  const clock = c.clock as { offset?: string; driftPpm?: number; syncFromCsms?: boolean } | undefined;
  const configuration = Object.fromEntries(Object.entries((c.configuration ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  const { clock: _clock, configuration: _configuration, quirks, connectors, ...rest } = c;
  return {
    ...(rest as Omit<ChargerSetup, 'connectors' | 'configuration' | 'quirks' | 'clock'>),
    connectors: typeof connectors === 'number' ? connectors : 1,
    configuration,
    quirks: Array.isArray(quirks) ? quirks.map(String) : [],
    ...(clock ? { clock: { offsetMs: clock.offset ? durationMs(clock.offset) : 0, driftPpm: clock.driftPpm ?? 0, syncFromCsms: clock.syncFromCsms ?? false } } : {}),
  };
}

function build(file: string, data: Record<string, unknown>, tree: YamlTree, source: SourceText, steps: readonly ParsedStep[]): Scenario {
  const scenarioSteps: ScenarioStep[] = steps.map((s) => {
    const where = tree.spans.get(s.pointer);
    const pos = source.position(where?.value[0] ?? 0);
    return { index: s.index, kind: s.def.name, args: s.args, line: pos.line, col: pos.col, ...(s.title !== undefined ? { title: s.title } : {}) };
  });
  return {
    file,
    name: String(data.name),
    ...(typeof data.description === 'string' ? { description: data.description } : {}),
    requirements: (data.requirements as string[] | undefined) ?? [],
    role: data.role as Side,
    charger: toSetup(data.charger as Record<string, unknown> | undefined),
    ...(data.csms ? { csms: data.csms as Record<string, unknown> } : {}),
    steps: scenarioSteps,
  };
}

/** The key written at an offset (`role` in `role: csms`). */
function keyAt(text: string, offset: number): string {
  return /^[^:\n]*/.exec(text.slice(offset))?.[0].trim() ?? '';
}

function nameLocation(name: string, at: ScenarioError): NameLocation {
  return { name, line: at.line, col: at.col, width: at.width, sourceLine: at.sourceLine };
}

/** Loads and validates one scenario from its text; every error is collected, none thrown. */
export function loadScenarioText(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const { registry, topSchema } = resolve(options);
  const source = new SourceText(file, text);
  const tree = parseYamlTree(source);
  if (tree.syntax.length) {
    const errors = tree.syntax.map((s) =>
      s.code === 'DUPLICATE_KEY'
        ? errorAtSpan(source, [s.span[0], s.span[0] + keyAt(text, s.span[0]).length], { code: 'SCENARIO_DUPLICATE_KEY', message: `duplicate key '${keyAt(text, s.span[0])}'`, expected: 'each key once per mapping', hint: 'merge the two entries or remove one' })
        : errorAtSpan(source, s.span, { code: 'SCENARIO_YAML_SYNTAX', message: s.message, expected: 'well-formed YAML' }),
    );
    return { errors: sortErrors(errors) };
  }
  const data = tree.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const issue: Issue = { code: 'SCENARIO_WRONG_TYPE', pointer: '', at: 'value', message: 'a scenario file must be a mapping', expected: 'keys name, role, steps (and requirements, charger, csms)' };
    return { errors: [issueToError(source, tree, issue)].map(({ offset: _o, ...e }) => e) };
  }
  const record = data as Record<string, unknown>;
  const issues: Issue[] = [];
  const top = structuredClone(record);
  const validate = compileScenarioSchema(topSchema);
  if (!validate(top)) issues.push(...ajvIssues(validate.errors ?? [], '', topScope));
  const role = record.role === 'chargepoint' || record.role === 'csms' ? record.role : undefined;
  const steps: ParsedStep[] = [];
  if (Array.isArray(record.steps)) {
    record.steps.forEach((entry, i) => {
      const parsed = parseStepEntry(entry, i, registry, role);
      issues.push(...parsed.issues);
      if (parsed.step) steps.push(parsed.step);
    });
  }
  const nameSpan = typeof record.name === 'string' ? tree.spans.get('/name') : undefined;
  const name = nameSpan ? nameLocation(String(record.name), errorAtSpan(source, nameSpan.value, { code: 'SCENARIO_DUPLICATE_NAME', message: '' })) : undefined;
  const located = issues.map((i) => issueToError(source, tree, i));
  const before = expandPreconditions(record, file, tree, source, options, located);
  const errors = [...sortErrors(located), ...before.errors];
  if (errors.length) return { errors, ...(name ? { name } : {}) };
  const scenario = build(file, top, tree, source, steps);
  if (!before.steps.length) return { scenario, errors, ...(name ? { name } : {}) };
  const all = [...before.steps, ...scenario.steps].map((s, index) => ({ ...s, index }));
  return { scenario: { ...scenario, preconditions: before.names, steps: all }, errors, ...(name ? { name } : {}) };
}

/**
 * `preconditions: [booted, charging]`: each name is a fragment (a role-csms scenario file in
 * `preconditions/` beside the scenario) whose steps run first, in the order listed. The fragment's
 * steps keep their own file and line; its errors are reported in its own file; an unknown name is
 * an error at the name. Fragments may list preconditions of their own (no cycles).
 */
function expandPreconditions(
  record: Record<string, unknown>,
  file: string,
  tree: YamlTree,
  source: SourceText,
  options: LoadOptions,
  located: (ScenarioError & { offset: number })[],
): { steps: ScenarioStep[]; names: string[]; errors: ScenarioError[] } {
  const out = { steps: [] as ScenarioStep[], names: [] as string[], errors: [] as ScenarioError[] };
  const list = record.preconditions;
  if (!Array.isArray(list)) return out;
  const read = options.precondition ?? readPrecondition;
  const chain = [...((options as ChainOptions).chain ?? []), file];
  list.forEach((raw, i) => {
    if (typeof raw !== 'string') return; // the schema already reported it
    const at = tree.spans.get(`/preconditions/${i}`)?.value ?? [0, 0];
    const found = read(raw, file);
    if (!found) {
      const hint = didYouMean(raw, knownPreconditions(file, options));
      located.push(errorAtSpan(source, at, { code: 'SCENARIO_UNKNOWN_PRECONDITION', message: `unknown precondition '${raw}'`, expected: `a fragment ${PRECONDITIONS_DIR}/${raw}.yaml beside the scenario`, ...(hint ? { hint } : {}) }));
      return;
    }
    if (chain.includes(found.file)) {
      located.push(errorAtSpan(source, at, { code: 'SCENARIO_UNKNOWN_PRECONDITION', message: `precondition '${raw}' includes itself`, expected: 'fragments without cycles' }));
      return;
    }
    const nested: ChainOptions = { ...options, chain };
    const loaded = loadScenarioText(found.text, found.file, nested);
    out.errors.push(...loaded.errors);
    if (!loaded.scenario) return;
    out.names.push(raw, ...(loaded.scenario.preconditions ?? []));
    out.steps.push(...loaded.scenario.steps.map((s) => ({ ...s, file: s.file ?? found.file })));
  });
  return out;
}

/** Reads and loads one scenario file; a missing file is an error result, not a throw. */
export async function loadScenarioFile(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  let text: string | undefined;
  try {
    text = await readLimited(path, MAX_SCENARIO_BYTES);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    return { errors: [{ code: 'SCENARIO_FILE_NOT_FOUND', file: path, line: 0, col: 0, width: 0, sourceLine: '', message: `cannot read ${path}: ${reason}`, expected: 'a readable .yaml or .yml file' }] };
  }
  if (text === undefined) {
    return { errors: [{ code: 'SCENARIO_FILE_TOO_LARGE', file: path, line: 0, col: 0, width: 0, sourceLine: '', message: `${path} is larger than ${MAX_SCENARIO_BYTES / 1024 / 1024} MiB; not read`, expected: 'a scenario file under 1 MiB (split long runs into several scenarios)' }] };
  }
  return loadScenarioText(text, path, options);
}
