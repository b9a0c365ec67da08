import type { ChargingProfile, StartTransactionResponse, StopReason, StopTransactionRequest } from '../ocpp/types.js';
import { authorize, sameUser } from './authorize.js';
import type { Charger } from './charger.js';
import type { Connector, PendingAuthorization } from './connector.js';
import { refresh, refreshAll } from './flow.js';
import { meterValue } from './sampler.js';

/** The register as reported in Start/StopTransaction: whole Wh (per transaction under `energy-backwards`). */
function reportedRegister(ch: Charger, c: Connector, base: number): number {
  return Math.floor(ch.has('energy-backwards') ? c.registerWh - base : c.registerWh);
}

/** Starts a transaction for an authorized idTag on a connector with the EV plugged in. */
export function startTransaction(ch: Charger, c: Connector, who: PendingAuthorization): void {
  ch.integrate(c);
  c.preparingTimer?.cancel();
  c.preparingTimer = undefined;
  const localTxId = ch.nextLocalTxId++;
  const startMs = ch.time.now();
  const tx = {
    connectorId: c.id,
    localTxId,
    idTag: who.idTag,
    meterStart: ch.has('energy-backwards') ? 0 : Math.floor(c.registerWh),
    startMs,
    startMono: ch.time.mono(),
    registerAtStart: c.registerWh,
    ...(who.parentIdTag !== undefined ? { parentIdTag: who.parentIdTag } : {}),
    ...(who.reservationId !== undefined ? { reservationId: who.reservationId } : {}),
  };
  c.tx = tx;
  c.pending = undefined;
  c.finishing = false;
  if (c.reservation) {
    c.reservation.timer?.cancel();
    c.reservation = undefined;
  }
  if (who.profile) {
    // in force from the first watt: installed under a provisional id until StartTransaction.conf
    c.tx.remoteProfile = who.profile;
    installRemoteProfile(ch, c, who.profile, PROVISIONAL_TX_ID);
  }
  c.tx.beginValues = meterValue(ch, c, 'StopTxnSampledData', 'Transaction.Begin', startMs);
  const payload = { connectorId: c.id, idTag: who.idTag, meterStart: tx.meterStart, timestamp: ch.time.iso(startMs) };
  ch.queue.enqueue('StartTransaction', who.reservationId !== undefined ? { ...payload, reservationId: who.reservationId } : payload, localTxId);
  ch.log(`connector ${c.id}: transaction #${localTxId} started for ${who.idTag} at ${tx.meterStart} Wh`);
  refreshAll(ch);
  ch.events.emit('transactionStarted', { connectorId: c.id, localTxId, idTag: who.idTag, meterStart: tx.meterStart });
}

/** StartTransaction.conf arrived (or was given up: transactionId -1, no conf). */
export function startDone(ch: Charger, localTxId: number, transactionId: number, conf: StartTransactionResponse | undefined): void {
  const c = ch.outlets.find((o) => o.tx?.localTxId === localTxId);
  if (!c?.tx) return;
  const profile = c.tx.remoteProfile;
  c.tx.remoteProfile = undefined;
  c.tx.transactionId = transactionId;
  if (conf) ch.auth.remember(c.tx.idTag, conf.idTagInfo);
  if (profile && transactionId !== PROVISIONAL_TX_ID) installRemoteProfile(ch, c, profile, transactionId);
  ch.events.emit('transactionConfirmed', { connectorId: c.id, localTxId, transactionId, idTag: c.tx.idTag, meterStart: c.tx.meterStart });
  if (conf && conf.idTagInfo.status !== 'Accepted') {
    if (ch.config.bool('StopTransactionOnInvalidId')) {
      stopTransaction(ch, c, 'DeAuthorized');
      return;
    }
    c.tx.deauthorized = true;
  }
  refresh(ch, c);
}

/** The transaction id a RemoteStart TxProfile is stamped with before the CSMS assigned one. */
const PROVISIONAL_TX_ID = -1;

function installRemoteProfile(ch: Charger, c: Connector, profile: ChargingProfile, transactionId: number): void {
  ch.profiles.clear({ id: profile.chargingProfileId });
  const res = ch.profiles.set(c.id, profile, (id) => (id === c.id ? transactionId : undefined), ch.time.now());
  ch.log(`connector ${c.id}: RemoteStart TxProfile ${res.status}${res.status === 'Rejected' ? `: ${res.reason}` : ''}`);
}

/** Stops the connector's transaction: StopTransaction queued with the End readings, Finishing if the cable is still in. */
export function stopTransaction(ch: Charger, c: Connector, reason: StopReason, idTag?: string): void {
  const tx = c.tx;
  if (!tx) return;
  ch.integrate(c);
  const stopMs = ch.time.now();
  const meterStop = reportedRegister(ch, c, tx.registerAtStart);
  const payload: StopTransactionRequest = { meterStop, timestamp: ch.time.iso(stopMs), transactionId: tx.transactionId ?? -1, reason };
  if (idTag !== undefined) payload.idTag = idTag;
  const end = meterValue(ch, c, 'StopTxnSampledData', 'Transaction.End', stopMs);
  const data = [tx.beginValues, end].filter((mv) => mv !== undefined && mv.sampledValue.length > 0);
  if (data.length > 0) payload.transactionData = data as NonNullable<StopTransactionRequest['transactionData']>;
  c.tx = undefined;
  c.evSideDisconnected = false;
  c.finishing = c.ev !== undefined;
  c.sampleTimer?.cancel();
  c.sampleTimer = undefined;
  ch.profiles.removeTxProfiles(c.id);
  applyScheduledAvailability(ch);
  ch.queue.enqueue('StopTransaction', payload, tx.localTxId, tx.connectorId);
  ch.log(`connector ${c.id}: transaction #${tx.localTxId} stopped (${reason}) at ${meterStop} Wh`);
  refreshAll(ch);
  ch.events.emit('transactionStopped', {
    connectorId: c.id,
    localTxId: tx.localTxId,
    idTag: tx.idTag,
    meterStart: tx.meterStart,
    meterStop,
    reason,
    ...(tx.transactionId !== undefined ? { transactionId: tx.transactionId } : {}),
  });
}

