import type { ActionName } from '../../ocpp/catalogue.js';
import type { ExtendedTriggerMessageRequest, ExtendedTriggerMessageResponse, TriggerMessageRequest } from '../../ocpp/types.js';
import type { CallContext, Handler } from '../../rpc/port.js';
import { triggerMessage } from '../handlers/trigger.js';
import type { Runtime } from '../runtime.js';
import { certificateSigned, deleteCertificate, getInstalledCertificateIds, installCertificate, requestCertificate } from './certificates.js';
import { getLog, triggeredLogStatus } from './get-log.js';

type On = <A extends ActionName>(action: A, handler: Handler<A>) => void;

/** Registers the security whitepaper's CSMS-initiated CALLs (digest §2.5) through `on`. */
export function registerSecurityHandlers(on: On, rt: Runtime): void {
  const { ch } = rt;
  on('CertificateSigned', (p, ctx) => certificateSigned(ch, p, ctx));
  on('InstallCertificate', (p) => installCertificate(ch, p));
  on('GetInstalledCertificateIds', (p) => getInstalledCertificateIds(ch, p));
  on('DeleteCertificate', (p) => deleteCertificate(ch, p));
  on('ExtendedTriggerMessage', (p, ctx) => extendedTriggerMessage(rt, p, ctx));
  on('SignedUpdateFirmware', (p, ctx) => rt.security.firmware.update(p, ctx));
  on('GetLog', (p, ctx) => getLog(ch, rt.security.log, p, ctx));
}

/**
 * ExtendedTriggerMessage (WP2 F06): the .conf first, then the message. BootNotification,
 * Heartbeat, MeterValues and StatusNotification as TriggerMessage; FirmwareStatusNotification as
 * SignedFirmwareStatusNotification, LogStatusNotification with the upload's state, and
 * SignChargePointCertificate starts a CSR (SignCertificate). Quirk `ignore-extended-trigger`
 * accepts and sends nothing.
 */
export function extendedTriggerMessage(rt: Runtime, req: ExtendedTriggerMessageRequest, ctx: CallContext): ExtendedTriggerMessageResponse {
  const { ch } = rt;
  if (req.connectorId !== undefined && !ch.connectors[req.connectorId]) return { status: 'Rejected' };
  if (ch.has('ignore-extended-trigger')) {
    ch.log(`ExtendedTriggerMessage ${req.requestedMessage}: Accepted, nothing sent (quirk ignore-extended-trigger)`);
    return { status: 'Accepted' };
  }
  const send = (fn: () => Promise<unknown>): void =>
    ctx.afterReply(() => void fn().catch((err: unknown) => ch.log(`extended-triggered ${req.requestedMessage} failed: ${err instanceof Error ? err.message : String(err)}`)));
  switch (req.requestedMessage) {
    case 'SignChargePointCertificate':
      send(() => requestCertificate(ch));
      return { status: 'Accepted' };
    case 'FirmwareStatusNotification':
      send(() => ch.link.call('SignedFirmwareStatusNotification', rt.security.firmware.triggered(), true));
      return { status: 'Accepted' };
    case 'LogStatusNotification':
      send(() => ch.link.call('LogStatusNotification', triggeredLogStatus(rt.security.log), true));
      return { status: 'Accepted' };
    default: {
      const legacy: TriggerMessageRequest = { requestedMessage: req.requestedMessage };
      if (req.connectorId !== undefined) legacy.connectorId = req.connectorId;
      return triggerMessage(rt, legacy, ctx);
    }
  }
}
