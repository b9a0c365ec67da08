/** How checks write numbers and times in evidence lines: the same everywhere, so tests can pin them. */

/** True time of day, UTC: `08:12:00` (`08:12:00.4` when the tenths matter). */
export function timeOfDay(ms: number): string {
  const iso = new Date(ms).toISOString();
  const tenths = Math.floor((((ms % 1000) + 1000) % 1000) / 100);
  return tenths ? `${iso.slice(11, 19)}.${tenths}` : iso.slice(11, 19);
}

/** A duration in seconds, one decimal: `60.0 s`; from 2 minutes on `6 h 0 min` / `3 min 5 s`. */
export function seconds(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 120_000) return `${(abs / 1000).toFixed(1)} s`;
  const totalS = Math.round(abs / 1000);
  if (totalS < 3600) return `${Math.floor(totalS / 60)} min ${totalS % 60} s`;
  const totalMin = Math.round(totalS / 60);
  return `${Math.floor(totalMin / 60)} h ${totalMin % 60} min`;
}

/** A whole number with a space every three digits: `1 820`. */
export function grouped(n: number): string {
  const rounded = Math.round(n);
  const sign = rounded < 0 ? '−' : '';
  return sign + String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

export function wh(n: number): string {
  return `${grouped(n)} Wh`;
}

export function watts(n: number): string {
  return `${grouped(n)} W`;
}

/** A clock offset in words: `0.2 s ahead of true time`, `6 h 0 min behind true time`. */
export function offsetText(ms: number): string {
  if (Math.abs(ms) < 50) return 'matches true time';
  return `${seconds(ms)} ${ms > 0 ? 'ahead of' : 'behind'} true time`;
}

/** A relative difference as a percentage with one decimal: `0.1 %`. */
export function percent(part: number, whole: number): string {
  if (whole === 0) return part === 0 ? '0.0 %' : '∞ %';
  return `${((Math.abs(part) / Math.abs(whole)) * 100).toFixed(1)} %`;
}
