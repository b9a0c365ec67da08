import type { Phase, ReadingContext, StopTransactionRequest } from '../ocpp/types.js';
import type { Connector } from './connector.js';
import { parseMeasurandList, type MeasurandItem } from './measurand-list.js';

/** One MeterValue as both MeterValues and StopTransaction.transactionData accept it. */
export type TxMeterValue = NonNullable<StopTransactionRequest['transactionData']>[number];
export type TxSampledValue = TxMeterValue['sampledValue'][number];

/** What the meter shows at one instant; per-phase values satisfy P = Σ V·I. */
export interface Reading {
  /** The register as reported (whole Wh, never decreasing; per transaction under `energy-backwards`). */
  energyWh: number;
  powerW: number;
  offeredW: number;
  offeredA: number;
  phases: number;
  volts: number[];
  amps: number[];
  socPercent?: number;
}

export interface MeterSupply {
  nominalVoltage: number;
  random: () => number;
}

/** Reads the connector's meter: the voltage varies ±1 % per phase, the currents follow from the power. */
export function readMeter(c: Connector, supply: MeterSupply, energyBackwards: boolean): Reading {
  const phases = c.phases;
  const volts = Array.from({ length: phases }, () => round(supply.nominalVoltage * (1 + (supply.random() - 0.5) * 0.02), 1));
  // Quirk hidden-import: the register counts what flows, power and current say nothing does.
  const shownW = c.hiddenImport ? 0 : c.powerW;
  const perPhase = shownW / phases;
  const amps = volts.map((v) => round(perPhase / v, 3));
  const base = energyBackwards && c.tx ? c.tx.registerAtStart : 0;
  const reading: Reading = {
    energyWh: Math.floor(c.registerWh - base),
    powerW: round(shownW, 1),
    offeredW: round(c.hiddenImport ? 0 : c.offeredW, 1),
    offeredA: round(c.offeredW / (supply.nominalVoltage * phases), 1),
    phases,
    volts,
    amps,
  };
  if (c.ev) reading.socPercent = Math.floor(c.ev.socPercent);
  return reading;
}

const PHASES: Phase[] = ['L1', 'L2', 'L3'];
const VOLTAGE_PHASES: Phase[] = ['L1-N', 'L2-N', 'L3-N'];
/** Measurands the `no-power-measurand` quirk never sends. */
const POWER_MEASURANDS = new Set(['Power.Active.Import', 'Current.Import', 'Voltage']);

/** The sampled values for a measurand CSL (already validated by the configuration). */
export function sampledValues(reading: Reading, csl: string, context: ReadingContext, noPower: boolean): TxSampledValue[] {
  const out: TxSampledValue[] = [];
  for (const item of parseMeasurandList(csl).items) {
    if (noPower && POWER_MEASURANDS.has(item.measurand)) continue;
    out.push(...valuesFor(reading, item, context));
  }
  return out;
}

function valuesFor(r: Reading, item: MeasurandItem, context: ReadingContext): TxSampledValue[] {
  const one = (value: number | string, unit?: TxSampledValue['unit'], phase?: Phase): TxSampledValue => {
    const v: TxSampledValue = { value: String(value), context, measurand: item.measurand };
    if (phase) v.phase = phase;
    if (unit) v.unit = unit;
    return v;
  };
  const phaseIdx = PHASES.map((_, i) => i).filter((i) => i < r.phases && (!item.phase || PHASES[i] === item.phase));
  switch (item.measurand) {
    case 'Energy.Active.Import.Register':
      return [one(r.energyWh, 'Wh')];
    case 'Power.Active.Import':
      if (item.phase) return phaseIdx.map((i) => one(round(r.powerW / r.phases, 1), 'W', PHASES[i]));
      return [one(r.powerW, 'W')];
    case 'Power.Offered':
      return [one(r.offeredW, 'W')];
    case 'Current.Import':
      return phaseIdx.map((i) => one(r.amps[i], 'A', PHASES[i]));
    case 'Current.Offered':
      return [one(r.offeredA, 'A')];
    case 'Voltage':
      return phaseIdx.map((i) => one(r.volts[i], 'V', VOLTAGE_PHASES[i]));
    case 'SoC':
      return r.socPercent === undefined ? [] : [one(r.socPercent, 'Percent')];
    case 'Frequency':
      return [one('50.0')];
    default:
      return [];
  }
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
