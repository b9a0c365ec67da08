import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/**
 * Builds dist/ with tsc -p tsconfig.build.json. Its exit code is ignored (others' half-written
 * files may not type-check; tsc still emits), but dist/cli/main.js must be there afterwards.
 * Called once per `vitest run`, by the global setup.
 */
export function compileDist(): void {
  spawnSync(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(MAIN)) throw new Error('tsc did not emit dist/cli/main.js');
}
