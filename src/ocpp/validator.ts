import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ACTIONS, type ActionName } from './catalogue.js';
import type { Ocpp16ErrorCode } from './error-codes.js';
import { loadSchema } from './schema-files.js';

export type PayloadKind = 'request' | 'response';

export interface ValidationFailure {
  readonly code: Ocpp16ErrorCode;
  readonly message: string;
  /** JSON pointer of the offending value, `""` for the payload itself. */
  readonly path: string;
  readonly keyword: string;
}

/**
 * The one place that maps an Ajv keyword to an OCPP 1.6 CALLERROR code (digest §3):
 * missing → OccurenceConstraintViolation, wrong JSON type → TypeConstraintViolation,
 * bad value (enum, range, length, format, multipleOf) → PropertyConstraintViolation,
 * shape that is not the PDU (unknown property, payload not an object) → FormationViolation.
 */
const KEYWORD_CODES: Readonly<Record<string, Ocpp16ErrorCode>> = {
  required: 'OccurenceConstraintViolation',
  minItems: 'OccurenceConstraintViolation',
  maxItems: 'OccurenceConstraintViolation',
  type: 'TypeConstraintViolation',
  enum: 'PropertyConstraintViolation',
  maxLength: 'PropertyConstraintViolation',
  minLength: 'PropertyConstraintViolation',
  minimum: 'PropertyConstraintViolation',
  maximum: 'PropertyConstraintViolation',
  multipleOf: 'PropertyConstraintViolation',
  format: 'PropertyConstraintViolation',
  additionalProperties: 'FormationViolation',
};

export function errorCodeForKeyword(keyword: string): Ocpp16ErrorCode {
  return KEYWORD_CODES[keyword] ?? 'FormationViolation';
}

// ajv-formats ships CommonJS with `module.exports = formatsPlugin` plus a `.default`.
type FormatsPlugin = (ajv: Ajv, options: { mode: 'fast' | 'full'; formats: string[] }) => Ajv;
const formatsModule = addFormatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = formatsModule.default ?? formatsModule;

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function engine(): Ajv {
  if (!ajv) {
    // multipleOfPrecision: `limit: 16.3` against multipleOf 0.1 is valid despite binary floats.
    ajv = new Ajv({ allErrors: false, strict: false, multipleOfPrecision: 6 });
    // 'fast' checks the shape of a date-time / URI with one regex; 'full' also checks calendar ranges
    // (Feb 30) at several times the cost, on every timestamp of every MeterValues.
    addFormats(ajv, { mode: 'fast', formats: ['date-time', 'uri'] });
  }
  return ajv;
}

/** The compiled validator for one schema file, compiled once per process and shared. */
export function validatorFor(schemaName: string): ValidateFunction {
  let fn = compiled.get(schemaName);
  if (!fn) {
    fn = engine().compile(loadSchema(schemaName));
    compiled.set(schemaName, fn);
  }
  return fn;
}

function describe(err: ErrorObject): string {
  const where = err.instancePath || '(payload)';
  if (err.keyword === 'required') return `${where}: missing required property '${String(err.params.missingProperty)}'`;
  if (err.keyword === 'additionalProperties') return `${where}: unexpected property '${String(err.params.additionalProperty)}'`;
  if (err.keyword === 'enum') return `${where}: must be one of ${(err.params.allowedValues as unknown[]).join(', ')}`;
  return `${where}: ${err.message ?? err.keyword}`;
}

/** Validates an action's request or response payload; `undefined` when valid. */
export function validatePayload(action: ActionName, kind: PayloadKind, payload: unknown): ValidationFailure | undefined {
  const info = ACTIONS.get(action)!;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return { code: 'FormationViolation', message: '(payload): must be a JSON object', path: '', keyword: 'type' };
  }
  const fn = validatorFor(kind === 'request' ? info.requestSchema : info.responseSchema);
  if (fn(payload)) return undefined;
  const err = fn.errors![0];
  return { code: errorCodeForKeyword(err.keyword), message: describe(err), path: err.instancePath, keyword: err.keyword };
}
