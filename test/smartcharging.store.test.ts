import { describe, expect, it } from 'vitest';
import type { ChargingProfile, ChargingProfilePurpose } from '../src/ocpp/types.js';
import { ProfileStore, type StoreLimits } from '../src/smartcharging/profile-store.js';

const T0 = Date.parse('2024-03-04T00:00:00Z');
const LIMITS: StoreLimits = { maxStackLevel: 5, maxPeriods: 4, maxInstalled: 4, allowedUnits: ['Current', 'Power'], numberOfConnectors: 2 };

function profile(id: number, purpose: ChargingProfilePurpose, stackLevel: number, extra: Partial<ChargingProfile> = {}): ChargingProfile {
  return {
    chargingProfileId: id,
    stackLevel,
    chargingProfilePurpose: purpose,
    chargingProfileKind: 'Relative',
    chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
    ...extra,
  };
}

/** Connector 1 runs transaction 42; connector 2 is idle. */
const tx = (c: number) => (c === 1 ? 42 : undefined);
const ids = (s: ProfileStore) => s.list().map((e) => e.profile.chargingProfileId);
const rejected = (r: ReturnType<ProfileStore['set']>) => (r.status === 'Rejected' ? r.reason : 'accepted');

describe('ProfileStore: where each purpose may go', () => {
  it('ChargePointMaxProfile only on connector 0', () => {
    const s = new ProfileStore(LIMITS);
    expect(rejected(s.set(1, profile(1, 'ChargePointMaxProfile', 0), tx, T0))).toMatch(/connectorId 0/);
    expect(s.set(0, profile(1, 'ChargePointMaxProfile', 0), tx, T0)).toEqual({ status: 'Accepted' });
  });

  it('TxDefaultProfile on 0 or on one connector, both kept at the same stack level', () => {
    const s = new ProfileStore(LIMITS);
    expect(s.set(0, profile(1, 'TxDefaultProfile', 0), tx, T0).status).toBe('Accepted');
    expect(s.set(2, profile(2, 'TxDefaultProfile', 0), tx, T0).status).toBe('Accepted');
    expect(ids(s)).toEqual([1, 2]);
  });

  it('TxProfile needs connector > 0 with an active transaction whose id matches', () => {
    const s = new ProfileStore(LIMITS);
    expect(rejected(s.set(0, profile(1, 'TxProfile', 0), tx, T0))).toMatch(/connectorId > 0/);
    expect(rejected(s.set(2, profile(1, 'TxProfile', 0), tx, T0))).toMatch(/no active transaction/);
    expect(rejected(s.set(1, profile(1, 'TxProfile', 0, { transactionId: 7 }), tx, T0))).toMatch(/not the active transaction/);
    expect(s.set(1, profile(1, 'TxProfile', 0, { transactionId: 42 }), tx, T0).status).toBe('Accepted');
  });

  it('a TxProfile without transactionId is bound to the active transaction', () => {
    const s = new ProfileStore(LIMITS);
    s.set(1, profile(1, 'TxProfile', 0), tx, T0);
    expect(s.list()[0]).toMatchObject({ connectorId: 1, installedAt: T0, profile: { transactionId: 42 } });
  });

  it('an unknown connector is rejected', () => {
    expect(rejected(new ProfileStore(LIMITS).set(3, profile(1, 'TxDefaultProfile', 0), tx, T0))).toMatch(/does not exist/);
  });
});

describe('ProfileStore: replacement', () => {
  it('same chargingProfileId replaces, whatever the stack level', () => {
    const s = new ProfileStore(LIMITS);
    s.set(0, profile(1, 'TxDefaultProfile', 0), tx, T0);
    s.set(0, profile(1, 'TxDefaultProfile', 3), tx, T0 + 1);
    expect(s.list()).toHaveLength(1);
    expect(s.list()[0].profile.stackLevel).toBe(3);
  });

  it('same (stackLevel, purpose) replaces; for Tx* only on the same connector', () => {
    const s = new ProfileStore(LIMITS);
    s.set(0, profile(1, 'ChargePointMaxProfile', 1), tx, T0);
    s.set(0, profile(2, 'ChargePointMaxProfile', 1), tx, T0);
    expect(ids(s)).toEqual([2]);
    s.set(1, profile(3, 'TxDefaultProfile', 1), tx, T0);
    s.set(2, profile(4, 'TxDefaultProfile', 1), tx, T0);
    s.set(1, profile(5, 'TxDefaultProfile', 1), tx, T0);
    expect(ids(s)).toEqual([2, 4, 5]);
  });

  it('different stack levels of one purpose stack side by side', () => {
    const s = new ProfileStore(LIMITS);
    s.set(1, profile(1, 'TxProfile', 0), tx, T0);
    s.set(1, profile(2, 'TxProfile', 1), tx, T0);
    expect(ids(s)).toEqual([1, 2]);
  });
});

