import type { JsonSchema } from './schema-files.js';

/**
 * Deliberate deviations from the shipped schema files, applied in memory at load time.
 * The files under schemas/ocpp16 stay exactly as the OCA published them.
 */
export const SCHEMA_OVERLAY: Readonly<Record<string, (schema: JsonSchema) => void>> = {
  // GetLog.json writes "maxLength": "512" (a string); a JSON Schema validator rejects the schema itself.
  GetLog: (schema) => {
    const log = (schema.properties as Record<string, JsonSchema>).log;
    const remote = (log.properties as Record<string, JsonSchema>).remoteLocation;
    remote.maxLength = 512;
  },
};
