/**
 * The kinds of problem a scenario file can have. Each has a stable code (tests and tools branch on
 * the code) and one golden fixture in test/fixtures/scenarios/invalid/ showing its rendering.
 */
export const SCENARIO_ERROR_CODES = {
  SCENARIO_FILE_NOT_FOUND: 'a path given to validate does not exist or holds no *.yaml / *.yml file',
  SCENARIO_FILE_TOO_LARGE: 'a scenario file larger than 1 MiB (not read: memory stays bounded for any input)',
  SCENARIO_YAML_SYNTAX: 'the file is not well-formed YAML',
  SCENARIO_DUPLICATE_KEY: 'the same key appears twice in one mapping',
  SCENARIO_UNKNOWN_KEY: 'a key the format does not define (with "did you mean")',
  SCENARIO_UNKNOWN_STEP: 'a step name that is not registered (with "did you mean")',
  SCENARIO_BAD_STEP: 'a step entry that is neither `- name` nor `- name: args`',
  SCENARIO_WRONG_TYPE: 'a value of the wrong type (a string where a number is expected, …)',
  SCENARIO_MISSING_FIELD: 'a required field is absent',
  SCENARIO_BAD_ENUM: 'a value outside a closed set (role, status, measurand, action, …)',
  SCENARIO_BAD_VALUE: 'a value that breaks another constraint (range, length, pattern, empty list)',
  SCENARIO_BAD_DURATION: 'a duration that is not like 500ms, 60s, 2m, 1h30m',
  SCENARIO_UNKNOWN_REQUIREMENT: 'a requirement id that is not in the requirement set',
  SCENARIO_BAD_MATCHER: 'a malformed matcher (bad regex, `between` without two numbers, …)',
  SCENARIO_WRONG_DIRECTION: 'a CALL sent or expected from a side that OCPP does not let send it',
  SCENARIO_BAD_PAYLOAD: 'a CALL payload that breaks the OCPP 1.6 schema of its action',
  SCENARIO_DUPLICATE_NAME: 'two scenarios in one folder share a name',
  SCENARIO_UNKNOWN_PRECONDITION: 'a `preconditions:` name with no fragment file (with "did you mean"), or a fragment that includes itself',
} as const;

export type ScenarioErrorCode = keyof typeof SCENARIO_ERROR_CODES;

/** One problem in one scenario file, positioned for a human and stable for a machine. */
export interface ScenarioError {
  readonly code: ScenarioErrorCode;
  /** The file as the user named it (relative paths stay relative). */
  readonly file: string;
  /** 1-based; 0 when the problem is not inside the file (file not found). */
  readonly line: number;
  readonly col: number;
  /** How many characters to underline on that line (at least 1). */
  readonly width: number;
  /** The source line the caret points into. */
  readonly sourceLine: string;
  /** Headline, e.g. `unknown key 'conector' in step 'plug'`. */
  readonly message: string;
  /** What was expected, e.g. `one of: connector`. */
  readonly expected?: string;
  /** A hint such as `did you mean 'connector'?` or where a duplicate was first defined. */
  readonly hint?: string;
}
