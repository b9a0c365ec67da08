/**
 * Official charge-point cases the catalogue has no scenario for, with the reason. Every other case
 * has exactly one scenario in scenarios/ocpp16/charger/ (a test keeps this, the scenario folder and
 * docs/ocpp16-coverage.md in agreement).
 */
export const NOT_COVERED: Readonly<Record<string, string>> = {};

export function notCoveredReason(id: string): string | undefined {
  return NOT_COVERED[id];
}
