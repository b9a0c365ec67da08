import type { Measurand, Phase } from '../ocpp/types.js';

/** The measurands this charger's meter can produce. */
export const SUPPORTED_MEASURANDS: readonly Measurand[] = [
  'Energy.Active.Import.Register',
  'Power.Active.Import',
  'Power.Offered',
  'Current.Import',
  'Current.Offered',
  'Voltage',
  'SoC',
  'Frequency',
];

/** Measurands that come per phase (an optional `.L1`-style suffix picks one phase). */
export const PHASED: readonly Measurand[] = ['Current.Import', 'Voltage', 'Power.Active.Import'];

export interface MeasurandItem {
  measurand: Measurand;
  /** Only this phase (from a `.L1`/`.L2`/`.L3` suffix); all phases in use when absent. */
  phase?: Phase;
}

/** Parses a measurand CSL (`Energy.Active.Import.Register,Voltage.L1`); `error` names the first unsupported item. */
export function parseMeasurandList(csl: string): { items: MeasurandItem[]; error?: string } {
  const items: MeasurandItem[] = [];
  for (const raw of csl.split(',')) {
    const text = raw.trim();
    if (text === '') continue;
    const found = matchItem(text);
    if (!found) return { items: [], error: `unsupported measurand '${text}'` };
    items.push(found);
  }
  return { items };
}

function matchItem(text: string): MeasurandItem | undefined {
  const exact = SUPPORTED_MEASURANDS.find((m) => m.toLowerCase() === text.toLowerCase());
  if (exact) return { measurand: exact };
  const m = /^(.*)\.(L[123])$/i.exec(text);
  if (!m) return undefined;
  const base = PHASED.find((p) => p.toLowerCase() === m[1].toLowerCase());
  return base ? { measurand: base, phase: m[2].toUpperCase() as Phase } : undefined;
}
