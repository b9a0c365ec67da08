import type { CompositeSchedule } from '../ocpp/types.js';
import type { ScheduleContext } from './context.js';
import type { InstalledProfile } from './profile-store.js';
import type { Limit } from './units.js';

export type { ScheduleContext } from './context.js';
export type { Limit } from './units.js';

/** The limit in force at ctx.nowMs for that connector: min(ChargePointMax, Tx or TxDefault); undefined = no limit. */
export function limitAt(_profiles: readonly InstalledProfile[], _ctx: ScheduleContext): Limit | undefined {
  return undefined; // first version: signatures only
}

/** When (ms) the limit might next change after ctx.nowMs; undefined = never. */
export function nextChangeAt(_profiles: readonly InstalledProfile[], _ctx: ScheduleContext): number | undefined {
  return undefined;
}

/** GetCompositeSchedule from ctx.nowMs over durationSec. */
export function compositeSchedule(_profiles: readonly InstalledProfile[], _ctx: ScheduleContext, durationSec: number, unit?: 'A' | 'W'): CompositeSchedule {
  return { duration: durationSec, chargingRateUnit: unit ?? 'A', chargingSchedulePeriod: [] };
}
