/** Every tolerance the checks use, in one place (docs/conformance.md quotes them). */
export const TOLERANCE = {
  /** PLT-TIME-1: charger timestamps may differ from true time by this much. */
  clockOffsetMs: 60_000,
  /** PLT-TIME-1: StatusNotifications this soon after a BootNotification count as boot-era. */
  bootEraMs: 120_000,
  /** PLT-CFG-2: the sampling interval asked for, and the allowed deviation per gap. */
  sampleIntervalMs: 60_000,
  sampleIntervalToleranceMs: 2_000,
  /** PLT-CFG-2: gaps needed to judge the interval. */
  minIntervals: 3,
  /** PLT-MV-2: ∫P dt may differ from ΔE by this fraction or this many Wh, whichever is larger. */
  energyFraction: 0.05,
  energyWh: 20,
  /** Import power at or below this counts as "not charging" (W). */
  idlePowerW: 50,
  /** PLT-SC-3: while the limit is 0 the energy register may rise by this much plus idlePowerW over the span (Wh). */
  offEnergyWh: 5,
  /** Power readings this soon after a limit or status change are not judged (the charger settles). */
  settleMs: 10_000,
  /** A status or triggered message must follow its cause within this time. */
  reactionMs: 60_000,
  /** PLT-SC-3: power may exceed a raised limit by this fraction (meter accuracy). */
  limitFraction: 0.05,
  /** Nominal line voltage for A limits (digest §6: W = A × 230 V × phases). */
  nominalVoltage: 230,
  /** PLT-CORE-1: after an accepted Reset the charger must be back with a BootNotification within this time. */
  rebootMs: 300_000,
  /** PLT-NF-1: the charger must be back within this time after the network returns. */
  reconnectMs: 600_000,
} as const;
