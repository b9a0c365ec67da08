import { DURATION_PATTERN, SIGNED_DURATION_PATTERN } from './duration.js';
import { ACTION_NAMES, CONNECTOR_ERROR_CODES, CONNECTOR_STATUSES, MEASURANDS } from './vocabulary.js';
import type { JsonSchema } from './registry.js';

/**
 * The JSON Schema pieces steps and the scenario file share, so the same thing (a connector, a
 * duration, an action) is written, validated and documented the same way everywhere.
 */
export function duration(description: string, defaultValue?: string): JsonSchema {
  return { type: 'string', pattern: DURATION_PATTERN, description: `${description} (e.g. 500ms, 60s, 2m, 1h30m)`, ...(defaultValue ? { default: defaultValue } : {}) };
}

export function signedDuration(description: string): JsonSchema {
  return { type: 'string', pattern: SIGNED_DURATION_PATTERN, description: `${description} (e.g. -5m, 30s, +1h)` };
}

export const connector: JsonSchema = { type: 'integer', minimum: 0, maximum: 8, default: 1, description: 'Connector id (0 = the whole charger)' };
export const plugConnector: JsonSchema = { type: 'integer', minimum: 1, maximum: 8, default: 1, description: 'Connector id' };
export const side: JsonSchema = { enum: ['chargepoint', 'csms'], description: 'Which end of the link: chargepoint or csms' };
export const action: JsonSchema = { enum: ACTION_NAMES, description: 'An OCPP 1.6 action name' };
export const status: JsonSchema = { enum: CONNECTOR_STATUSES, description: 'A connector status (ChargePointStatus)' };
export const errorCode: JsonSchema = { enum: CONNECTOR_ERROR_CODES, description: 'A ChargePointErrorCode' };
export const measurand: JsonSchema = { enum: MEASURANDS, description: 'A measurand name' };
export const payload: JsonSchema = { type: 'object', description: 'An OCPP payload (JSON object)' };

/** Matchers are free-form in the schema; their shape is checked by matchers.checkMatcher. */
export function matcher(description: string): JsonSchema {
  return {
    description: `${description}. A matcher: a literal, a partial object, or {regex}, {between: [a, b]}, {gte}, {lte}, {any: true}, {absent: true}, {contains: […]}, {oneOf: […]}, {equals}, {near: [time, ms]}; '{{captured}}' values`,
  };
}

export function object(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', additionalProperties: false, properties, ...(required.length ? { required } : {}) };
}

/** A CALLERROR reply or expectation: `{ code, description }`. */
export const callError: JsonSchema = object(
  {
    code: { type: 'string', description: 'OCPP error code, e.g. NotSupported' },
    description: { type: 'string', description: 'Error description' },
  },
  ['code'],
);
