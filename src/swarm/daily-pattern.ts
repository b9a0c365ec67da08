import { ChargecheckError } from '../errors.js';

/**
 * When the fleet's EVs plug in and for how long: a day's occupancy curve (the share of chargers
 * with an EV charging, per hour of the day) turned into per-charger sessions. Arrivals are a
 * non-homogeneous Poisson process per charger whose rate gives that occupancy for the mean
 * session length (Little's law: occ = λ·M / (1 + λ·M)), so plug-ins are spread over time and
 * follow the curve. Everything is drawn from a per-charger seeded generator: the same id and
 * seed give the same sessions in every shard and every run.
 */
export interface DailyPattern {
  /** 24 values in [0, 0.95]: share of chargers in a session at each hour (UTC) of the day. */
  occupancyByHour: number[];
  /** Mean session length on the pattern's clock, minutes. */
  meanSessionMinutes: number;
  /** Pattern hours per real hour: 1 = a real day, 24 = a day in an hour. MeterValues stay real-time. */
  timeScale: number;
  /** Pattern hour (0–24, UTC) at the start of the run; default the real current UTC time of day. */
  startHour?: number;
  /** EV charging power choices, W; each session picks one. */
  evMaxPowerW: number[];
  /** idTag presented at StartTransaction. */
  idTag: string;
  /** MeterValueSampleInterval until the CSMS configures one, seconds. */
  meterIntervalSec: number;
  /** Real seconds over which the sessions already running at start plug in after boot. */
  initialSpreadSec: number;
  seed: number;
}

/** Overnight home charging, a morning dip, a work-day plateau and an evening peak. */
export const DEFAULT_PATTERN: DailyPattern = {
  occupancyByHour: [0.35, 0.35, 0.33, 0.3, 0.26, 0.22, 0.18, 0.15, 0.18, 0.22, 0.25, 0.25, 0.24, 0.24, 0.24, 0.26, 0.3, 0.38, 0.45, 0.48, 0.47, 0.44, 0.4, 0.37],
  meanSessionMinutes: 150,
  timeScale: 1,
  evMaxPowerW: [3_700, 7_400, 11_000, 11_000, 22_000],
  idTag: 'SWARM0001',
  meterIntervalSec: 60,
  initialSpreadSec: 60,
  seed: 1,
};

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_OCCUPANCY = 0.95;

/** Checks a pattern (e.g. from --scenario). Throws SWARM_BAD_PATTERN. */
export function checkPattern(p: DailyPattern): DailyPattern {
  const bad = (field: string, why: string): never => {
    throw new ChargecheckError('SWARM_BAD_PATTERN', `swarm pattern: ${field} ${why}`, { field });
  };
  if (!Array.isArray(p.occupancyByHour) || p.occupancyByHour.length !== 24) bad('occupancyByHour', 'must list 24 values (hours 0–23)');
  if (p.occupancyByHour.some((v) => typeof v !== 'number' || !(v >= 0 && v <= MAX_OCCUPANCY))) bad('occupancyByHour', `values must be between 0 and ${MAX_OCCUPANCY}`);
  if (!(p.meanSessionMinutes > 0)) bad('meanSessionMinutes', 'must be > 0');
  if (!(p.timeScale > 0)) bad('timeScale', 'must be > 0');
  if (p.startHour !== undefined && !(p.startHour >= 0 && p.startHour <= 24)) bad('startHour', 'must be between 0 and 24');
  if (!Array.isArray(p.evMaxPowerW) || p.evMaxPowerW.length === 0 || p.evMaxPowerW.some((w) => !(w > 0))) bad('evMaxPowerW', 'must be a non-empty list of positive watts');
  if (!(p.meterIntervalSec > 0)) bad('meterIntervalSec', 'must be > 0');
  if (!(p.initialSpreadSec >= 0)) bad('initialSpreadSec', 'must be ≥ 0');
  if (typeof p.idTag !== 'string' || p.idTag.length === 0 || p.idTag.length > 20) bad('idTag', 'must be 1–20 characters');
  return p;
}

/** A 32-bit seed for a charger from its id and the run seed (FNV-1a). */
export function seedFor(id: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: the next state and a uniform [0, 1) draw, so a charger keeps one number of state. */
export function draw(state: number): [number, number] {
  const s = (state + 0x6d2b79f5) >>> 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [s, ((t ^ (t >>> 14)) >>> 0) / 4294967296];
}

/** A charger's random source: one 32-bit state. */
export interface Rng {
  rng: number;
}

export function uniform(r: Rng): number {
  const [s, u] = draw(r.rng);
  r.rng = s;
  return u;
}

/** The pattern precomputed once per fleet: arrival rates per hour and the time mapping. */
export class CompiledPattern {
  readonly pattern: DailyPattern;
  private readonly rates: Float64Array; // arrivals per pattern-ms, per hour
  private readonly maxRate: number;
  private readonly meanMs: number;
  private readonly startPatternMs: number;
  private readonly startRealMs: number;

  constructor(pattern: DailyPattern, startRealMs: number) {
    this.pattern = checkPattern(pattern);
    this.meanMs = pattern.meanSessionMinutes * 60_000;
    this.rates = Float64Array.from(pattern.occupancyByHour, (occ) => {
      const o = Math.min(occ, MAX_OCCUPANCY);
      return o / (this.meanMs * (1 - o));
    });
    this.maxRate = Math.max(...this.rates);
    const startHour = pattern.startHour ?? (startRealMs % DAY_MS) / HOUR_MS;
    this.startPatternMs = startHour * HOUR_MS;
    this.startRealMs = startRealMs;
  }

  /** Pattern time of day (ms since pattern midnight, unbounded) at a real instant. */
  patternTime(realMs: number): number {
    return this.startPatternMs + (realMs - this.startRealMs) * this.pattern.timeScale;
  }

  /** Real ms that `patternMs` of pattern time takes. */
  toReal(patternMs: number): number {
    return patternMs / this.pattern.timeScale;
  }

  occupancyAt(patternMs: number): number {
    return this.pattern.occupancyByHour[hourOf(patternMs)];
  }

  /** Pattern ms from `patternMs` until this charger's next plug-in (thinning; Infinity if the curve is all 0). */
  nextArrival(r: Rng, patternMs: number): number {
    if (this.maxRate <= 0) return Number.POSITIVE_INFINITY;
    let t = patternMs;
    for (let i = 0; i < 10_000; i++) {
      t += -Math.log(1 - uniform(r)) / this.maxRate;
      if (uniform(r) * this.maxRate <= this.rates[hourOf(t)]) return t - patternMs;
    }
    return t - patternMs;
  }

  /** Pattern ms a session lasts: uniform on [0.25, 1.75] × the mean. */
  sessionLength(r: Rng): number {
    return this.meanMs * (0.25 + 1.5 * uniform(r));
  }

  evPower(r: Rng): number {
    const choices = this.pattern.evMaxPowerW;
    return choices[Math.min(choices.length - 1, Math.floor(uniform(r) * choices.length))];
  }

  /**
   * At the start of the run: is an EV already plugged in (occupancy of the starting hour), and for
   * how much longer (pattern ms)? Undefined = not in a session.
   */
  initialSession(r: Rng, patternMs: number): number | undefined {
    if (uniform(r) >= this.occupancyAt(patternMs)) return undefined;
    return this.sessionLength(r) * uniform(r);
  }
}

function hourOf(patternMs: number): number {
  const h = Math.floor((((patternMs % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
  return Math.min(23, Math.max(0, h));
}
