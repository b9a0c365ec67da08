import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ChargecheckError } from '../errors.js';
import type { PersistedState, StateStore } from '../chargepoint/types.js';

/**
 * The charger's non-volatile memory as a JSON file. Each save writes a temporary file and renames
 * it over the old one, so a crash mid-write leaves the previous state intact.
 */
export function jsonStateFile(path: string): StateStore {
  return {
    load() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return undefined; // no state yet: a charger fresh from the factory
      }
      try {
        return JSON.parse(text) as PersistedState;
      } catch (err) {
        throw new ChargecheckError('HOST_STATE_CORRUPT', `state file ${path} is not valid JSON: ${(err as Error).message}`, { path });
      }
    },
    save(state) {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, JSON.stringify(state));
      renameSync(tmp, path);
    },
  };
}

/** A StateStore in memory (a charger whose state survives reboots within one process). */
export function memoryStateStore(): StateStore & { readonly saved: PersistedState | undefined } {
  let saved: PersistedState | undefined;
  return {
    load: () => (saved ? (JSON.parse(JSON.stringify(saved)) as PersistedState) : undefined),
    save: (state) => {
      saved = JSON.parse(JSON.stringify(state)) as PersistedState;
    },
    get saved() {
      return saved;
    },
  };
}
