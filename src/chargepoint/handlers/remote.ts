import type {
  RemoteStartTransactionRequest,
  RemoteStartTransactionResponse,
  RemoteStopTransactionRequest,
  RemoteStopTransactionResponse,
  UnlockConnectorRequest,
  UnlockConnectorResponse,
} from '../../ocpp/types.js';
import type { CallContext } from '../../rpc/port.js';
import { authorize, sameUser } from '../authorize.js';
import type { Charger } from '../charger.js';
import type { Connector, PendingAuthorization } from '../connector.js';
import { begin, stopTransaction } from '../transactions.js';

function pickConnector(ch: Charger, connectorId: number | undefined): Connector | undefined {
  if (connectorId !== undefined) return connectorId > 0 ? ch.connectors[connectorId] : undefined;
  const free = ch.outlets.filter((c) => !c.tx && !c.pending);
  return free.find((c) => c.evConnected) ?? free.find((c) => c.status === 'Available');
}

/**
 * RemoteStartTransaction (digest §11): Accepted means "I will try". With
 * AuthorizeRemoteTxRequests the idTag is authorized first; a chargingProfile must be a TxProfile
 * and is installed when StartTransaction.conf brings the transaction id.
 */
export function remoteStartTransaction(ch: Charger, req: RemoteStartTransactionRequest, ctx: CallContext): RemoteStartTransactionResponse {
  const c = pickConnector(ch, req.connectorId);
  const refuse = (why: string): RemoteStartTransactionResponse => {
    // quirk careless-requests: "Accepted", and nothing happens
    if (ch.has('careless-requests')) return { status: 'Accepted' };
    ch.log(`RemoteStartTransaction ${req.idTag}: Rejected (${why})`);
    return { status: 'Rejected' };
  };
  if (!c) return refuse('no such or no free connector');
  if (c.tx || c.pending) return refuse(`connector ${c.id} is busy`);
  if (c.status === 'Faulted' || c.status === 'Unavailable') return refuse(`connector ${c.id} is ${c.status}`);
  // A reservation for a group (parentIdTag) can only be matched once the tag is authorized.
  const groupCheck = c.reservation !== undefined && !sameUser(c.reservation, { idTag: req.idTag });
  if (groupCheck && (c.reservation?.parentIdTag === undefined || !ch.config.bool('AuthorizeRemoteTxRequests') || ch.has('parent-ignored'))) return refuse(`connector ${c.id} is reserved`);
  if (req.chargingProfile && req.chargingProfile.chargingProfilePurpose !== 'TxProfile') return refuse('chargingProfile is not a TxProfile');
  const who: PendingAuthorization = { idTag: req.idTag };
  if (req.chargingProfile) who.profile = req.chargingProfile;
  if (c.reservation) who.reservationId = c.reservation.reservationId;
  if (ch.has('remote-ignored')) return { status: 'Accepted' };
  ctx.afterReply(() => {
    if (!ch.config.bool('AuthorizeRemoteTxRequests')) return ch.guard(() => begin(ch, c, who));
    void authorize(ch, req.idTag).then((info) => {
      if (info.status !== 'Accepted' && !ch.has('auth-lax')) return ch.log(`RemoteStart ${req.idTag} not authorized (${info.status})`);
      if (info.parentIdTag) who.parentIdTag = info.parentIdTag;
      if (groupCheck && (!c.reservation || !sameUser(c.reservation, who))) return ch.log(`RemoteStart ${req.idTag}: connector ${c.id} is reserved for another group`);
      if (!c.tx && !c.pending) ch.guard(() => begin(ch, c, who));
    });
  });
  return { status: 'Accepted' };
}

export function remoteStopTransaction(ch: Charger, req: RemoteStopTransactionRequest, ctx: CallContext): RemoteStopTransactionResponse {
  const c = ch.outlets.find((o) => o.tx && o.tx.transactionId === req.transactionId);
  if (!c) return { status: ch.has('careless-requests') ? 'Accepted' : 'Rejected' };
  if (ch.has('remote-ignored')) return { status: 'Accepted' };
  ctx.afterReply(() => ch.guard(() => stopTransaction(ch, c, 'Remote')));
  return { status: 'Accepted' };
}

/** UnlockConnector: a running transaction is stopped first (UnlockCommand); unknown connector → NotSupported. */
export function unlockConnector(ch: Charger, req: UnlockConnectorRequest): UnlockConnectorResponse {
  const c = req.connectorId > 0 ? ch.connectors[req.connectorId] : undefined;
  if (!c) return { status: ch.has('careless-requests') ? 'Unlocked' : 'NotSupported' };
  if (ch.has('unlock-fails')) return { status: 'UnlockFailed' };
  if (c.tx) stopTransaction(ch, c, 'UnlockCommand');
  return { status: 'Unlocked' };
}
