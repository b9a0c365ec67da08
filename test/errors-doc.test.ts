import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const CODE = /['"`]((?:API|RPC|TRANSPORT|TLS|CLI|SCENARIO|REPORT|CP|HOST|SIM|RUN|CERTIFY|SWARM|CONFORMANCE|CSMS|HARNESS)_[A-Z0-9_]*[A-Z0-9])['"`]/g;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('docs/errors.md', () => {
  it('lists every error code used in src/, and only those', () => {
    const used = new Set<string>();
    for (const file of sources(join(ROOT, 'src'))) for (const m of readFileSync(file, 'utf8').matchAll(CODE)) used.add(m[1]);
    const documented = new Set([...readFileSync(join(ROOT, 'docs/errors.md'), 'utf8').matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
    expect([...used].filter((c) => !documented.has(c)).sort()).toEqual([]);
    expect([...documented].filter((c) => !used.has(c)).sort()).toEqual([]);
  });
});
