import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { ChargecheckError } from '../errors.js';
import { checkPattern, DEFAULT_PATTERN, type DailyPattern } from './daily-pattern.js';

const KEYS = Object.keys(DEFAULT_PATTERN).concat('startHour');

/**
 * `--scenario FILE` for swarm: YAML or JSON overriding the built-in daily pattern, either at the
 * top level or under `swarm:`, e.g. `swarm: { timeScale: 24, occupancyByHour: [...] }`.
 * Throws SWARM_BAD_PATTERN (unknown key, bad value) or SWARM_NO_SCENARIO.
 */
export async function loadSwarmPattern(file: string): Promise<Partial<DailyPattern>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ChargecheckError('SWARM_NO_SCENARIO', `cannot read ${file}`, { file }, { cause: err });
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ChargecheckError('SWARM_BAD_PATTERN', `${file}: ${err instanceof Error ? err.message : String(err)}`, { file }, { cause: err });
  }
  return patternFrom(doc, file);
}

export function patternFrom(doc: unknown, source: string): Partial<DailyPattern> {
  const root = (doc && typeof doc === 'object' && 'swarm' in doc ? (doc as { swarm: unknown }).swarm : doc) ?? {};
  if (typeof root !== 'object' || Array.isArray(root)) throw new ChargecheckError('SWARM_BAD_PATTERN', `${source}: expected a mapping of pattern settings`, { source });
  for (const key of Object.keys(root)) {
    if (!KEYS.includes(key)) {
      throw new ChargecheckError('SWARM_BAD_PATTERN', `${source}: unknown swarm setting "${key}" (known: ${KEYS.join(', ')})`, { source, key });
    }
  }
  const partial = root as Partial<DailyPattern>;
  checkPattern({ ...DEFAULT_PATTERN, ...partial });
  return partial;
}
