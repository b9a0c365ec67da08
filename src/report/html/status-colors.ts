/**
 * Colours of OCPP 1.6 ChargePointStatus values in the charts, chosen so "charging" reads green,
 * "suspended" amber, "faulted" red. A status the charger invents still gets a stable colour.
 */
const KNOWN: Readonly<Record<string, string>> = {
  Available: '#8c959f',
  Preparing: '#54aeff',
  Charging: '#2da44e',
  SuspendedEV: '#d4a72c',
  SuspendedEVSE: '#fb8f44',
  Finishing: '#8250df',
  Reserved: '#bf8700',
  Unavailable: '#57606a',
  Faulted: '#cf222e',
};

const SPARE = ['#1b7c83', '#a475f9', '#e16f24', '#6e7781', '#0969da', '#bc4c00'];

export function statusColor(status: string): string {
  if (Object.hasOwn(KNOWN, status)) return KNOWN[status];
  let hash = 0;
  for (const ch of status) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return SPARE[hash % SPARE.length];
}
