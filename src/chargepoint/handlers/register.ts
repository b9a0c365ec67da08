import type { ActionName } from '../../ocpp/catalogue.js';
import { OcppCallError } from '../../rpc/call-error.js';
import type { Handler, OcppPort } from '../../rpc/port.js';
import { getDiagnostics } from '../diagnostics.js';
import type { Runtime } from '../runtime.js';
import { changeConfiguration, getConfiguration } from './configuration.js';
import { getLocalListVersion, sendLocalList } from './local-auth.js';
import { changeAvailability, clearCache, dataTransfer, reset } from './operator.js';
import { remoteStartTransaction, remoteStopTransaction, unlockConnector } from './remote.js';
import { cancelReservation, reserveNow } from './reservation.js';
import { clearChargingProfile, getCompositeSchedule, setChargingProfile } from './smart-charging.js';
import { registerSecurityHandlers } from '../security/handlers.js';
import { triggerMessage } from './trigger.js';

/**
 * Registers the charger's handler for every CSMS-initiated action on a port. While rebooting
 * nothing is answered properly, and after a Rejected boot the charger refuses everything.
 */
export function registerHandlers(port: OcppPort, rt: Runtime): void {
  const { ch } = rt;
  const on = <A extends ActionName>(action: A, handler: Handler<A>): void =>
    port.handle(action, (payload, ctx) => {
      if (ch.down) throw new OcppCallError('InternalError', 'the charger is rebooting');
      if (ch.link.registration === 'Rejected') throw new OcppCallError('SecurityError', 'BootNotification was Rejected; not answering until the interval has passed');
      return handler(payload, ctx);
    });
  on('ChangeAvailability', (p, ctx) => changeAvailability(ch, p, ctx));
  on('ChangeConfiguration', (p, ctx) => changeConfiguration(ch, p, ctx));
  on('ClearCache', () => clearCache(ch));
  on('DataTransfer', () => dataTransfer(ch));
  on('GetConfiguration', (p) => getConfiguration(ch, p));
  on('RemoteStartTransaction', (p, ctx) => remoteStartTransaction(ch, p, ctx));
  on('RemoteStopTransaction', (p, ctx) => remoteStopTransaction(ch, p, ctx));
  on('Reset', (p, ctx) => reset(ch, p, ctx, (reason) => rt.reboot(reason)));
  on('UnlockConnector', (p) => unlockConnector(ch, p));
  on('GetDiagnostics', (p, ctx) => getDiagnostics(ch, p, ctx));
  on('UpdateFirmware', (p, ctx) => {
    ctx.afterReply(() => rt.firmware.update(p));
    return {};
  });
  on('GetLocalListVersion', () => getLocalListVersion(ch));
  on('SendLocalList', (p) => sendLocalList(ch, p));
  on('ReserveNow', (p, ctx) => reserveNow(ch, p, ctx));
  on('CancelReservation', (p, ctx) => cancelReservation(ch, p, ctx));
  on('SetChargingProfile', (p, ctx) => setChargingProfile(ch, p, ctx));
  on('ClearChargingProfile', (p, ctx) => clearChargingProfile(ch, p, ctx));
  on('GetCompositeSchedule', (p) => getCompositeSchedule(ch, p));
  on('TriggerMessage', (p, ctx) => triggerMessage(rt, p, ctx));
  registerSecurityHandlers(on, rt);
}
