/** How reporters write durations, clock offsets and dates; the same everywhere, so snapshots agree. */

/** A wall or clock duration for people: `850 ms`, `1.2 s`, `2 min 03 s`, `1 h 02 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const totalS = Math.round(ms / 1000);
  if (totalS < 3600) {
    return `${Math.floor(totalS / 60)} min ${String(totalS % 60).padStart(2, '0')} s`;
  }
  const totalMin = Math.round(totalS / 60);
  return `${Math.floor(totalMin / 60)} h ${String(totalMin % 60).padStart(2, '0')} min`;
}

/** A clock time relative to the scenario's start: `+00:42`, `+12:05`, `+1:02:03`. */
export function formatClockOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const totalS = Math.floor(Math.abs(ms) / 1000);
  const s = String(totalS % 60).padStart(2, '0');
  const m = Math.floor(totalS / 60) % 60;
  const h = Math.floor(totalS / 3600);
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, '0')}:${s}` : `${sign}${String(m).padStart(2, '0')}:${s}`;
}

/** A wall time as `2024-06-01 12:00:00 UTC`: UTC, so a report reads the same in every time zone. */
export function formatWallDate(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** Seconds with millisecond precision for JUnit `time` attributes: `1.234`. */
export function formatSeconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}
