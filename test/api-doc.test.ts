/**
 * docs/api.md documents every name src/index.ts exports by name (the `export type *` groups are
 * documented as groups), and the README's library example is a test that runs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;

function exportedNames(indexSource: string): string[] {
  const names: string[] = [];
  for (const m of indexSource.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()?.trim();
      if (name) names.push(name);
    }
  }
  return names;
}

describe('docs/api.md', () => {
  it('names every export of the package entry', () => {
    const doc = readFileSync(`${ROOT}docs/api.md`, 'utf8');
    const names = exportedNames(readFileSync(`${ROOT}src/index.ts`, 'utf8'));
    expect(names.length).toBeGreaterThan(100);
    expect(names.filter((n) => !new RegExp(`\\b${n.replace(/\$/g, '\\$')}\\b`).test(doc))).toEqual([]);
  });

  it('README "Use as a library" shows test/readme-example.test.ts exactly (so the example runs)', () => {
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    const section = readme.slice(readme.indexOf('## Use as a library'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(readFileSync(`${ROOT}test/readme-example.test.ts`, 'utf8'));
  });

  it('reads export lists, including type-only ones', () => {
    expect(exportedNames("export { a, type B } from './x.js';\nexport type { C, D as E } from './y.js';")).toEqual(['a', 'B', 'C', 'E']);
  });
});
