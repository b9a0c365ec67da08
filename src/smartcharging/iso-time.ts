/** ISO 8601 date-time text → ms since epoch; `undefined` when absent, `NaN` when unparsable. */
export function isoToMs(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Date.parse(text);
}
