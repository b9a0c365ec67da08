import { describe, expect, it } from 'vitest';
import type { ChargingProfile, ChargingProfilePurpose } from '../src/ocpp/types.js';
import { limitAt, nextChangeAt, type ScheduleContext } from '../src/smartcharging/composite.js';
import type { InstalledProfile } from '../src/smartcharging/profile-store.js';

/** Monday 2024-03-04 00:00 UTC on the charger's clock. */
const T0 = Date.parse('2024-03-04T00:00:00Z');
const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
const iso = (ms: number) => new Date(ms).toISOString();

interface Opts {
  kind?: ChargingProfile['chargingProfileKind'];
  recurrency?: 'Daily' | 'Weekly';
  start?: number;
  duration?: number;
  unit?: 'A' | 'W';
  validFrom?: number;
  validTo?: number;
  transactionId?: number;
}

let nextId = 1;
function profile(purpose: ChargingProfilePurpose, stackLevel: number, periods: [number, number, number?][], o: Opts = {}): ChargingProfile {
  return {
    chargingProfileId: nextId++,
    stackLevel,
    chargingProfilePurpose: purpose,
    chargingProfileKind: o.kind ?? (o.recurrency ? 'Recurring' : 'Absolute'),
    ...(o.recurrency && { recurrencyKind: o.recurrency }),
    ...(o.validFrom !== undefined && { validFrom: iso(o.validFrom) }),
    ...(o.validTo !== undefined && { validTo: iso(o.validTo) }),
    ...(o.transactionId !== undefined && { transactionId: o.transactionId }),
    chargingSchedule: {
      chargingRateUnit: o.unit ?? 'A',
      ...(o.duration !== undefined && { duration: o.duration }),
      ...(o.kind !== 'Relative' && { startSchedule: iso(o.start ?? T0) }),
      chargingSchedulePeriod: periods.map(([startPeriod, limit, numberPhases]) => ({ startPeriod, limit, ...(numberPhases && { numberPhases }) })),
    },
  };
}
const on = (connectorId: number, p: ChargingProfile, installedAt = T0): InstalledProfile => ({ connectorId, profile: p, installedAt });
const ctx = (nowMs: number, over: Partial<ScheduleContext> = {}): ScheduleContext => ({ connectorId: 1, nowMs, nominalVoltage: 230, phases: 3, ...over });
const amps = (ps: InstalledProfile[], c: ScheduleContext) => limitAt(ps, c)?.amps;

describe('no profiles', () => {
  it('means no limit and no change', () => {
    expect(limitAt([], ctx(T0))).toBeUndefined();
    expect(nextChangeAt([], ctx(T0))).toBeUndefined();
  });
});

describe('stacking', () => {
  const base = on(0, profile('TxDefaultProfile', 0, [[0, 16]]));
  const top = on(0, profile('TxDefaultProfile', 1, [[0, 10], [900, 8]], { start: T0 + 30 * MIN, duration: 3600 }));
  const ps = [base, top];

  it('the higher stack level prevails while its schedule runs, then falls back', () => {
    expect(amps(ps, ctx(T0 + 10 * MIN))).toBe(16); // top not started yet
    expect(amps(ps, ctx(T0 + 30 * MIN))).toBe(10);
    expect(amps(ps, ctx(T0 + 50 * MIN))).toBe(8);
    expect(amps(ps, ctx(T0 + 89 * MIN))).toBe(8);
    expect(amps(ps, ctx(T0 + 90 * MIN))).toBe(16); // duration over
  });

  it('nextChangeAt names each period boundary and the duration end', () => {
    expect(nextChangeAt(ps, ctx(T0))).toBe(T0 + 30 * MIN);
    expect(nextChangeAt(ps, ctx(T0 + 30 * MIN))).toBe(T0 + 45 * MIN);
    expect(nextChangeAt(ps, ctx(T0 + 45 * MIN))).toBe(T0 + 90 * MIN);
    expect(nextChangeAt(ps, ctx(T0 + 90 * MIN))).toBeUndefined();
  });

  it('a duration outlasting the periods holds the last period until it ends', () => {
    const p = [on(0, profile('TxDefaultProfile', 0, [[0, 6], [60, 12]], { duration: 7200 }))];
    expect(amps(p, ctx(T0 + 119 * MIN))).toBe(12);
    expect(amps(p, ctx(T0 + 120 * MIN))).toBeUndefined();
  });
});

