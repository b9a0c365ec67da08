import type { Evidence } from '../../results/model.js';
import { missing, type Check } from '../check.js';
import { callsOf, excerpt, str, type Exchange } from '../exchanges.js';
import { offsetText, seconds, timeOfDay } from '../evidence-text.js';
import type { CertificationRecord } from '../record.js';
import { TOLERANCE } from '../tolerances.js';

/** Handshake failures that mean "the certificate's validity period, judged by the charger's clock". */
const VALIDITY_CODES = new Set([
  'TLS_CERT_NOT_YET_VALID',
  'TLS_CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
]);

interface OffsetSample {
  readonly offsetMs: number;
  readonly exchange: Exchange;
}

/**
 * Charger timestamp − true arrival time of StatusNotifications sent soon after a BootNotification
 * (they report the current state, never history); all StatusNotifications when there are none.
 */
function statusOffsets(record: CertificationRecord): OffsetSample[] {
  const boots = callsOf(record, 'BootNotification', 'charger');
  const all: OffsetSample[] = [];
  for (const ex of callsOf(record, 'StatusNotification', 'charger')) {
    const ts = Date.parse(str(ex.payload.timestamp) ?? '');
    if (Number.isFinite(ts)) all.push({ offsetMs: ts - ex.at, exchange: ex });
  }
  const bootEra = all.filter((s) => boots.some((b) => b.call.connectionId === s.exchange.call.connectionId && s.exchange.at >= b.at && s.exchange.at - b.at <= TOLERANCE.bootEraMs));
  return bootEra.length ? bootEra : all;
}

/**
 * Weaker evidence when no StatusNotification carries a timestamp (it is optional): the timestamps
 * of StartTransaction, StopTransaction and the newest entry of each MeterValues. The median keeps
 * a few queued (old) ones from deciding.
 */
function otherOffsets(record: CertificationRecord): OffsetSample[] {
  const out: OffsetSample[] = [];
  for (const action of ['StartTransaction', 'StopTransaction']) {
    for (const ex of callsOf(record, action, 'charger')) {
      const ts = Date.parse(str(ex.payload.timestamp) ?? '');
      if (Number.isFinite(ts)) out.push({ offsetMs: ts - ex.at, exchange: ex });
    }
  }
  for (const ex of callsOf(record, 'MeterValues', 'charger')) {
    const values = Array.isArray(ex.payload.meterValue) ? (ex.payload.meterValue as { timestamp?: unknown }[]) : [];
    const newest = Math.max(...values.map((v) => Date.parse(typeof v.timestamp === 'string' ? v.timestamp : '')).filter(Number.isFinite));
    if (Number.isFinite(newest)) out.push({ offsetMs: newest - ex.at, exchange: ex });
  }
  return out.sort((a, b) => a.exchange.index - b.exchange.index);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const checkTime1: Check = (record) => {
  const failures = record.tlsFailures.filter((f) => VALIDITY_CODES.has(f.code));
  const evidence: Evidence[] = failures.map((f) => ({
    kind: 'clock',
    text: `TLS handshake at ${timeOfDay(f.at)} failed on the certificate's validity period (${f.code}): the charger's clock is wrong`,
    data: { code: f.code, seenBy: f.seenBy, at: f.at },
  }));
  let samples = statusOffsets(record);
  let source = 'StatusNotification timestamps';
  if (!samples.length && callsOf(record, 'StatusNotification', 'charger').length) {
    samples = otherOffsets(record);
    if (samples.length) {
      source = `timestamps of ${[...new Set(samples.map((s) => s.exchange.action))].join(' / ')}`;
      evidence.push({ kind: 'note', text: `weaker evidence: the charger sent no timestamp in any StatusNotification (boot-era clock unknown); judged on its ${source}` });
    }
  }
  if (samples.length) {
    const med = median(samples.map((s) => s.offsetMs));
    const worst = samples.reduce((a, b) => (Math.abs(b.offsetMs) > Math.abs(a.offsetMs) ? b : a));
    const text = Math.abs(med) <= TOLERANCE.clockOffsetMs
      ? `${source} ${offsetText(med)} (median of n=${samples.length}, largest ${seconds(worst.offsetMs)}; tolerance ${seconds(TOLERANCE.clockOffsetMs)})`
      : `${source} ${offsetText(med)} (median of n=${samples.length}; tolerance ${seconds(TOLERANCE.clockOffsetMs)})`;
    evidence.push({ kind: 'clock', text, frames: excerpt(worst.exchange), data: { medianOffsetMs: med, maxOffsetMs: worst.offsetMs, n: samples.length } });
    if (Math.abs(med) > TOLERANCE.clockOffsetMs || failures.length) return { verdict: 'fail', evidence };
    return { verdict: 'pass', evidence };
  }
  if (failures.length) return { verdict: 'fail', evidence };
  return missing(record, 'PLT-TIME-1', 'no timestamped StatusNotification recorded');
};
