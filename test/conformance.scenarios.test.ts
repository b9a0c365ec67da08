import { describe, expect, it } from 'vitest';
import { QUIRK_NAMES } from '../src/chargepoint/quirks.js';
import { PLATFORM_16J } from '../src/conformance/requirements.js';
import { formatErrors } from '../src/scenario/format.js';
import { validateScenarioFiles } from '../src/scenario/validate-files.js';

describe('scenarios/charger (the certification suite)', () => {
  it('every file validates, plays the platform and is tagged', async () => {
    const r = await validateScenarioFiles(['scenarios/charger'], { quirkNames: QUIRK_NAMES });
    expect(formatErrors(r.errors, { color: false })).toBe('');
    expect(r.files.length).toBeGreaterThanOrEqual(9);
    for (const s of r.scenarios) {
      expect(s.role).toBe('csms');
      expect(s.requirements.length).toBeGreaterThan(0);
    }
  });

  it('covers every requirement testable over OCPP', async () => {
    const r = await validateScenarioFiles(['scenarios/charger']);
    const covered = new Set(r.scenarios.flatMap((s) => s.requirements));
    const untestable = new Set(['PLT-NF-2']);
    expect(PLATFORM_16J.map((q) => q.id).filter((id) => !covered.has(id) && !untestable.has(id))).toEqual([]);
  });
});
