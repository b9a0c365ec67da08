import type {
  AssertionResult,
  CaseVerdict,
  Evidence,
  Failure,
  FrameRecord,
  RequirementVerdict,
  RunResult,
  ScenarioResult,
  StepResult,
  TimelinePoint,
} from '../../results/model.js';

/**
 * The RunResult with a stable key order, so two runs diff cleanly and shards merge by text tools:
 * each model object lists its keys in the model's declaration order, then any keys the model does
 * not (yet) know in alphabetical order. Values the runner recorded from the wire (`expected`,
 * `actual`, evidence `data`) are kept exactly as they are. `undefined` fields are left out.
 */
type Plain = { [key: string]: unknown };

const RUN_KEYS = ['tool', 'command', 'mode', 'target', 'wallStart', 'wallDurationMs', 'exitCode', 'certificate', 'profile', 'profiles', 'cases', 'requirements', 'scenarios'] as const;
const CASE_KEYS = ['id', 'title', 'profile', 'verdict', 'evidence', 'scenario', 'covered'] as const;
const TOOL_KEYS = ['name', 'version'] as const;
const REQUIREMENT_KEYS = ['id', 'title', 'level', 'verdict', 'evidence'] as const;
const EVIDENCE_KEYS = ['kind', 'ok', 'text', 'data', 'frames'] as const;
const SCENARIO_KEYS = [
  'name', 'file', 'role', 'requirements', 'chargePointId', 'status',
  'wallDurationMs', 'clockStart', 'clockEnd', 'failure', 'steps', 'timeline', 'frames',
] as const;
const STEP_KEYS = [
  'index', 'kind', 'title', 'line', 'status', 'wallDurationMs', 'clockStart', 'clockEnd', 'assertions', 'failure', 'frames',
] as const;
const ASSERTION_KEYS = ['description', 'passed', 'expected', 'actual'] as const;
const FAILURE_KEYS = ['code', 'message', 'expected', 'actual'] as const;
const FRAME_KEYS = ['connection', 'direction', 'clockTime', 'wallTime', 'raw'] as const;
const POINT_KEYS = ['clockTime', 'connectorId', 'powerW', 'limitW', 'status'] as const;

function ordered(source: object, keys: readonly string[], convert: Readonly<Record<string, (v: unknown) => unknown>> = {}): Plain {
  const entries = Object.entries(source) as [string, unknown][];
  const known = new Map(entries);
  const out: Plain = {};
  const put = (key: string, value: unknown): void => {
    if (value === undefined) return;
    const fn = convert[key];
    out[key] = fn ? fn(value) : value;
  };
  for (const key of keys) put(key, known.get(key));
  const extra = entries.filter(([k]) => !keys.includes(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, value] of extra) put(key, value);
  return out;
}

function list<T extends object>(convert: (item: T) => Plain): (v: unknown) => unknown {
  return (v) => (v as readonly T[]).map(convert);
}

const frame = (f: FrameRecord): Plain => ordered(f, FRAME_KEYS);
const point = (p: TimelinePoint): Plain => ordered(p, POINT_KEYS);
const assertion = (a: AssertionResult): Plain => ordered(a, ASSERTION_KEYS);
const failure = (f: Failure): Plain => ordered(f, FAILURE_KEYS);
const evidence = (e: Evidence): Plain => ordered(e, EVIDENCE_KEYS, { frames: list(frame) });
const requirement = (r: RequirementVerdict): Plain => ordered(r, REQUIREMENT_KEYS, { evidence: list(evidence) });
const step = (s: StepResult): Plain =>
  ordered(s, STEP_KEYS, { assertions: list(assertion), failure: (v) => failure(v as Failure), frames: list(frame) });
const scenario = (s: ScenarioResult): Plain =>
  ordered(s, SCENARIO_KEYS, { failure: (v) => failure(v as Failure), steps: list(step), timeline: list(point), frames: list(frame) });

/** A plain object with the canonical key order; `JSON.stringify` of it is the report. */
export function canonicalRun(run: RunResult): Plain {
  return ordered(run, RUN_KEYS, {
    tool: (v) => ordered(v as RunResult['tool'], TOOL_KEYS),
    requirements: list(requirement),
    cases: list((c: CaseVerdict) => ordered(c, CASE_KEYS, { evidence: list(evidence) })),
    scenarios: list(scenario),
  });
}

/** The text of report.json: canonical, two-space indented, ending in a newline. */
export function renderJson(run: RunResult): string {
  return `${JSON.stringify(canonicalRun(run), null, 2)}\n`;
}
