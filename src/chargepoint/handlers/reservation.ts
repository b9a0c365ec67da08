import type { CancelReservationRequest, CancelReservationResponse, ReserveNowRequest, ReserveNowResponse } from '../../ocpp/types.js';
import type { CallContext } from '../../rpc/port.js';
import type { Charger } from '../charger.js';
import type { Connector } from '../connector.js';
import { refresh } from '../flow.js';

/**
 * ReserveNow (digest §11): Reserved until the idTag (or its parent) starts a transaction, the
 * expiryDate passes, or it is cancelled. The same reservationId replaces the old reservation.
 */
export function reserveNow(ch: Charger, req: ReserveNowRequest, ctx: CallContext): ReserveNowResponse {
  if (ch.has('no-reservations')) return { status: 'Rejected' };
  if (req.connectorId === 0 && !ch.config.bool('ReserveConnectorZeroSupported')) return { status: ch.has('careless-requests') ? 'Accepted' : 'Rejected' };
  const c = ch.connectors[req.connectorId];
  if (!c || c.id === 0) return { status: 'Rejected' };
  if (c.status === 'Faulted') return { status: 'Faulted' };
  if (c.status === 'Unavailable') return { status: 'Unavailable' };
  const existing = ch.outlets.find((o) => o.reservation?.reservationId === req.reservationId);
  if (c.tx || c.pending || c.ev || c.finishing || (c.reservation && c.reservation.reservationId !== req.reservationId)) return { status: 'Occupied' };
  if (existing && existing !== c) cancel(ch, existing);
  c.reservation?.timer?.cancel();
  const expiryMs = Date.parse(req.expiryDate);
  const reservation: NonNullable<Connector['reservation']> = { reservationId: req.reservationId, idTag: req.idTag, expiryMs };
  if (req.parentIdTag) reservation.parentIdTag = req.parentIdTag;
  reservation.timer = ch.after(Math.max(0, expiryMs - ch.time.now()), () => {
    if (c.reservation !== reservation) return;
    ch.log(`reservation ${req.reservationId} on connector ${c.id} expired`);
    cancel(ch, c);
  });
  c.reservation = reservation;
  ctx.afterReply(() => ch.guard(() => refresh(ch, c)));
  return { status: 'Accepted' };
}

export function cancelReservation(ch: Charger, req: CancelReservationRequest, ctx: CallContext): CancelReservationResponse {
  const c = ch.outlets.find((o) => o.reservation?.reservationId === req.reservationId);
  if (!c) return { status: ch.has('careless-requests') ? 'Accepted' : 'Rejected' };
  ctx.afterReply(() => ch.guard(() => cancel(ch, c)));
  return { status: 'Accepted' };
}

function cancel(ch: Charger, c: Connector): void {
  c.reservation?.timer?.cancel();
  c.reservation = undefined;
  refresh(ch, c);
}