describe('Tx, TxDefault and ChargePointMax', () => {
  const txn = { id: 42, startMs: T0 };

  it('a TxProfile replaces TxDefault even at a lower stack level; stale TxProfiles are ignored', () => {
    const ps = [on(0, profile('TxDefaultProfile', 5, [[0, 20]])), on(1, profile('TxProfile', 0, [[0, 12]], { transactionId: 42 }))];
    expect(amps(ps, ctx(T0, { transaction: txn }))).toBe(12);
    expect(amps(ps, ctx(T0, { transaction: { id: 43, startMs: T0 } }))).toBe(20);
    expect(amps(ps, ctx(T0))).toBe(20);
  });

  it('a connector-specific TxDefault replaces the connector-0 one for that connector only', () => {
    const ps = [on(0, profile('TxDefaultProfile', 3, [[0, 20]])), on(1, profile('TxDefaultProfile', 0, [[0, 14]]))];
    expect(amps(ps, ctx(T0, { connectorId: 1 }))).toBe(14);
    expect(amps(ps, ctx(T0, { connectorId: 2 }))).toBe(20);
  });

  it('the limit is the minimum of ChargePointMax and TxProfile, across units', () => {
    const max = on(0, profile('ChargePointMaxProfile', 0, [[0, 7000]], { unit: 'W' }));
    const tx = on(1, profile('TxProfile', 0, [[0, 16]], { transactionId: 42 }));
    expect(limitAt([max, tx], ctx(T0, { transaction: txn }))).toEqual({ amps: 7000 / 690, watts: 7000, phases: 3 });
    const low = on(1, profile('TxProfile', 1, [[0, 6]], { transactionId: 42 }));
    expect(limitAt([max, tx, low], ctx(T0, { transaction: txn }))).toEqual({ amps: 6, watts: 4140, phases: 3 });
  });

  it('connector 0 is limited by the ChargePointMaxProfile alone', () => {
    const ps = [on(0, profile('ChargePointMaxProfile', 0, [[0, 32]])), on(0, profile('TxDefaultProfile', 0, [[0, 10]]))];
    expect(amps(ps, ctx(T0, { connectorId: 0 }))).toBe(32);
    expect(amps(ps, ctx(T0, { connectorId: 1 }))).toBe(10);
  });

  it('limit 0 comes out as 0 (charging off), in A and in W', () => {
    for (const unit of ['A', 'W'] as const) {
      const l = limitAt([on(0, profile('TxDefaultProfile', 0, [[0, 0]], { unit }))], ctx(T0));
      expect(l).toEqual({ amps: 0, watts: 0, phases: 3 });
      expect(Object.is(l?.amps, 0) && Object.is(l?.watts, 0)).toBe(true);
    }
  });
});

describe('relative profiles', () => {
  const rel = on(1, profile('TxProfile', 0, [[0, 6], [600, 16]], { kind: 'Relative', duration: 3600, transactionId: 42 }), T0 + 12 * MIN);
  const c = (now: number) => ctx(now, { transaction: { id: 42, startMs: T0 + 10 * MIN } });

  it('are anchored at the transaction start', () => {
    expect(amps([rel], c(T0 + 15 * MIN))).toBe(6);
    expect(amps([rel], c(T0 + 20 * MIN))).toBe(16);
    expect(nextChangeAt([rel], c(T0 + 15 * MIN))).toBe(T0 + 20 * MIN);
    expect(nextChangeAt([rel], c(T0 + 20 * MIN))).toBe(T0 + 70 * MIN);
    expect(amps([rel], c(T0 + 70 * MIN))).toBeUndefined();
  });

  it('a relative TxDefault without a transaction has not started: lower levels apply', () => {
    const ps = [on(0, profile('TxDefaultProfile', 0, [[0, 32]])), on(0, profile('TxDefaultProfile', 1, [[0, 8]], { kind: 'Relative' }))];
    expect(amps(ps, ctx(T0 + H))).toBe(32);
    expect(amps(ps, ctx(T0 + H, { transaction: { id: 1, startMs: T0 } }))).toBe(8);
  });
});

