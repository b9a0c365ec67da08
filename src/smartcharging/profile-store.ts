import type { ChargingProfile, RequestOf } from '../ocpp/types.js';
import { profileProblem, type StoreLimits } from './profile-checks.js';

export type { StoreLimits } from './profile-checks.js';

/** One installed charging profile: where it was set and when (charger clock, ms since epoch). */
export interface InstalledProfile {
  readonly connectorId: number;
  readonly profile: ChargingProfile;
  /** When the charger accepted it; a profile without validFrom is valid from this instant. */
  readonly installedAt: number;
}

export type SetResult = { status: 'Accepted' } | { status: 'Rejected'; reason: string };

export type ClearCriteria = RequestOf<'ClearChargingProfile'>;

/** True when `candidate` replaces `installed` (digest §6 "Replacement and limits"). */
function replaces(installed: InstalledProfile, connectorId: number, candidate: ChargingProfile): boolean {
  const p = installed.profile;
  if (p.chargingProfileId === candidate.chargingProfileId) return true;
  if (p.stackLevel !== candidate.stackLevel || p.chargingProfilePurpose !== candidate.chargingProfilePurpose) return false;
  // ChargePointMaxProfile lives on connector 0 only; Tx* profiles on different connectors stack side by side.
  return candidate.chargingProfilePurpose === 'ChargePointMaxProfile' || installed.connectorId === connectorId;
}

function matches(entry: InstalledProfile, criteria: ClearCriteria): boolean {
  const p = entry.profile;
  return (
    (criteria.connectorId === undefined || entry.connectorId === criteria.connectorId) &&
    (criteria.chargingProfilePurpose === undefined || p.chargingProfilePurpose === criteria.chargingProfilePurpose) &&
    (criteria.stackLevel === undefined || p.stackLevel === criteria.stackLevel)
  );
}

/**
 * The charger's installed charging profiles and the OCPP rules for SetChargingProfile and
 * ClearChargingProfile. Plain data: persist `toJSON()` and pass it back to the constructor.
 */
export class ProfileStore {
  #limits: StoreLimits;
  #entries: InstalledProfile[];

  constructor(limits: StoreLimits, initial: readonly InstalledProfile[] = []) {
    this.#limits = { ...limits };
    this.#entries = initial.map((e) => ({ ...e }));
  }

  /** New capability limits apply to later `set` calls; profiles already installed stay. */
  setLimits(limits: StoreLimits): void {
    this.#limits = { ...limits };
  }

  /**
   * SetChargingProfile. ChargePointMaxProfile only on connector 0; TxDefaultProfile on 0 or one
   * connector; TxProfile only on a connector > 0 with an active transaction (the profile's
   * transactionId, when present, must match it; when absent the active one is stamped in). A
   * profile with the same chargingProfileId, or the same (stackLevel, purpose) [and connector for
   * Tx*], replaces the installed one. Stack level, period count, unit and installed-count limits
   * give Rejected with a reason.
   */
  set(
    connectorId: number,
    profile: ChargingProfile,
    activeTransactionId: (connectorId: number) => number | undefined,
    nowMs: number,
  ): SetResult {
    const problem = profileProblem(connectorId, profile, this.#limits);
    if (problem !== undefined) return { status: 'Rejected', reason: problem };
    let stored = profile;
    if (profile.chargingProfilePurpose === 'TxProfile') {
      const active = activeTransactionId(connectorId);
      if (active === undefined) return { status: 'Rejected', reason: `no active transaction on connector ${connectorId}` };
      if (profile.transactionId !== undefined && profile.transactionId !== active) {
        return { status: 'Rejected', reason: `transactionId ${profile.transactionId} is not the active transaction ${active} on connector ${connectorId}` };
      }
      stored = { ...profile, transactionId: active };
    }
    const kept = this.#entries.filter((e) => !replaces(e, connectorId, profile));
    if (kept.length + 1 > this.#limits.maxInstalled) {
      return { status: 'Rejected', reason: `MaxChargingProfilesInstalled ${this.#limits.maxInstalled} reached` };
    }
    kept.push({ connectorId, profile: structuredClone(stored), installedAt: nowMs });
    this.#entries = kept;
    return { status: 'Accepted' };
  }

  /**
   * ClearChargingProfile. With `id`, only that profile is cleared and the other fields are
   * ignored; otherwise every profile matching all given fields (no fields = everything).
   * `Unknown` when nothing matched.
   */
  clear(criteria: ClearCriteria): 'Accepted' | 'Unknown' {
    const hit =
      criteria.id !== undefined
        ? (e: InstalledProfile) => e.profile.chargingProfileId === criteria.id
        : (e: InstalledProfile) => matches(e, criteria);
    const kept = this.#entries.filter((e) => !hit(e));
    if (kept.length === this.#entries.length) return 'Unknown';
    this.#entries = kept;
    return 'Accepted';
  }

  /** Removes the TxProfiles of a connector; call when its transaction ends. */
  removeTxProfiles(connectorId: number): void {
    this.#entries = this.#entries.filter((e) => !(e.connectorId === connectorId && e.profile.chargingProfilePurpose === 'TxProfile'));
  }

  /** Installed profiles in installation order. */
  list(): readonly InstalledProfile[] {
    return this.#entries;
  }

  /** A copy for persistence; `new ProfileStore(limits, store.toJSON())` restores it. */
  toJSON(): InstalledProfile[] {
    return structuredClone(this.#entries);
  }
}
