import { describe, expect, it } from 'vitest';
import type { ChargingProfile, ChargingProfilePurpose, ResponseOf } from '../src/ocpp/types.js';
import { validatePayload } from '../src/ocpp/validator.js';
import { compositeSchedule, type ScheduleContext } from '../src/smartcharging/composite.js';
import type { InstalledProfile } from '../src/smartcharging/profile-store.js';

const T0 = Date.parse('2024-03-04T00:00:00Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

let nextId = 1;
function absolute(
  purpose: ChargingProfilePurpose,
  stackLevel: number,
  periods: [number, number][],
  o: { start?: number; duration?: number; unit?: 'A' | 'W' } = {},
): ChargingProfile {
  return {
    chargingProfileId: nextId++,
    stackLevel,
    chargingProfilePurpose: purpose,
    chargingProfileKind: 'Absolute',
    chargingSchedule: {
      chargingRateUnit: o.unit ?? 'A',
      startSchedule: iso(o.start ?? T0),
      ...(o.duration !== undefined && { duration: o.duration }),
      chargingSchedulePeriod: periods.map(([startPeriod, limit]) => ({ startPeriod, limit })),
    },
  };
}
const on = (connectorId: number, p: ChargingProfile): InstalledProfile => ({ connectorId, profile: p, installedAt: T0 });
const ctx = (nowMs: number, over: Partial<ScheduleContext> = {}): ScheduleContext => ({ connectorId: 1, nowMs, nominalVoltage: 230, phases: 3, ...over });

/** The full GetCompositeSchedule.conf a charger would send, checked against the official schema. */
function expectValidResponse(c: ScheduleContext, schedule: ReturnType<typeof compositeSchedule>): void {
  const response: ResponseOf<'GetCompositeSchedule'> = {
    status: 'Accepted',
    connectorId: c.connectorId,
    scheduleStart: iso(c.nowMs),
    chargingSchedule: schedule,
  };
  expect(validatePayload('GetCompositeSchedule', 'response', response)).toBeUndefined();
  expect(schedule).not.toHaveProperty('startSchedule');
}

const base = on(0, absolute('TxDefaultProfile', 0, [[0, 16]]));
const top = on(0, absolute('TxDefaultProfile', 1, [[0, 10], [900, 8]], { start: T0 + 30 * MIN, duration: 3600 }));

describe('compositeSchedule', () => {
  it('stacked profiles become uneven periods, relative to now, with startSchedule omitted', () => {
    const c = ctx(T0);
    const s = compositeSchedule([base, top], c, 7200);
    expect(s).toEqual({
      duration: 7200,
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [
        { startPeriod: 0, limit: 16, numberPhases: 3 },
        { startPeriod: 1800, limit: 10, numberPhases: 3 },
        { startPeriod: 2700, limit: 8, numberPhases: 3 },
        { startPeriod: 5400, limit: 16, numberPhases: 3 },
      ],
    });
    expectValidResponse(c, s);
  });

  it('starts mid-period and ends with the window', () => {
    const c = ctx(T0 + 40 * MIN);
    const s = compositeSchedule([base, top], c, 600);
    expect(s.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 10, numberPhases: 3 },
      { startPeriod: 300, limit: 8, numberPhases: 3 },
    ]);
    expect(s.duration).toBe(600);
  });

  it('the requested unit converts: W = A x 230 x 3', () => {
    const c = ctx(T0);
    const s = compositeSchedule([base, top], c, 3600, 'W');
    expect(s.chargingRateUnit).toBe('W');
    expect(s.chargingSchedulePeriod.map((p) => p.limit)).toEqual([11040, 6900, 5520]);
    expectValidResponse(c, s);
  });

  it('by default uses the unit of the prevailing profile, and rounds A down to 0.1', () => {
    const c = ctx(T0);
    const w = [on(0, absolute('TxDefaultProfile', 0, [[0, 11000]], { unit: 'W' }))];
    expect(compositeSchedule(w, c, 60)).toMatchObject({ chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }] });
    const a = compositeSchedule(w, c, 60, 'A');
    expect(a.chargingSchedulePeriod[0].limit).toBe(15.9); // 11000 / 690 = 15.94
    expectValidResponse(c, a);
  });

  it('ChargePointMax and Tx merge into the minimum per instant; adjacent equal periods merge', () => {
    const c = ctx(T0, { transaction: { id: 7, startMs: T0 } });
    const max = on(0, absolute('ChargePointMaxProfile', 0, [[0, 20], [600, 10], [1200, 32]]));
    const tx = on(1, { ...absolute('TxProfile', 0, [[0, 10], [900, 16]]), transactionId: 7 });
    const s = compositeSchedule([max, tx], c, 1800);
    expect(s.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 10, numberPhases: 3 }, // tx 10, then max 10 (merged)
      { startPeriod: 1200, limit: 16, numberPhases: 3 },
    ]);
    expectValidResponse(c, s);
  });

  it('limit 0 is reported as 0', () => {
    const c = ctx(T0);
    const s = compositeSchedule([on(0, absolute('TxDefaultProfile', 0, [[0, 0]]))], c, 60);
    expect(s.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 0, numberPhases: 3 }]);
    expectValidResponse(c, s);
  });

  it('unlimited time is filled with maxAmps when given', () => {
    const c = ctx(T0, { maxAmps: 32, phases: 1 });
    const s = compositeSchedule([top], c, 7200);
    expect(s.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 32, numberPhases: 1 },
      { startPeriod: 1800, limit: 10, numberPhases: 1 },
      { startPeriod: 2700, limit: 8, numberPhases: 1 },
      { startPeriod: 5400, limit: 32, numberPhases: 1 },
    ]);
    expectValidResponse(c, s);
  });

  it('without maxAmps, leading unlimited time is skipped and the schedule ends at the next unlimited interval', () => {
    const c = ctx(T0);
    const s = compositeSchedule([top], c, 7200);
    expect(s).toEqual({
      duration: 5400,
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [
        { startPeriod: 1800, limit: 10, numberPhases: 3 },
        { startPeriod: 2700, limit: 8, numberPhases: 3 },
      ],
    });
    expectValidResponse(c, s);
  });

  it('no profiles: no periods, still a valid response', () => {
    const c = ctx(T0);
    const s = compositeSchedule([], c, 600);
    expect(s).toEqual({ duration: 600, chargingRateUnit: 'A', chargingSchedulePeriod: [] });
    expectValidResponse(c, s);
  });

  it('connector 0 reports the ChargePointMaxProfile only', () => {
    const c = ctx(T0, { connectorId: 0 });
    const s = compositeSchedule([base, on(0, absolute('ChargePointMaxProfile', 0, [[0, 7360]], { unit: 'W' }))], c, 60);
    expect(s).toEqual({ duration: 60, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 7360, numberPhases: 3 }] });
    expectValidResponse(c, s);
  });

  it('a now between whole seconds still gives integer startPeriods', () => {
    const c = ctx(T0 + 29 * MIN + 500);
    const s = compositeSchedule([base, top], c, 120);
    for (const p of s.chargingSchedulePeriod) expect(Number.isInteger(p.startPeriod)).toBe(true);
    expectValidResponse(c, s);
  });
});
