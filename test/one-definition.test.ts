/**
 * Issue 14: one definition per shape. Every exported interface, type alias, class and enum has a
 * name declared once in src/ (re-exports are not declarations), so a reader never meets two
 * different `ReplyOverride`s, `CallOptions`s or `ConnectionInfo`s. A type private to its file is
 * an implementation detail that no importer can confuse, and is not counted.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src', import.meta.url).pathname;
const DECLARATION = /^export\s+(?:declare\s+)?(?:abstract\s+)?(?:interface|type|class|enum)\s+([A-Za-z_$][\w$]*)/gm;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function declarations(): Map<string, string[]> {
  const where = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    for (const m of readFileSync(file, 'utf8').matchAll(DECLARATION)) {
      where.set(m[1], [...(where.get(m[1]) ?? []), relative(SRC, file)]);
    }
  }
  return where;
}

describe('one definition per shape in src/', () => {
  it('declares ReplyOverride, CallOptions and ConnectionInfo exactly once each', () => {
    const where = declarations();
    expect(where.get('ReplyOverride')).toEqual(['rpc/port.ts']);
    expect(where.get('CallOptions')).toEqual(['rpc/port.ts']);
    expect(where.get('ConnectionInfo')).toEqual(['transport/server-connection-info.ts']);
  });

  it('declares no exported type name twice', () => {
    const twice = [...declarations()].filter(([, files]) => files.length > 1).map(([name, files]) => `${name}: ${files.join(', ')}`);
    expect(twice).toEqual([]);
  });

  it('the pattern sees a duplicate when there is one', () => {
    const text = 'export interface A {}\nexport type A = number;\nexport type { A } from "./x.js";\nexport declare class B {}\nclass C {}\ninterface E {}\nexport abstract class D {}';
    expect([...text.matchAll(DECLARATION)].map((m) => m[1])).toEqual(['A', 'A', 'B', 'D']);
  });
});
