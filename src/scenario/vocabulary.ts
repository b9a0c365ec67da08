import { ACTIONS, type ActionName } from '../ocpp/catalogue.js';
import { loadSchema, type JsonSchema } from '../ocpp/schema-files.js';

/**
 * The closed sets scenario files draw from, read from the OCPP 1.6 schemas themselves so they
 * cannot drift: action names, connector statuses, error codes, measurands, reading contexts.
 */
export const ACTION_NAMES: readonly ActionName[] = [...ACTIONS.keys()];

function enumAt(schemaName: string, path: readonly string[]): readonly string[] {
  let node: unknown = loadSchema(schemaName);
  for (const key of path) node = (node as JsonSchema)[key];
  const values = (node as JsonSchema).enum;
  if (!Array.isArray(values)) throw new Error(`no enum at ${schemaName} ${path.join('.')}`);
  return values.map(String);
}

const SAMPLED_VALUE = ['properties', 'meterValue', 'items', 'properties', 'sampledValue', 'items', 'properties'];

export const CONNECTOR_STATUSES = enumAt('StatusNotification', ['properties', 'status']);
export const CONNECTOR_ERROR_CODES = enumAt('StatusNotification', ['properties', 'errorCode']);
export const MEASURANDS = enumAt('MeterValues', [...SAMPLED_VALUE, 'measurand']);
export const READING_CONTEXTS = enumAt('MeterValues', [...SAMPLED_VALUE, 'context']);
export const RESET_TYPES = enumAt('Reset', ['properties', 'type']);
