import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCHEMA_OVERLAY } from './schema-overlay.js';

/** Where the official OCPP 1.6 JSON schemas live, as data (../../schemas/ocpp16 from src/ocpp or dist/ocpp). */
export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/ocpp16/', import.meta.url));

export type JsonSchema = { [key: string]: unknown };

/** Names of the 78 schema files without `.json`, e.g. `BootNotification`, `BootNotificationResponse`. */
export function schemaFileNames(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/**
 * Every schema file's text, read once when this module loads: a process that first meets an action
 * when its file-descriptor table is full (a CSMS under a swarm) must not need the disk (EMFILE).
 */
const SCHEMA_TEXT: ReadonlyMap<string, string> = new Map(schemaFileNames().map((name) => [name, readFileSync(`${SCHEMA_DIR}${name}.json`, 'utf8')]));

/**
 * One schema as the validator and the type generator see it: the file as shipped, with the
 * overlay's corrections applied and the `$schema` / `id` keys removed (ids are not unique in the
 * source data, and every keyword the files use means the same in drafts 04, 06 and 07).
 * Never touches the disk (the files were read at load).
 */
export function loadSchema(name: string): JsonSchema {
  const text = SCHEMA_TEXT.get(name);
  if (text === undefined) throw new Error(`no OCPP schema ${name}`);
  const raw = JSON.parse(text) as JsonSchema;
  const fix = SCHEMA_OVERLAY[name];
  if (fix) fix(raw);
  delete raw.$schema;
  delete raw.id;
  return raw;
}
