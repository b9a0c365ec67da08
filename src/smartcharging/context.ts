/**
 * What the schedule functions need to know about the charger at one instant. All times are ms
 * since epoch on the charger's own clock; nothing here reads time.
 */
export interface ScheduleContext {
  /** 0 = the whole charger (only the ChargePointMaxProfile applies); >0 = one connector. */
  connectorId: number;
  nowMs: number;
  /** The running transaction on that connector, if any. */
  transaction?: { id: number; startMs: number };
  /** Regional nominal line voltage, e.g. 230. */
  nominalVoltage: number;
  /** Phases actually in use (1 or 3), for A <-> W. */
  phases: number;
  /**
   * The rated current per phase of the connector (or charger for 0). Only used by
   * compositeSchedule to fill intervals that no profile limits; without it those intervals are
   * left out (see docs/smart-charging.md).
   */
  maxAmps?: number;
}
