import { Ajv, type ValidateFunction } from 'ajv';
import type { JsonSchema } from './registry.js';

/**
 * The Ajv set-up for scenario files: every error at once (allErrors), with the failing schema
 * attached (verbose) so messages can list allowed keys, and defaults filled in (useDefaults) so
 * steps receive complete arguments. One compiled function per schema object, cached.
 */
const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, useDefaults: true });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

export function compileScenarioSchema(schema: JsonSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}
