import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORY_EXIT, ChargecheckError, ERROR_CODES, exitCodeOf } from '../src/errors.js';

const ROOT = new URL('..', import.meta.url).pathname;
const CODE = /['"`]((?:ACT|API|RPC|TRANSPORT|TLS|CLI|SCENARIO|REPORT|CP|HOST|SIM|RUN|CERTIFY|SWARM|CONFORMANCE|CSMS|HARNESS|FUZZ)_[A-Z0-9_]*[A-Z0-9])['"`]/g;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** code → category column of docs/errors.md (rows `| \`CODE\` | category | meaning |`). */
function documented(): Map<string, string> {
  const text = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
  return new Map([...text.matchAll(/^\| `([A-Z0-9_]+)` \| ([a-z]+)? ?\|/gm)].map((m) => [m[1], m[2] ?? '(missing)']));
}

describe('docs/errors.md', () => {
  it('lists every error code used in src/, and only those', () => {
    const used = new Set<string>();
    for (const file of sources(join(ROOT, 'src'))) {
      if (file.endsWith('/src/errors.ts')) continue; // the table itself
      for (const m of readFileSync(file, 'utf8').matchAll(CODE)) used.add(m[1]);
    }
    const docs = documented();
    expect([...used].filter((c) => !docs.has(c)).sort()).toEqual([]);
    expect([...docs.keys()].filter((c) => !used.has(c)).sort()).toEqual([]);
  });

  it('gives each code the category of the typed table, and the table holds exactly the documented codes', () => {
    const docs = documented();
    expect(Object.keys(ERROR_CODES).sort()).toEqual([...docs.keys()].sort());
    const wrong = Object.entries(ERROR_CODES).filter(([code, category]) => docs.get(code) !== category);
    expect(wrong.map(([code, category]) => `${code}: table ${category}, docs ${docs.get(code)}`)).toEqual([]);
  });

  it('maps each category to the exit code the README promises', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const [category, exit] of Object.entries(CATEGORY_EXIT)) expect(readme, category).toContain(`**${exit}**`);
    expect(exitCodeOf(new ChargecheckError('TRANSPORT_BAD_URL', 'x'))).toBe(2);
    expect(exitCodeOf(new ChargecheckError('TLS_CERT_UNTRUSTED', 'x'))).toBe(3);
    expect(exitCodeOf(new ChargecheckError('RUN_INTERRUPTED', 'x', { exitCode: 143 }))).toBe(143);
  });
});
