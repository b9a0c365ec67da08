import { readdir, stat } from 'node:fs/promises';
import { join, relative, dirname } from 'node:path';
import type { ScenarioError } from './errors.js';
import { loadScenarioFile, PRECONDITIONS_DIR, type LoadOptions } from './load.js';
import type { Scenario } from './model.js';

export interface ValidationReport {
  /** Every scenario file found, in the order validated. */
  readonly files: readonly string[];
  /** Scenarios that loaded without error. */
  readonly scenarios: readonly Scenario[];
  /** All errors of all files, file by file, each in reading order. */
  readonly errors: readonly ScenarioError[];
}

const SCENARIO_FILE = /\.ya?ml$/i;

async function collect(path: string, out: string[], errors: ScenarioError[]): Promise<void> {
  let kind: 'file' | 'dir';
  try {
    kind = (await stat(path)).isDirectory() ? 'dir' : 'file';
  } catch {
    errors.push({ code: 'SCENARIO_FILE_NOT_FOUND', file: path, line: 0, col: 0, width: 0, sourceLine: '', message: `no such file or directory: ${path}`, expected: 'a scenario file or a folder of them' });
    return;
  }
  if (kind === 'file') {
    out.push(path);
    return;
  }
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      // precondition fragments are parts of scenarios, not scenarios (load.ts expands them)
      if (e.isDirectory()) {
        if (e.name !== PRECONDITIONS_DIR) await walk(join(dir, e.name));
      }
      else if (SCENARIO_FILE.test(e.name)) found.push(join(dir, e.name));
    }
  };
  await walk(path);
  if (found.length === 0) {
    errors.push({ code: 'SCENARIO_FILE_NOT_FOUND', file: path, line: 0, col: 0, width: 0, sourceLine: '', message: `no *.yaml or *.yml files in ${path}`, expected: 'a folder holding scenario files' });
  }
  out.push(...found);
}

/**
 * Validates scenario files and folders (walked recursively for *.yaml / *.yml), reporting every
 * error at once, including scenarios in one folder sharing a name. `chargecheck validate` exits 2
 * when `errors` is not empty.
 */
export async function validateScenarioFiles(paths: readonly string[], options: LoadOptions = {}): Promise<ValidationReport> {
  const files: string[] = [];
  const errors: ScenarioError[] = [];
  for (const p of paths) await collect(p, files, errors);
  const unique = [...new Set(files)];
  const scenarios: Scenario[] = [];
  const seen = new Map<string, { file: string; line: number; col: number }>();
  for (const file of unique) {
    const result = await loadScenarioFile(file, options);
    errors.push(...result.errors);
    if (result.scenario) scenarios.push(result.scenario);
    if (!result.name) continue;
    const { name, line, col, width, sourceLine } = result.name;
    const key = `${dirname(file)}\n${name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, { file, line, col });
      continue;
    }
    errors.push({
      code: 'SCENARIO_DUPLICATE_NAME',
      file,
      line,
      col,
      width,
      sourceLine,
      message: `scenario name '${name}' is already used in this folder`,
      expected: 'a name unique within its folder',
      hint: `first used in ${relative(dirname(file), first.file)}:${first.line}:${first.col}`,
    });
  }
  return { files: unique, scenarios: scenarios.filter((s) => !errors.some((e) => e.file === s.file)), errors };
}
