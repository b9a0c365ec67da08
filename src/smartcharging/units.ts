/** A limit in both units: `amps` per phase, `watts` total, over `phases` phases. */
export interface Limit {
  amps: number;
  watts: number;
  phases: number;
}
