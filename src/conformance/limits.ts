import { exchanges, num, str, type Exchange } from './exchanges.js';
import type { CertificationRecord } from './record.js';
import { TOLERANCE } from './tolerances.js';

interface Installed {
  readonly id?: number;
  readonly connectorId: number;
  readonly purpose: string;
  readonly stackLevel: number;
  readonly limitW: number;
}

/** A change of the limit in force on one connector, caused by an accepted CALL. */
export interface LimitChange {
  readonly connectorId: number;
  /** True time the charger accepted it. */
  readonly at: number;
  /** Limit in force from then on, in W; undefined = no limit. */
  readonly limitW: number | undefined;
  /** The CALL that changed it (SetChargingProfile, ClearChargingProfile) or the StopTransaction. */
  readonly cause: Exchange;
}

/** A profile's limit at its start (the period with startPeriod 0), in W. A = per phase × 230 V × phases. */
export function profileLimitW(profile: Readonly<Record<string, unknown>>): number | undefined {
  const schedule = profile.chargingSchedule as Readonly<Record<string, unknown>> | undefined;
  const periods = Array.isArray(schedule?.chargingSchedulePeriod) ? (schedule.chargingSchedulePeriod as Readonly<Record<string, unknown>>[]) : [];
  const first = periods.find((p) => num(p.startPeriod) === 0);
  const limit = num(first?.limit);
  if (first === undefined || limit === undefined) return undefined;
  if (str(schedule?.chargingRateUnit) === 'A') return limit * TOLERANCE.nominalVoltage * (num(first.numberPhases) ?? 3);
  return limit;
}

function top(list: readonly Installed[]): Installed | undefined {
  return list.reduce<Installed | undefined>((a, b) => (!a || b.stackLevel >= a.stackLevel ? b : a), undefined);
}

/** Composite limit on a connector: min(ChargePointMax, TxProfile ?? TxDefaultProfile), highest stackLevel per purpose. */
function effective(installed: readonly Installed[], connectorId: number): number | undefined {
  const tx = top(installed.filter((p) => p.purpose === 'TxProfile' && p.connectorId === connectorId));
  const def = top(installed.filter((p) => p.purpose === 'TxDefaultProfile' && p.connectorId === connectorId)) ?? top(installed.filter((p) => p.purpose === 'TxDefaultProfile' && p.connectorId === 0));
  const max = top(installed.filter((p) => p.purpose === 'ChargePointMaxProfile'));
  const parts = [(tx ?? def)?.limitW, max?.limitW].filter((v): v is number => v !== undefined);
  return parts.length ? Math.min(...parts) : undefined;
}

function clearMatches(p: Installed, req: Readonly<Record<string, unknown>>): boolean {
  const id = num(req.id);
  if (id !== undefined) return p.id === id;
  const c = num(req.connectorId);
  const purpose = str(req.chargingProfilePurpose);
  const level = num(req.stackLevel);
  return (c === undefined || p.connectorId === c) && (purpose === undefined || p.purpose === purpose) && (level === undefined || p.stackLevel === level);
}

/**
 * A cause is stamped half a millisecond before the instant it happened at: on virtual time the
 * charger's reaction (a StatusNotification, a zero-power sample) lands in that same millisecond,
 * and must still count as coming after its cause.
 */
export function beforeEffects(at: number): number {
  return at - 0.5;
}

/** Every change of the limit in force on each connector that has seen a transaction, in time order. */
export function limitChanges(record: CertificationRecord): LimitChange[] {
  const connectors = new Set<number>();
  let installed: Installed[] = [];
  const last = new Map<number, number | undefined>();
  const out: LimitChange[] = [];
  const emit = (cause: Exchange, at: number) => {
    for (const c of connectors) {
      const now = effective(installed, c);
      if (now !== last.get(c)) out.push({ connectorId: c, at, limitW: now, cause });
      last.set(c, now);
    }
  };
  for (const ex of exchanges(record)) {
    const p = ex.payload;
    if (ex.from === 'charger' && ex.action === 'StartTransaction') {
      const c = num(p.connectorId) ?? 1;
      if (!connectors.has(c)) last.set(c, effective(installed, c));
      connectors.add(c);
    } else if (ex.from === 'charger' && ex.action === 'StopTransaction') {
      const tx = exchanges(record).find((s) => s.action === 'StartTransaction' && s.result?.transactionId === p.transactionId);
      const c = num(tx?.payload.connectorId);
      if (c === undefined) continue;
      installed = installed.filter((i) => !(i.purpose === 'TxProfile' && i.connectorId === c));
      emit(ex, ex.at);
    } else if (ex.from === 'csms' && ex.result?.status === 'Accepted' && ex.answer) {
      if (ex.action === 'SetChargingProfile') {
        const profile = (p.csChargingProfiles ?? {}) as Readonly<Record<string, unknown>>;
        const limitW = profileLimitW(profile);
        if (limitW === undefined) continue;
        const entry: Installed = { id: num(profile.chargingProfileId), connectorId: num(p.connectorId) ?? 0, purpose: str(profile.chargingProfilePurpose) ?? '', stackLevel: num(profile.stackLevel) ?? 0, limitW };
        installed = installed.filter((i) => i.id !== entry.id && !(i.purpose === entry.purpose && i.stackLevel === entry.stackLevel && i.connectorId === entry.connectorId));
        installed.push(entry);
        emit(ex, beforeEffects(ex.at));
      } else if (ex.action === 'ClearChargingProfile') {
        installed = installed.filter((i) => !clearMatches(i, p));
        emit(ex, beforeEffects(ex.at));
      }
    }
  }
  return out;
}

/** A period with limit 0 on a connector, and the change that raised it again (if any). */
export interface OffEpisode {
  readonly connectorId: number;
  readonly off: LimitChange;
  readonly on?: LimitChange;
  /** When the window after `on` ends (the next change), for judging power under the raised limit. */
  readonly onUntil?: number;
}

export function offEpisodes(record: CertificationRecord): OffEpisode[] {
  const changes = limitChanges(record);
  const out: OffEpisode[] = [];
  for (let i = 0; i < changes.length; i++) {
    const off = changes[i];
    if (off.limitW !== 0 || off.cause.action === 'StopTransaction') continue;
    const rest = changes.slice(i + 1).filter((c) => c.connectorId === off.connectorId);
    const on = rest[0] && rest[0].cause.action !== 'StopTransaction' && (rest[0].limitW === undefined || rest[0].limitW > 0) ? rest[0] : undefined;
    out.push({ connectorId: off.connectorId, off, ...(on ? { on, onUntil: rest[1]?.at } : {}) });
  }
  return out;
}
