import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

/**
 * A table of docs/quirks.md whose header has a `quirk` column and `column` ('breaks': the platform
 * table, requirement ids; 'cases': the catalogue table, case ids): quirk name → the ids in that
 * cell (`none` = no ids).
 */
export function quirksTable(column: 'breaks' | 'cases'): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  let header: string[] | undefined;
  for (const line of readFileSync(join(ROOT, 'docs/quirks.md'), 'utf8').split('\n')) {
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (!header) {
      header = cells;
      continue;
    }
    const q = header.indexOf('quirk');
    const c = header.indexOf(column);
    if (q < 0 || c < 0 || cells.every((cell) => /^:?-+:?$/.test(cell))) continue;
    const name = /^`([^`]+)`$/.exec(cells[q])?.[1];
    if (!name) throw new Error(`docs/quirks.md: quirk cell ${cells[q]} is not a single \`name\``);
    rows.set(name, cells[c] === 'none' ? [] : cells[c].split(',').map((s) => s.trim()).filter(Boolean));
  }
  return rows;
}
