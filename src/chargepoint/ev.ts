import type { EvParams } from './types.js';

/** An EV on a connector: its parameters and the state of charge it has reached. */
export interface EvState {
  params: EvParams;
  socPercent: number;
}

/** The SoC steps the taper moves in; power is constant within a step. */
const TAPER_STEP = 1;

export function isFull(ev: EvState): boolean {
  return ev.socPercent >= ev.params.targetSoc - 1e-9;
}

/** What the EV would draw (W) if offered without limit: 0 when paused or full, tapered near full. */
export function evDemandW(ev: EvState): number {
  if (ev.params.paused || isFull(ev)) return 0;
  const { taperStartSoc, minTaperFraction, maxPowerW } = ev.params;
  if (ev.socPercent < taperStartSoc) return maxPowerW;
  const step = Math.floor(ev.socPercent / TAPER_STEP) * TAPER_STEP;
  const span = Math.max(TAPER_STEP, 100 - taperStartSoc);
  const fraction = 1 - ((step - taperStartSoc + TAPER_STEP) / span) * (1 - minTaperFraction);
  return maxPowerW * Math.max(minTaperFraction, Math.min(1, fraction));
}

/** What the EV draws (W) when offered `offeredW`. */
export function evDrawW(ev: EvState, offeredW: number): number {
  return Math.max(0, Math.min(offeredW, evDemandW(ev)));
}

/** The SoC at which the EV's demand next changes (a taper step or full), if it is charging. */
export function nextDemandChangeSoc(ev: EvState): number | undefined {
  if (ev.params.paused || isFull(ev)) return undefined;
  const { taperStartSoc, targetSoc } = ev.params;
  const next = ev.socPercent < taperStartSoc ? taperStartSoc : Math.floor(ev.socPercent / TAPER_STEP) * TAPER_STEP + TAPER_STEP;
  return Math.min(next, targetSoc);
}

/** Milliseconds until the demand changes at a draw of `powerW`; undefined when never. */
export function msUntilDemandChange(ev: EvState, powerW: number): number | undefined {
  const soc = nextDemandChangeSoc(ev);
  if (soc === undefined || powerW <= 0) return undefined;
  const wh = ((soc - ev.socPercent) / 100) * ev.params.capacityWh;
  return Math.max(1, Math.ceil((wh / powerW) * 3_600_000));
}

/** Adds energy (Wh) to the battery; snaps to a whole step so float dust does not make tiny steps. */
export function addEnergy(ev: EvState, wh: number): void {
  let soc = ev.socPercent + (wh / ev.params.capacityWh) * 100;
  const nearest = Math.round(soc);
  if (Math.abs(soc - nearest) < 1e-6) soc = nearest;
  ev.socPercent = Math.min(100, soc);
}
