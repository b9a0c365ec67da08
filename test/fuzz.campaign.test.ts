/**
 * The `npm run fuzz` campaign (fuzz/), small and seeded: fast-check generates malformed and
 * schema-invalid frames with the answer OCPP 1.6 requires, sent over real WSS to our CSMS and to
 * our charger. `npm run fuzz` runs the same code with 100,000 frames.
 */
import { describe, expect, it } from 'vitest';
import { minimalValue, sampleCases } from '../fuzz/frames.js';
import { runCampaign } from '../fuzz/campaign.js';
import { ACTIONS } from '../src/ocpp/catalogue.js';
import { loadSchema } from '../src/ocpp/schema-files.js';
import { validatePayload } from '../src/ocpp/validator.js';
import { createPki } from '../src/transport/pki.js';

describe('fuzz campaign (seeded, small)', () => {
  it('our CSMS and our charger answer every CALL once with the right 1.6 code, nothing else, and stay up', async () => {
    const pki = await createPki();
    for (const target of ['csms', 'chargepoint'] as const) {
      const r = await runCampaign({ target, seed: 0x5eed, frames: 1500, pki });
      expect(r.wrong, target).toEqual([]);
      expect({ unanswered: r.unanswered, twice: r.answeredTwice, unexpected: r.unexpected, up: r.stillUp }, target).toEqual({ unanswered: 0, twice: 0, unexpected: 0, up: true });
      expect(r.calls, target).toBeGreaterThan(1000);
      expect(Object.keys(r.byCategory).length, target).toBe(15);
      expect(r.rssPeakMiB - r.rssStartMiB, target).toBeLessThan(200);
    }
  });

  it('the oracle is the schema: every minimal payload it builds is valid, and a seed gives the same frames', () => {
    for (const info of ACTIONS.values()) {
      expect(validatePayload(info.action, 'request', minimalValue(loadSchema(info.requestSchema))), info.action).toBeUndefined();
    }
    expect(sampleCases('csms', 7, 50)).toEqual(sampleCases('csms', 7, 50));
  });
});
