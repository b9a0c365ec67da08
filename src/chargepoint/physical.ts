import { ChargecheckError } from '../errors.js';
import type { ChargePointErrorCode } from '../ocpp/types.js';
import type { Charger } from './charger.js';
import type { Connector } from './connector.js';
import { refresh, refreshAll } from './flow.js';
import { startTransaction, stopTransaction } from './transactions.js';
import type { EvParams } from './types.js';

function outlet(ch: Charger, connectorId: number): Connector {
  const c = ch.connector(connectorId);
  if (c.id === 0) throw new ChargecheckError('CP_UNKNOWN_CONNECTOR', 'connector 0 is the charger itself; EVs plug into connectors 1..N', { connectorId });
  return c;
}

/** An EV is plugged in: starts the transaction an earlier idTag or remote start was waiting for. */
export function plug(ch: Charger, connectorId: number, ev: Partial<EvParams> = {}): void {
  const c = outlet(ch, connectorId);
  if (c.ev && !c.evSideDisconnected) throw new ChargecheckError('CP_ALREADY_PLUGGED', `connector ${connectorId} already has an EV plugged in`, { connectorId });
  ch.integrate(c);
  const params = { ...ch.setup.defaultEv, ...ev };
  c.ev = { params, socPercent: params.socPercent };
  c.evSideDisconnected = false;
  ch.log(`connector ${c.id}: EV plugged (${params.capacityWh} Wh at ${params.socPercent} %, ${params.maxPowerW} W, ${params.phases} phase(s))`);
  if (c.pending && !c.tx) startTransaction(ch, c, c.pending);
  else {
    if (!c.tx) awaitAuthorization(ch, c);
    refresh(ch, c);
  }
}

/**
 * Plugged in, nobody authorized: after ConnectionTimeOut the connector goes Preparing → Finishing
 * (errata B6), so a tag presented later cannot start a session on someone else's cable.
 */
function awaitAuthorization(ch: Charger, c: Connector): void {
  c.preparingTimer?.cancel();
  c.preparingTimer = ch.after(ch.config.int('ConnectionTimeOut') * 1000, () => {
    c.preparingTimer = undefined;
    if (c.tx || c.pending || !c.ev || c.finishing) return;
    c.finishing = true;
    ch.log(`connector ${c.id}: no authorization within ConnectionTimeOut after the plug; Finishing until unplugged`);
    refresh(ch, c);
  });
}

/**
 * The EV is unplugged. In a transaction: stopped with EVDisconnected when
 * StopTransactionOnEVSideDisconnect (then Available), otherwise SuspendedEV and it continues.
 */
export function unplug(ch: Charger, connectorId: number): void {
  const c = outlet(ch, connectorId);
  if (!c.ev) return;
  ch.integrate(c);
  ch.log(`connector ${c.id}: EV unplugged`);
  if (c.tx && ch.config.bool('StopTransactionOnEVSideDisconnect') === ch.has('ev-disconnect-inverted')) {
    c.evSideDisconnected = true;
    refresh(ch, c);
    return;
  }
  c.ev = undefined;
  c.evSideDisconnected = false;
  c.finishing = false;
  if (!c.pending) {
    c.preparingTimer?.cancel();
    c.preparingTimer = undefined;
  }
  if (c.tx) stopTransaction(ch, c, 'EVDisconnected');
  else refresh(ch, c);
}

/** Changes the plugged EV (e.g. `paused: true`), keeping its state of charge unless given. */
export function setEv(ch: Charger, connectorId: number, params: Partial<EvParams>): void {
  const c = outlet(ch, connectorId);
  if (!c.ev) throw new ChargecheckError('CP_NO_EV', `no EV on connector ${connectorId}`, { connectorId });
  ch.integrate(c);
  c.ev.params = { ...c.ev.params, ...params };
  if (params.socPercent !== undefined) c.ev.socPercent = params.socPercent;
  refresh(ch, c);
}

/** A fault on a connector (0 = the whole charger): Faulted with the error code, energy cut. */
export function fault(ch: Charger, connectorId: number, errorCode: ChargePointErrorCode = 'OtherError'): void {
  if (errorCode === 'NoError') throw new ChargecheckError('CP_BAD_FAULT', 'a fault needs an error code other than NoError', { connectorId });
  const c = ch.connector(connectorId);
  c.fault = errorCode;
  if (c.reservation && !ch.has('never-faulted')) {
    c.reservation.timer?.cancel();
    c.reservation = undefined;
  }
  ch.log(`connector ${c.id}: fault ${errorCode}`);
  if (c.id === 0) refreshAll(ch);
  else refresh(ch, c);
}

export function clearFault(ch: Charger, connectorId: number): void {
  const c = ch.connector(connectorId);
  if (!c.fault) return;
  c.fault = undefined;
  ch.log(`connector ${c.id}: fault cleared`);
  if (c.id === 0) refreshAll(ch);
  else refresh(ch, c);
}
