import type {
  ClearChargingProfileRequest,
  ClearChargingProfileResponse,
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse,
  SetChargingProfileRequest,
  SetChargingProfileResponse,
} from '../../ocpp/types.js';
import type { CallContext } from '../../rpc/port.js';
import { compositeSchedule } from '../../smartcharging/composite.js';
import type { Charger } from '../charger.js';
import { refreshAll, scheduleContext } from '../flow.js';

/**
 * SetChargingProfile through the ProfileStore (TxProfile only with an active transaction).
 * The new limit takes effect right after the answer. Quirks: `reject-txprofile`, `reject-maxprofile`.
 */
export function setChargingProfile(ch: Charger, req: SetChargingProfileRequest, ctx: CallContext): SetChargingProfileResponse {
  const purpose = req.csChargingProfiles.chargingProfilePurpose;
  if ((purpose === 'TxProfile' && ch.has('reject-txprofile')) || (purpose === 'ChargePointMaxProfile' && ch.has('reject-maxprofile'))) {
    ch.log(`SetChargingProfile ${purpose}: Rejected (quirk)`);
    return { status: 'Rejected' };
  }
  if (purpose === 'TxDefaultProfile' && ch.has('txdefault-rejected')) return { status: 'Rejected' };
  const res = ch.profiles.set(req.connectorId, req.csChargingProfiles, (id) => ch.connectors[id]?.tx?.transactionId, ch.time.now());
  ch.log(`SetChargingProfile #${req.csChargingProfiles.chargingProfileId} ${purpose} on ${req.connectorId}: ${res.status}${res.status === 'Rejected' ? ` (${res.reason})` : ''}`);
  if (res.status === 'Rejected' && purpose === 'TxProfile' && ch.has('careless-requests')) return { status: 'Accepted' };
  if (res.status === 'Accepted') {
    ch.persist();
    ctx.afterReply(() => ch.guard(() => refreshAll(ch)));
  }
  return { status: res.status };
}

export function clearChargingProfile(ch: Charger, req: ClearChargingProfileRequest, ctx: CallContext): ClearChargingProfileResponse {
  const cleared = ch.profiles.clear(req);
  const status = cleared === 'Unknown' && ch.has('careless-requests') ? 'Accepted' : cleared;
  if (cleared === 'Accepted') {
    ch.persist();
    ctx.afterReply(() => ch.guard(() => refreshAll(ch)));
  }
  return { status };
}

/** GetCompositeSchedule: the composite from now over `duration`; unknown connector → Rejected. */
export function getCompositeSchedule(ch: Charger, req: GetCompositeScheduleRequest): GetCompositeScheduleResponse {
  const c = ch.connectors[req.connectorId];
  if (!c) return { status: 'Rejected' };
  const sc = scheduleContext(ch, c);
  const schedule = compositeSchedule(ch.profiles.list(), sc, req.duration, req.chargingRateUnit);
  return { status: 'Accepted', connectorId: req.connectorId, scheduleStart: ch.time.iso(sc.nowMs), chargingSchedule: schedule };
}