describe('recurring profiles', () => {
  const base = on(0, profile('TxDefaultProfile', 0, [[0, 32]]));

  it('daily: a duration shorter than a day falls back to lower levels until the next cycle', () => {
    const evening = on(0, profile('TxDefaultProfile', 1, [[0, 6]], { recurrency: 'Daily', start: T0 + 17 * H, duration: 3 * 3600 }));
    const ps = [base, evening];
    expect(amps(ps, ctx(T0 + 10 * H))).toBe(32); // before the anchor
    expect(amps(ps, ctx(T0 + 18 * H))).toBe(6);
    expect(amps(ps, ctx(T0 + 20 * H))).toBe(32);
    expect(amps(ps, ctx(T0 + DAY + 16 * H))).toBe(32);
    expect(amps(ps, ctx(T0 + DAY + 17 * H + 30 * MIN))).toBe(6);
    expect(amps(ps, ctx(T0 + 30 * DAY + 19 * H))).toBe(6);
    expect(nextChangeAt(ps, ctx(T0 + 18 * H))).toBe(T0 + 20 * H);
    expect(nextChangeAt(ps, ctx(T0 + 20 * H))).toBe(T0 + DAY + 17 * H);
  });

  it('daily: periods and a duration beyond 24 h are cut off, the cycle restarts', () => {
    const p = on(0, profile('TxDefaultProfile', 0, [[0, 10], [20 * 3600, 20], [30 * 3600, 5]], { recurrency: 'Daily', duration: 30 * 3600 }));
    expect(amps([p], ctx(T0 + 23 * H))).toBe(20);
    expect(amps([p], ctx(T0 + DAY + H))).toBe(10); // not 20: the cycle restarted at 24 h
    expect(amps([p], ctx(T0 + DAY + 6 * H))).toBe(10); // the 30 h period never runs
    expect(nextChangeAt([p], ctx(T0 + 21 * H))).toBe(T0 + DAY);
  });

  it('weekly: restarts every 7 days at the same weekday and time', () => {
    const mondayMorning = on(0, profile('TxDefaultProfile', 1, [[0, 0]], { recurrency: 'Weekly', start: T0 + 8 * H, duration: 10 * 3600 }));
    const ps = [base, mondayMorning];
    expect(amps(ps, ctx(T0 + 9 * H))).toBe(0);
    expect(amps(ps, ctx(T0 + DAY + 9 * H))).toBe(32); // Tuesday
    expect(amps(ps, ctx(T0 + 7 * DAY + 9 * H))).toBe(0); // next Monday
    expect(nextChangeAt(ps, ctx(T0 + 19 * H))).toBe(T0 + 7 * DAY + 8 * H);
  });

  it('weekly: periods beyond 7 days are cut off', () => {
    const p = on(0, profile('TxDefaultProfile', 0, [[0, 10], [8 * 86400, 20]], { recurrency: 'Weekly' }));
    expect(amps([p], ctx(T0 + 8 * DAY + H))).toBe(10);
  });
});

describe('validFrom / validTo', () => {
  it('a profile counts only inside its window', () => {
    const ps = [on(0, profile('TxDefaultProfile', 0, [[0, 16]])), on(0, profile('TxDefaultProfile', 1, [[0, 8]], { validFrom: T0 + H, validTo: T0 + 2 * H }))];
    expect(amps(ps, ctx(T0 + 30 * MIN))).toBe(16);
    expect(amps(ps, ctx(T0 + H))).toBe(8);
    expect(amps(ps, ctx(T0 + 2 * H))).toBe(16);
    expect(nextChangeAt(ps, ctx(T0))).toBe(T0 + H);
    expect(nextChangeAt(ps, ctx(T0 + H))).toBe(T0 + 2 * H);
  });

  it('without validFrom a profile is valid from when it was installed', () => {
    const late = on(0, profile('TxDefaultProfile', 0, [[0, 16]]), T0 + H);
    expect(amps([late], ctx(T0 + 30 * MIN))).toBeUndefined();
    expect(amps([late], ctx(T0 + H))).toBe(16);
  });
});

describe('A <-> W', () => {
  const one = (p: ChargingProfile, phases: number) => limitAt([on(0, p)], ctx(T0, { phases }));

  it('A is per phase: W = A x 230 V x phases', () => {
    expect(one(profile('TxDefaultProfile', 0, [[0, 16]]), 3)).toEqual({ amps: 16, watts: 11040, phases: 3 });
    expect(one(profile('TxDefaultProfile', 0, [[0, 16]]), 1)).toEqual({ amps: 16, watts: 3680, phases: 1 });
  });

  it('W is total: A = W / (230 V x phases)', () => {
    expect(one(profile('TxDefaultProfile', 0, [[0, 6900]], { unit: 'W' }), 3)).toEqual({ amps: 10, watts: 6900, phases: 3 });
    expect(one(profile('TxDefaultProfile', 0, [[0, 6900]], { unit: 'W' }), 1)).toEqual({ amps: 30, watts: 6900, phases: 1 });
  });

  it('numberPhases below the phases in use limits the phases; above them applies the limit unchanged (errata)', () => {
    expect(one(profile('TxDefaultProfile', 0, [[0, 16, 1]]), 3)).toEqual({ amps: 16, watts: 3680, phases: 1 });
    expect(one(profile('TxDefaultProfile', 0, [[0, 16, 3]]), 1)).toEqual({ amps: 16, watts: 3680, phases: 1 });
  });

  it('the minimum of a 1-phase and a 3-phase limit keeps both bounds', () => {
    const ps = [on(0, profile('ChargePointMaxProfile', 0, [[0, 10]])), on(0, profile('TxDefaultProfile', 0, [[0, 16, 1]]))];
    expect(limitAt(ps, ctx(T0))).toEqual({ amps: 10, watts: 2300, phases: 1 });
  });
});