describe('ProfileStore: capability limits', () => {
  it('ChargeProfileMaxStackLevel', () => {
    const s = new ProfileStore(LIMITS);
    expect(s.set(0, profile(1, 'TxDefaultProfile', 5), tx, T0).status).toBe('Accepted');
    expect(rejected(s.set(0, profile(2, 'TxDefaultProfile', 6), tx, T0))).toMatch(/ChargeProfileMaxStackLevel/);
  });

  it('ChargingScheduleMaxPeriods', () => {
    const periods = [0, 60, 120, 180, 240].map((startPeriod) => ({ startPeriod, limit: 10 }));
    const p = profile(1, 'TxDefaultProfile', 0, { chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: periods } });
    expect(rejected(new ProfileStore(LIMITS).set(0, p, tx, T0))).toMatch(/ChargingScheduleMaxPeriods/);
  });

  it('ChargingScheduleAllowedChargingRateUnit: Current = A, Power = W', () => {
    const w = profile(1, 'TxDefaultProfile', 0, { chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 0 }] } });
    expect(rejected(new ProfileStore({ ...LIMITS, allowedUnits: ['Current'] }).set(0, w, tx, T0))).toMatch(/lacks Power/);
    expect(new ProfileStore({ ...LIMITS, allowedUnits: ['Power'] }).set(0, w, tx, T0).status).toBe('Accepted');
    expect(rejected(new ProfileStore({ ...LIMITS, allowedUnits: ['Power'] }).set(0, profile(2, 'TxDefaultProfile', 0), tx, T0))).toMatch(/lacks Current/);
  });

  it('MaxChargingProfilesInstalled, while a replacement at the limit is still accepted', () => {
    const s = new ProfileStore({ ...LIMITS, maxInstalled: 2 });
    s.set(0, profile(1, 'TxDefaultProfile', 0), tx, T0);
    s.set(0, profile(2, 'TxDefaultProfile', 1), tx, T0);
    expect(rejected(s.set(0, profile(3, 'TxDefaultProfile', 2), tx, T0))).toMatch(/MaxChargingProfilesInstalled/);
    expect(s.set(0, profile(2, 'TxDefaultProfile', 1), tx, T0).status).toBe('Accepted');
    expect(ids(s)).toEqual([1, 2]);
  });

  it('setLimits applies to later calls', () => {
    const s = new ProfileStore(LIMITS);
    s.setLimits({ ...LIMITS, maxStackLevel: 0 });
    expect(s.set(0, profile(1, 'TxDefaultProfile', 1), tx, T0).status).toBe('Rejected');
  });

  it('malformed schedules: first period not at 0, periods not increasing, Recurring without recurrencyKind', () => {
    const s = new ProfileStore(LIMITS);
    const sched = (starts: number[]) => ({ chargingRateUnit: 'A' as const, chargingSchedulePeriod: starts.map((startPeriod) => ({ startPeriod, limit: 6 })) });
    expect(rejected(s.set(0, profile(1, 'TxDefaultProfile', 0, { chargingSchedule: sched([60]) }), tx, T0))).toMatch(/startPeriod 0/);
    expect(rejected(s.set(0, profile(1, 'TxDefaultProfile', 0, { chargingSchedule: sched([0, 60, 60]) }), tx, T0))).toMatch(/increase/);
    expect(rejected(s.set(0, profile(1, 'TxDefaultProfile', 0, { chargingProfileKind: 'Recurring' }), tx, T0))).toMatch(/recurrencyKind/);
    expect(s.list()).toHaveLength(0);
  });
});

describe('ProfileStore: ClearChargingProfile', () => {
  function filled(): ProfileStore {
    const s = new ProfileStore({ ...LIMITS, maxInstalled: 10 });
    s.set(0, profile(1, 'ChargePointMaxProfile', 0), tx, T0);
    s.set(0, profile(2, 'TxDefaultProfile', 0), tx, T0);
    s.set(1, profile(3, 'TxDefaultProfile', 1), tx, T0);
    s.set(1, profile(4, 'TxProfile', 1), tx, T0);
    s.set(2, profile(5, 'TxDefaultProfile', 1), tx, T0);
    return s;
  }

  it('id wins over the other fields', () => {
    const s = filled();
    expect(s.clear({ id: 4, connectorId: 2, chargingProfilePurpose: 'ChargePointMaxProfile' })).toBe('Accepted');
    expect(ids(s)).toEqual([1, 2, 3, 5]);
    expect(s.clear({ id: 99, connectorId: 1 })).toBe('Unknown');
    expect(ids(s)).toEqual([1, 2, 3, 5]);
  });

  it('the other fields are ANDed', () => {
    const s = filled();
    expect(s.clear({ connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile' })).toBe('Accepted');
    expect(ids(s)).toEqual([1, 2, 4, 5]);
    expect(s.clear({ chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 1 })).toBe('Accepted');
    expect(ids(s)).toEqual([1, 2, 4]);
    expect(s.clear({ connectorId: 0, chargingProfilePurpose: 'TxProfile' })).toBe('Unknown');
    expect(s.clear({ connectorId: 0 })).toBe('Accepted');
    expect(ids(s)).toEqual([4]);
  });

  it('no fields clears everything; nothing installed is Unknown', () => {
    const s = filled();
    expect(s.clear({})).toBe('Accepted');
    expect(s.list()).toHaveLength(0);
    expect(s.clear({})).toBe('Unknown');
  });

  it('removeTxProfiles drops only that connector\'s TxProfiles', () => {
    const s = filled();
    s.removeTxProfiles(1);
    expect(ids(s)).toEqual([1, 2, 3, 5]);
  });
});

describe('ProfileStore: persistence', () => {
  it('round-trips through JSON and the constructor', () => {
    const s = new ProfileStore(LIMITS);
    s.set(0, profile(1, 'ChargePointMaxProfile', 0, { validTo: '2030-01-01T00:00:00Z' }), tx, T0);
    s.set(1, profile(2, 'TxProfile', 2), tx, T0 + 5);
    const restored = new ProfileStore(LIMITS, JSON.parse(JSON.stringify(s.toJSON())));
    expect(restored.list()).toEqual(s.list());
    expect(restored.toJSON()).not.toBe(s.toJSON());
  });

  it('a snapshot from list() does not change under later calls', () => {
    const s = new ProfileStore(LIMITS);
    s.set(0, profile(1, 'TxDefaultProfile', 0), tx, T0);
    const before = s.list();
    s.clear({});
    expect(before).toHaveLength(1);
  });
});
