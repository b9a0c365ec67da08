import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTypes } from '../scripts/render-types.js';

describe('generated OCPP types', () => {
  it('are up to date with the schemas (run `npm run gen:types` if this fails)', async () => {
    const committed = readFileSync(new URL('../src/ocpp/generated/types.ts', import.meta.url), 'utf8');
    expect(await renderTypes()).toBe(committed);
  });
});
