import type { ChargingProfile, ResponseOf } from '../ocpp/types.js';
import type { CsmsSession } from './session.js';

/** The two configuration changes the platform sends after every accepted boot (requirements PLT-CFG-1/2). */
export const PLATFORM_CONFIGURATION: readonly { key: string; value: string }[] = [
  { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,Power.Active.Import' },
  { key: 'MeterValueSampleInterval', value: '60' },
];

export interface PlatformBehaviour {
  /** Send PLATFORM_CONFIGURATION after each Accepted boot (default true). */
  configureOnBoot: boolean;
  /** Also trigger after a first boot, curtail, release and cap during sessions (csms/platform-acts.ts; default false). */
  sessionActs?: boolean;
  /**
   * Curtail every transaction to this many W: a TxProfile a second after StartTransaction, then
   * TriggerMessage(MeterValues) so the effect shows at once (a load-test platform; default off).
   */
  curtailW?: number;
}

export const DEFAULT_PLATFORM: PlatformBehaviour = { configureOnBoot: true };

/** Sends the platform's configuration pair; resolves with each key's answer (or the error code). */
export async function configureCharger(session: CsmsSession): Promise<{ key: string; status: string }[]> {
  const results: { key: string; status: string }[] = [];
  for (const { key, value } of PLATFORM_CONFIGURATION) {
    try {
      const res = await session.call('ChangeConfiguration', { key, value });
      results.push({ key, status: res.status });
    } catch (err) {
      results.push({ key, status: (err as { code?: string }).code ?? 'error' });
    }
  }
  return results;
}

/** The `curtailW` behaviour for one started transaction; failures are the charger's problem, not the CSMS's. */
export async function curtailTransaction(session: CsmsSession, connectorId: number, transactionId: number, watts: number): Promise<void> {
  try {
    const res = await setTransactionLimit(session, connectorId, watts, 'W', transactionId);
    if (res.status === 'Accepted') await triggerMessage(session, 'MeterValues', connectorId);
  } catch {
    // a closed or silent charger: nothing to curtail
  }
}

export function triggerMessage(session: CsmsSession, requestedMessage: 'BootNotification' | 'StatusNotification' | 'MeterValues' | 'Heartbeat', connectorId?: number): Promise<ResponseOf<'TriggerMessage'>> {
  return session.call('TriggerMessage', connectorId === undefined ? { requestedMessage } : { requestedMessage, connectorId });
}

/** The transaction the CSMS believes is running on a connector of this charger (last started, not stopped). */
export function activeTransactionId(session: CsmsSession, connectorId: number): number | undefined {
  const running = session.transactions().filter((t) => t.connectorId === connectorId && t.stopTimestamp === undefined);
  return running.length ? running[running.length - 1].id : undefined;
}

let profileIds = 1000;

/** Switches charging on a connector to `limit` (0 = off) with a TxProfile for its running transaction (PLT-SC-1/3). */
export function setTransactionLimit(session: CsmsSession, connectorId: number, limit: number, unit: 'A' | 'W' = 'W', transactionId = activeTransactionId(session, connectorId)): Promise<ResponseOf<'SetChargingProfile'>> {
  const profile: ChargingProfile = {
    chargingProfileId: ++profileIds,
    stackLevel: 1,
    chargingProfilePurpose: 'TxProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: { chargingRateUnit: unit, chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
  };
  if (transactionId !== undefined) profile.transactionId = transactionId;
  return session.call('SetChargingProfile', { connectorId, csChargingProfiles: profile });
}

/** Caps the whole charger with a ChargePointMaxProfile on connector 0 (PLT-SC-2). */
export function setChargePointMax(session: CsmsSession, limit: number, unit: 'A' | 'W' = 'W', startSchedule?: string): Promise<ResponseOf<'SetChargingProfile'>> {
  return session.call('SetChargingProfile', {
    connectorId: 0,
    csChargingProfiles: {
      chargingProfileId: ++profileIds,
      stackLevel: 0,
      chargingProfilePurpose: 'ChargePointMaxProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: {
        chargingRateUnit: unit,
        startSchedule: startSchedule ?? '2000-01-01T00:00:00Z',
        chargingSchedulePeriod: [{ startPeriod: 0, limit }],
      },
    },
  });
}
