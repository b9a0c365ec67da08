import type { ChargingRateUnit, ChargingSchedulePeriod, CompositeSchedule } from '../ocpp/types.js';
import type { ScheduleContext } from './context.js';
import type { InstalledProfile } from './profile-store.js';
import { boundaryAfter } from './schedule.js';
import { chargePointMaxCandidates, prevailingAt, txCandidates } from './stacking.js';
import { periodLimit, roundDownToTenth, tighter, type Limit } from './units.js';

export type { ScheduleContext } from './context.js';
export type { Limit } from './units.js';

/** The limit at one instant and the unit of the profile that binds it. */
interface Evaluation {
  readonly limit: Limit;
  readonly unit: ChargingRateUnit;
}

function candidatesFor(profiles: readonly InstalledProfile[], ctx: ScheduleContext): InstalledProfile[][] {
  return [chargePointMaxCandidates(profiles), txCandidates(profiles, ctx.connectorId, ctx.transaction?.id)];
}

function evaluate(profiles: readonly InstalledProfile[], ctx: ScheduleContext, t: number): Evaluation | undefined {
  const txStart = ctx.transaction?.startMs;
  let result: Evaluation | undefined;
  for (const candidates of candidatesFor(profiles, ctx)) {
    const hit = prevailingAt(candidates, t, txStart);
    if (hit === undefined) continue;
    const limit = periodLimit(hit.period.limit, hit.period.unit, hit.period.numberPhases, ctx);
    if (result === undefined) {
      result = { limit, unit: hit.period.unit };
    } else {
      const combined = tighter(result.limit, limit, ctx.nominalVoltage);
      const unit = combined.watts < result.limit.watts ? hit.period.unit : result.unit;
      result = { limit: combined, unit };
    }
  }
  return result;
}

function nextBoundary(profiles: readonly InstalledProfile[], ctx: ScheduleContext, t: number): number | undefined {
  const txStart = ctx.transaction?.startMs;
  let best: number | undefined;
  for (const candidates of candidatesFor(profiles, ctx)) {
    for (const entry of candidates) {
      const b = boundaryAfter(entry, t, txStart);
      if (b !== undefined && (best === undefined || b < best)) best = b;
    }
  }
  return best;
}

/**
 * The limit in force at ctx.nowMs for that connector: min(ChargePointMax, Tx or TxDefault);
 * `undefined` = no limit. For connector 0 only the ChargePointMaxProfile applies. A limit of 0
 * comes out as amps 0 and watts 0 (charging off).
 */
export function limitAt(profiles: readonly InstalledProfile[], ctx: ScheduleContext): Limit | undefined {
  return evaluate(profiles, ctx, ctx.nowMs)?.limit;
}

/**
 * When (ms) the limit might next change after ctx.nowMs (a period boundary, a validFrom/validTo,
 * a duration end, a recurrence), so the charger can re-evaluate; `undefined` = never. It may name
 * an instant at which the limit turns out unchanged; it never skips a change. A transaction start
 * or end, or a profile set or cleared, is a change the charger knows about itself.
 */
export function nextChangeAt(profiles: readonly InstalledProfile[], ctx: ScheduleContext): number | undefined {
  return nextBoundary(profiles, ctx, ctx.nowMs);
}

interface Segment {
  readonly startMs: number;
  readonly evaluation: Evaluation | undefined;
}

/** Guards against a pathological profile set turning into an endless list of periods. */
const MAX_SEGMENTS = 10_000;

function segments(profiles: readonly InstalledProfile[], ctx: ScheduleContext, endMs: number): Segment[] {
  const out: Segment[] = [];
  let t = ctx.nowMs;
  while (t < endMs && out.length < MAX_SEGMENTS) {
    out.push({ startMs: t, evaluation: evaluate(profiles, ctx, t) });
    t = nextBoundary(profiles, ctx, t) ?? endMs;
  }
  return out;
}

/**
 * GetCompositeSchedule: the periods from ctx.nowMs over durationSec, in the requested unit
 * (default: the unit of the profile that binds first, else A). startSchedule is omitted (the
 * response's scheduleStart is ctx.nowMs); adjacent equal periods are merged; limits are rounded
 * down to 0.1. Intervals that no profile limits get ctx.maxAmps when given; otherwise leading
 * unlimited time is skipped (the first period starts later) and the schedule's duration ends
 * where the next unlimited interval begins.
 */
export function compositeSchedule(
  profiles: readonly InstalledProfile[],
  ctx: ScheduleContext,
  durationSec: number,
  unit?: ChargingRateUnit,
): CompositeSchedule {
  const endMs = ctx.nowMs + durationSec * 1000;
  const segs = segments(profiles, ctx, endMs);
  const outUnit = unit ?? segs.find((s) => s.evaluation !== undefined)?.evaluation?.unit ?? 'A';
  const fill = ctx.maxAmps === undefined ? undefined : periodLimit(ctx.maxAmps, 'A', ctx.phases, ctx);
  const periods: ChargingSchedulePeriod[] = [];
  let duration = durationSec;
  for (const seg of segs) {
    const limit = seg.evaluation?.limit ?? fill;
    const startPeriod = Math.round((seg.startMs - ctx.nowMs) / 1000);
    if (limit === undefined) {
      if (periods.length === 0) continue;
      duration = startPeriod;
      break;
    }
    const period: ChargingSchedulePeriod = {
      startPeriod,
      limit: roundDownToTenth(outUnit === 'A' ? limit.amps : limit.watts),
      numberPhases: limit.phases,
    };
    const last = periods.at(-1);
    if (last !== undefined && last.startPeriod === startPeriod) periods.pop();
    const prev = periods.at(-1);
    if (prev !== undefined && prev.limit === period.limit && prev.numberPhases === period.numberPhases) continue;
    periods.push(period);
  }
  return { duration, chargingRateUnit: outUnit, chargingSchedulePeriod: periods };
}