/** ChangeAvailability answered Scheduled becomes effective once the connector is no longer in use. */
export function applyScheduledAvailability(ch: Charger): void {
  const inUse = (o: Connector): boolean => o.tx !== undefined || o.pending !== undefined || (o.ev !== undefined && !o.finishing);
  for (const c of ch.connectors) {
    if (!c.scheduledAvailability) continue;
    const busy = c.id === 0 ? ch.outlets.some(inUse) : inUse(c);
    if (busy) continue;
    c.availability = c.scheduledAvailability;
    c.scheduledAvailability = undefined;
  }
}

/** Waits for the EV (ConnectionTimeOut) after an idTag or a remote start; times out to Available. */
export function awaitPlug(ch: Charger, c: Connector, who: PendingAuthorization): void {
  c.preparingTimer?.cancel();
  c.pending = who;
  c.preparingTimer = ch.after(ch.config.int('ConnectionTimeOut') * 1000, () => {
    c.preparingTimer = undefined;
    if (c.pending !== who) return;
    c.pending = undefined;
    ch.log(`connector ${c.id}: no EV within ConnectionTimeOut, authorization of ${who.idTag} dropped`);
    refresh(ch, c);
  });
  refresh(ch, c);
}

/** Authorized: start now if the EV is there, else wait for it. */
export function begin(ch: Charger, c: Connector, who: PendingAuthorization): void {
  if (c.evConnected) startTransaction(ch, c, who);
  else awaitPlug(ch, c, who);
}

/** A connector that can take a new session for this idTag. */
function freeConnector(ch: Charger, idTag: string): Connector | undefined {
  const usable = ch.outlets.filter((o) => !o.tx && !o.pending && o.status !== 'Faulted' && o.status !== 'Unavailable');
  const reservedForMe = usable.find((o) => o.reservation && sameUser(o.reservation, { idTag }));
  return reservedForMe ?? usable.find((o) => o.evConnected && !o.reservation) ?? usable.find((o) => !o.reservation);
}

/**
 * An idTag presented at the reader: stops the transaction it started (no Authorize for the same
 * idTag), stops one of the same parent after authorizing, otherwise authorizes and starts.
 */
export async function presentIdTag(ch: Charger, idTag: string, connectorId?: number): Promise<void> {
  const scope = connectorId !== undefined ? [ch.connector(connectorId)] : ch.outlets;
  const own = scope.find((o) => o.tx && (o.tx.idTag.toLowerCase() === idTag.toLowerCase() || ch.has('auth-lax')));
  if (own) return stopTransaction(ch, own, 'Local', idTag);
  const busy = scope.filter((o) => o.tx);
  const target = connectorId !== undefined ? ch.connector(connectorId) : freeConnector(ch, idTag);
  if (busy.length > 0 && (connectorId !== undefined || !target)) {
    const info = await authorize(ch, idTag);
    const group = ch.has('parent-ignored') ? undefined : info.parentIdTag;
    const other = busy.find((o) => o.tx && info.status === 'Accepted' && sameUser(o.tx, { idTag, parentIdTag: group }));
    if (other) return stopTransaction(ch, other, 'Local', idTag);
    ch.log(`idTag ${idTag} may not stop the running transaction`);
    return;
  }
  if (!target || target.tx || target.pending) {
    ch.log(`idTag ${idTag}: no free connector`);
    return;
  }
  if ((target.fault && !ch.has('never-faulted')) || target.status === 'Unavailable') {
    ch.log(`idTag ${idTag}: connector ${target.id} is ${target.fault ? `faulted (${target.fault})` : 'unavailable'}; no transaction`);
    return;
  }
  // A reservation with a parentIdTag may be used by any tag of that group: only its authorization tells.
  if (target.reservation && !sameUser(target.reservation, { idTag }) && (target.reservation.parentIdTag === undefined || ch.has('parent-ignored'))) {
    ch.log(`idTag ${idTag}: connector ${target.id} is reserved for another idTag`);
    return;
  }
  const info = await authorize(ch, idTag);
  if (info.status !== 'Accepted' && !ch.has('auth-lax')) {
    ch.log(`idTag ${idTag} not authorized (${info.status})`);
    return;
  }
  if (target.reservation && !sameUser(target.reservation, { idTag, parentIdTag: info.parentIdTag })) {
    ch.log(`idTag ${idTag}: connector ${target.id} is reserved for another idTag (and group)`);
    return;
  }
  const who: PendingAuthorization = { idTag };
  if (info.parentIdTag) who.parentIdTag = info.parentIdTag;
  if (target.reservation) who.reservationId = target.reservation.reservationId;
  begin(ch, target, who);
}
