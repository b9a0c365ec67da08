import { readMeterValue } from '../csms/meter-reading.js';
import type { MeterValue } from '../ocpp/types.js';
import { callsOf, num, type Exchange } from './exchanges.js';
import type { CertificationRecord } from './record.js';

/** One MeterValue entry of a MeterValues CALL, read the way the platform reads it. */
export interface MeterSample {
  readonly connectorId: number;
  readonly transactionId?: number;
  /** The charger's timestamp (its clock). */
  readonly chargerTime: number;
  /**
   * True time the sample was taken, estimated: the CALL's arrival minus how much older this entry is
   * than the newest entry of the same CALL (so queued samples keep their spacing).
   */
  readonly at: number;
  readonly context: string;
  readonly energyWh?: number;
  readonly powerW?: number;
  /** `Power.Active.Import`, or `Current.Import × Voltage` when power was derived. */
  readonly powerSource?: string;
  readonly measurands: readonly string[];
  readonly exchange: Exchange;
}

const cache = new WeakMap<CertificationRecord, readonly MeterSample[]>();

/** Every MeterValues sample from the charger, in arrival order. */
export function meterSamples(record: CertificationRecord): readonly MeterSample[] {
  const known = cache.get(record);
  if (known) return known;
  const out: MeterSample[] = [];
  for (const ex of callsOf(record, 'MeterValues', 'charger')) {
    const values = Array.isArray(ex.payload.meterValue) ? (ex.payload.meterValue as MeterValue[]) : [];
    const readings = values.map((mv) => ({ mv, r: readMeterValue(mv) }));
    const newest = Math.max(...readings.map(({ r }) => r.timestamp).filter(Number.isFinite));
    for (const { r } of readings) {
      const hasPower = r.measurands.includes('Power.Active.Import');
      out.push({
        connectorId: num(ex.payload.connectorId) ?? 0,
        transactionId: num(ex.payload.transactionId),
        chargerTime: r.timestamp,
        at: Number.isFinite(r.timestamp) && Number.isFinite(newest) ? ex.at - (newest - r.timestamp) : ex.at,
        context: r.context,
        energyWh: r.energyWh,
        powerW: r.powerW,
        powerSource: r.powerW === undefined ? undefined : hasPower ? 'Power.Active.Import' : 'Current.Import × Voltage',
        measurands: r.measurands,
        exchange: ex,
      });
    }
  }
  cache.set(record, out);
  return out;
}

/** Periodic samples (context Sample.Periodic, the default) taken during a transaction. */
export function sampledDuringTransactions(record: CertificationRecord): MeterSample[] {
  return meterSamples(record).filter((s) => s.context === 'Sample.Periodic' && s.transactionId !== undefined);
}

/** Whether a sample carries power the platform can use: Power.Active.Import, or Current.Import with Voltage. */
export function carriesPower(s: MeterSample): boolean {
  const base = s.measurands.map((m) => m.replace(/\.(L1|L2|L3|N|L1-N|L2-N|L3-N|L1-L2|L2-L3|L3-L1)$/, ''));
  return base.includes('Power.Active.Import') || (base.includes('Current.Import') && base.includes('Voltage'));
}
