import type { ChargingRateUnit } from '../ocpp/types.js';
import { isoToMs } from './iso-time.js';
import type { InstalledProfile } from './profile-store.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** The schedule period of one profile in force at an instant. */
export interface ActivePeriod {
  readonly limit: number;
  readonly unit: ChargingRateUnit;
  readonly numberPhases: number | undefined;
}

/** The interval [start, end) one run of a profile's schedule covers (end may be Infinity). */
interface Run {
  readonly start: number;
  readonly end: number;
  /** For recurring profiles, the length of one cycle. */
  readonly cycleMs?: number;
}

/** validFrom (default: when installed) to validTo (default: forever). */
function validity(entry: InstalledProfile): { from: number; to: number } {
  return {
    from: isoToMs(entry.profile.validFrom) ?? entry.installedAt,
    to: isoToMs(entry.profile.validTo) ?? Number.POSITIVE_INFINITY,
  };
}

/**
 * The run of the schedule that contains t, or the next one when t is before the first.
 * Absolute: from startSchedule (absent: from installation). Relative: from the transaction start
 * (no transaction: not started, `undefined`). Recurring: from startSchedule (absent: validFrom,
 * else installation), restarting every 24 h / 7 d; a duration longer than the cycle is cut off.
 */
function runAt(entry: InstalledProfile, t: number, txStartMs: number | undefined): Run | undefined {
  const { profile } = entry;
  const schedule = profile.chargingSchedule;
  const durationMs = schedule.duration === undefined ? Number.POSITIVE_INFINITY : schedule.duration * 1000;
  switch (profile.chargingProfileKind) {
    case 'Absolute': {
      const start = isoToMs(schedule.startSchedule) ?? entry.installedAt;
      return { start, end: start + durationMs };
    }
    case 'Relative':
      return txStartMs === undefined ? undefined : { start: txStartMs, end: txStartMs + durationMs };
    case 'Recurring': {
      const cycleMs = profile.recurrencyKind === 'Weekly' ? WEEK_MS : DAY_MS;
      const anchor = isoToMs(schedule.startSchedule) ?? isoToMs(profile.validFrom) ?? entry.installedAt;
      const start = t < anchor ? anchor : anchor + Math.floor((t - anchor) / cycleMs) * cycleMs;
      return { start, end: start + Math.min(durationMs, cycleMs), cycleMs };
    }
  }
}

/** The period of this profile in force at t, or `undefined` when the profile does not cover t. */
export function periodAt(entry: InstalledProfile, t: number, txStartMs: number | undefined): ActivePeriod | undefined {
  const { from, to } = validity(entry);
  if (t < from || t >= to) return undefined;
  const run = runAt(entry, t, txStartMs);
  if (run === undefined || t < run.start || t >= run.end) return undefined;
  const offsetMs = t - run.start;
  const schedule = entry.profile.chargingSchedule;
  let found: (typeof schedule.chargingSchedulePeriod)[number] | undefined;
  for (const period of schedule.chargingSchedulePeriod) {
    if (period.startPeriod * 1000 <= offsetMs && (found === undefined || period.startPeriod >= found.startPeriod)) found = period;
  }
  if (found === undefined) return undefined;
  return { limit: found.limit, unit: schedule.chargingRateUnit, numberPhases: found.numberPhases };
}

/**
 * The first instant after t at which this profile's contribution may change: validFrom/validTo,
 * a run's start or end, a period start, the next recurrence. `undefined` when none.
 */
export function boundaryAfter(entry: InstalledProfile, t: number, txStartMs: number | undefined): number | undefined {
  const { from, to } = validity(entry);
  const candidates = [from, to];
  const run = runAt(entry, t, txStartMs);
  if (run !== undefined) {
    candidates.push(run.start, run.end);
    for (const period of entry.profile.chargingSchedule.chargingSchedulePeriod) candidates.push(run.start + period.startPeriod * 1000);
    if (run.cycleMs !== undefined) candidates.push(run.start + run.cycleMs);
  }
  let best: number | undefined;
  for (const c of candidates) if (c > t && Number.isFinite(c) && (best === undefined || c < best)) best = c;
  return best;
}
