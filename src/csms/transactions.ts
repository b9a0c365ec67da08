import type { MeterValue } from '../ocpp/types.js';
import { readMeterValue, type MeterReading } from './meter-reading.js';

/** A transaction as the CSMS saw it: start, stop, and every reading in between. */
export interface TransactionRecord {
  readonly id: number;
  readonly chargePointId: string;
  readonly connectorId: number;
  readonly idTag: string;
  readonly meterStart: number;
  readonly startTimestamp: number;
  meterStop?: number;
  stopTimestamp?: number;
  stopReason?: string;
  readonly readings: MeterReading[];
}

export interface SessionEnergy {
  /** meterStop − meterStart (Wh), undefined while running. */
  readonly byRegisterWh?: number;
  /** Last register sample − meterStart (Wh), from MeterValues. */
  readonly bySamplesWh?: number;
  /** ∫P dt over the power samples (trapezoid, Wh). */
  readonly integratedWh?: number;
  /** Register values that went down (should be empty). */
  readonly decreases: readonly { from: number; to: number; at: number }[];
}

export function addReadings(tx: TransactionRecord, values: readonly MeterValue[]): MeterReading[] {
  const added = values.map(readMeterValue);
  tx.readings.push(...added);
  return added;
}

/**
 * How much energy the session took, computed three ways the platform can cross-check (PLT-MV-1,
 * PLT-MV-2): the Start/Stop registers, the register samples, and the integral of power.
 */
export function sessionEnergy(tx: TransactionRecord): SessionEnergy {
  const byRegisterWh = tx.meterStop !== undefined ? tx.meterStop - tx.meterStart : undefined;
  const registers = tx.readings.filter((r) => r.energyWh !== undefined).sort((a, b) => a.timestamp - b.timestamp);
  const decreases: { from: number; to: number; at: number }[] = [];
  let prev = tx.meterStart;
  for (const r of registers) {
    if (r.energyWh! < prev) decreases.push({ from: prev, to: r.energyWh!, at: r.timestamp });
    prev = r.energyWh!;
  }
  if (tx.meterStop !== undefined && tx.meterStop < prev) decreases.push({ from: prev, to: tx.meterStop, at: tx.stopTimestamp ?? 0 });
  const bySamplesWh = registers.length ? registers[registers.length - 1].energyWh! - tx.meterStart : undefined;
  const powers = tx.readings.filter((r) => r.powerW !== undefined).sort((a, b) => a.timestamp - b.timestamp);
  let integratedWh: number | undefined;
  if (powers.length >= 2) {
    integratedWh = 0;
    for (let i = 1; i < powers.length; i++) {
      const dtH = (powers[i].timestamp - powers[i - 1].timestamp) / 3_600_000;
      integratedWh += ((powers[i].powerW! + powers[i - 1].powerW!) / 2) * dtH;
    }
  }
  return { byRegisterWh, bySamplesWh, integratedWh, decreases };
}
