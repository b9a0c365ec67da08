import type {
  ChangeAvailabilityRequest,
  ChangeAvailabilityResponse,
  ClearCacheResponse,
  DataTransferResponse,
  ResetRequest,
  ResetResponse,
} from '../../ocpp/types.js';
import type { CallContext } from '../../rpc/port.js';
import type { Charger } from '../charger.js';
import type { Connector } from '../connector.js';
import { refreshAll } from '../flow.js';
import type { RebootReason } from '../runtime.js';

/** In a transaction, or Preparing (Preparing -> Unavailable is not in the transition table). */
export function inUse(c: Connector): boolean {
  return c.tx !== undefined || c.status === 'Preparing';
}

/**
 * ChangeAvailability (digest §11): connector 0 = the whole charger. A connector in a transaction
 * or Preparing (for 0: any) answers Scheduled and changes when it ends; the setting survives reboots.
 */
export function changeAvailability(ch: Charger, req: ChangeAvailabilityRequest, ctx: CallContext): ChangeAvailabilityResponse {
  if (req.connectorId > ch.setup.connectors) return { status: 'Rejected' };
  const targets = req.connectorId === 0 ? ch.connectors : [ch.connectors[req.connectorId]];
  let scheduled = false;
  for (const c of targets) {
    const busy = c.id === 0 ? ch.outlets.some(inUse) : inUse(c);
    if (busy && req.type === 'Inoperative' && c.availability === 'Operative') {
      c.scheduledAvailability = 'Inoperative';
      scheduled = true;
    } else {
      c.availability = req.type;
      c.scheduledAvailability = undefined;
    }
  }
  ctx.afterReply(() => ch.guard(() => refreshAll(ch)));
  ch.persist();
  return { status: scheduled ? 'Scheduled' : 'Accepted' };
}

export function clearCache(ch: Charger): ClearCacheResponse {
  if (ch.has('careless-requests')) return { status: 'Accepted' };
  ch.auth.clearCache();
  ch.persist();
  return { status: 'Accepted' };
}

/** No vendor extensions: every DataTransfer is UnknownVendorId. */
export function dataTransfer(ch: Charger): DataTransferResponse {
  return { status: ch.has('careless-requests') ? 'Accepted' : 'UnknownVendorId' };
}

/** Reset: transactions stopped (SoftReset / HardReset), then a reboot. */
export function reset(ch: Charger, req: ResetRequest, ctx: CallContext, reboot: (reason: RebootReason) => void): ResetResponse {
  if (ch.has('reset-ignored')) return { status: 'Accepted' };
  ctx.afterReply(() => reboot(req.type === 'Hard' ? 'HardReset' : 'SoftReset'));
  return { status: 'Accepted' };
}
