import type { MeterValue, SampledValue } from '../ocpp/types.js';

/** One timestamped reading as the CSMS understands it: energy register in Wh, import power in W. */
export interface MeterReading {
  readonly timestamp: number;
  readonly context: string;
  readonly energyWh?: number;
  readonly powerW?: number;
  readonly measurands: readonly string[];
}

const ENERGY = 'Energy.Active.Import.Register';

function toNumber(v: string): number | undefined {
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function scaled(sv: SampledValue, base: 'Wh' | 'W'): number | undefined {
  const n = toNumber(sv.value);
  if (n === undefined) return undefined;
  const unit = sv.unit ?? (base === 'Wh' ? 'Wh' : 'W');
  if (unit === 'kWh' || unit === 'kW') return n * 1000;
  return n;
}

/**
 * Reads one MeterValue the way a platform does (digest §7): the overall energy register (Wh or kWh;
 * a bare value is the register in Wh) and import power, from Power.Active.Import or, failing that,
 * Σ Current.Import × Voltage over phases (power factor ignored).
 */
export function readMeterValue(mv: MeterValue): MeterReading {
  let energyWh: number | undefined;
  let powerW: number | undefined;
  const currents = new Map<string, number>();
  const voltages = new Map<string, number>();
  const measurands: string[] = [];
  let context = 'Sample.Periodic';
  for (const sv of mv.sampledValue) {
    const measurand = sv.measurand ?? ENERGY;
    measurands.push(sv.phase ? `${measurand}.${sv.phase}` : measurand);
    if (sv.context) context = sv.context;
    if (measurand === ENERGY && !sv.phase) energyWh = scaled(sv, 'Wh');
    else if (measurand === 'Power.Active.Import' && !sv.phase) powerW = scaled(sv, 'W');
    else if (measurand === 'Current.Import') {
      const n = toNumber(sv.value);
      if (n !== undefined) currents.set(phaseKey(sv.phase), n);
    } else if (measurand === 'Voltage') {
      const n = toNumber(sv.value);
      if (n !== undefined) voltages.set(phaseKey(sv.phase), n);
    }
  }
  if (powerW === undefined && currents.size > 0 && voltages.size > 0) {
    let sum = 0;
    for (const [phase, amps] of currents) {
      const volts = voltages.get(phase) ?? voltages.get('') ?? [...voltages.values()][0];
      sum += amps * volts;
    }
    powerW = sum;
  }
  return { timestamp: Date.parse(mv.timestamp), context, energyWh, powerW, measurands };
}

/** L1 and L1-N are the same phase for V·I purposes. */
function phaseKey(phase: string | undefined): string {
  if (!phase) return '';
  return phase.replace(/-N$/, '');
}
