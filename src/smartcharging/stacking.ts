import type { InstalledProfile } from './profile-store.js';
import { periodAt, type ActivePeriod } from './schedule.js';

/** Highest stackLevel first; on a tie the later installed first. */
function byPrecedence(a: InstalledProfile, b: InstalledProfile): number {
  return b.profile.stackLevel - a.profile.stackLevel || b.installedAt - a.installedAt;
}

function pick(profiles: readonly InstalledProfile[], keep: (e: InstalledProfile) => boolean): InstalledProfile[] {
  return profiles.filter(keep).sort(byPrecedence);
}

/** ChargePointMaxProfiles (connector 0), in order of precedence. */
export function chargePointMaxCandidates(profiles: readonly InstalledProfile[]): InstalledProfile[] {
  return pick(profiles, (e) => e.connectorId === 0 && e.profile.chargingProfilePurpose === 'ChargePointMaxProfile');
}

/**
 * The Tx(Default) profiles for one connector, in order of precedence: the TxProfiles of its
 * running transaction, then the connector's own TxDefaultProfiles, then the connector-0
 * TxDefaultProfiles. Connector 0 itself has none (its limit is the ChargePointMaxProfile).
 */
export function txCandidates(
  profiles: readonly InstalledProfile[],
  connectorId: number,
  transactionId: number | undefined,
): InstalledProfile[] {
  if (connectorId === 0) return [];
  const txProfiles =
    transactionId === undefined
      ? []
      : pick(
          profiles,
          (e) =>
            e.connectorId === connectorId &&
            e.profile.chargingProfilePurpose === 'TxProfile' &&
            (e.profile.transactionId === undefined || e.profile.transactionId === transactionId),
        );
  const isDefaultOn = (c: number) => (e: InstalledProfile) => e.connectorId === c && e.profile.chargingProfilePurpose === 'TxDefaultProfile';
  return [...txProfiles, ...pick(profiles, isDefaultOn(connectorId)), ...pick(profiles, isDefaultOn(0))];
}

/** The first candidate whose schedule covers t (a higher one that does not cover t lets the next through). */
export function prevailingAt(
  candidates: readonly InstalledProfile[],
  t: number,
  txStartMs: number | undefined,
): { entry: InstalledProfile; period: ActivePeriod } | undefined {
  for (const entry of candidates) {
    const period = periodAt(entry, t, txStartMs);
    if (period !== undefined) return { entry, period };
  }
  return undefined;
}
