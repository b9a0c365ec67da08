import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../src/ocpp/catalogue.js';
import { schemaFileNames, loadSchema } from '../src/ocpp/schema-files.js';
import { validatePayload, validatorFor } from '../src/ocpp/validator.js';

const profile = (limit: number) => ({
  connectorId: 1,
  csChargingProfiles: {
    chargingProfileId: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
  },
});

describe('ocpp schemas', () => {
  it('ships all 78 schema files and every one compiles', () => {
    const names = schemaFileNames();
    expect(names).toHaveLength(78);
    for (const n of names) expect(() => validatorFor(n)).not.toThrow();
  });

  it('catalogues 39 actions whose two schema files exist', () => {
    const names = new Set(schemaFileNames());
    expect(ACTIONS.size).toBe(39);
    for (const info of ACTIONS.values()) {
      expect(names.has(info.requestSchema)).toBe(true);
      expect(names.has(info.responseSchema)).toBe(true);
    }
  });

  it('uses only keywords that mean the same in drafts 04, 06 and 07', () => {
    const allowed = new Set(['type', 'properties', 'additionalProperties', 'required', 'enum', 'maxLength', 'items', 'format', 'multipleOf', 'minItems', 'additionalItems', 'title', 'comment', 'definitions']);
    const seen = new Set<string>();
    const walk = (node: unknown, inProps: boolean) => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return; // enum values and required lists, not keywords
      for (const [k, v] of Object.entries(node)) {
        if (!inProps) seen.add(k);
        walk(v, !inProps && k === 'properties');
        if (k === 'items') walk(v, false);
      }
    };
    for (const n of schemaFileNames()) walk(loadSchema(n), false);
    expect([...seen].filter((k) => !allowed.has(k))).toEqual([]);
  });

  it('corrects the GetLog maxLength defect in the overlay, not the file', () => {
    expect(validatePayload('GetLog', 'request', { logType: 'DiagnosticsLog', requestId: 1, log: { remoteLocation: 'x'.repeat(513) } })?.code).toBe('PropertyConstraintViolation');
  });
});

describe('validation failures map to 1.6 CALLERROR codes', () => {
  it('missing required → OccurenceConstraintViolation (1.6 spelling)', () => {
    expect(validatePayload('BootNotification', 'request', { chargePointVendor: 'v' })?.code).toBe('OccurenceConstraintViolation');
  });
  it('wrong JSON type → TypeConstraintViolation', () => {
    expect(validatePayload('Heartbeat', 'response', { currentTime: 12 })?.code).toBe('TypeConstraintViolation');
  });
  it('bad enum, too long → PropertyConstraintViolation', () => {
    expect(validatePayload('StatusNotification', 'request', { connectorId: 1, errorCode: 'NoError', status: 'Sleeping' })?.code).toBe('PropertyConstraintViolation');
    expect(validatePayload('BootNotification', 'request', { chargePointVendor: 'v'.repeat(21), chargePointModel: 'm' })?.code).toBe('PropertyConstraintViolation');
  });
  it('unknown property or a non-object payload → FormationViolation', () => {
    expect(validatePayload('Heartbeat', 'request', { extra: 1 })?.code).toBe('FormationViolation');
    expect(validatePayload('Heartbeat', 'request', [])?.code).toBe('FormationViolation');
    expect(validatePayload('Heartbeat', 'request', null)?.code).toBe('FormationViolation');
  });
  it('checks multipleOf 0.1 with a tolerance: 16.3 valid, 16.35 not', () => {
    expect(validatePayload('SetChargingProfile', 'request', profile(16.3))).toBeUndefined();
    expect(validatePayload('SetChargingProfile', 'request', profile(0.7))).toBeUndefined();
    expect(validatePayload('SetChargingProfile', 'request', profile(16.35))?.code).toBe('PropertyConstraintViolation');
  });
  it('bad date-time → PropertyConstraintViolation', () => {
    expect(validatePayload('Heartbeat', 'response', { currentTime: 'yesterday' })?.code).toBe('PropertyConstraintViolation');
  });
});
