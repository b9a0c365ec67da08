import type { TriggerMessageRequest, TriggerMessageResponse } from '../../ocpp/types.js';
import type { CallContext } from '../../rpc/port.js';
import { triggeredDiagnosticsStatus } from '../diagnostics.js';
import { meterValue, meterValueOf } from '../sampler.js';
import type { Runtime } from '../runtime.js';

/**
 * TriggerMessage (digest §9): the .conf goes out first, the triggered message after it (also
 * while Pending). BootNotification is accepted in every state. StatusNotification and MeterValues
 * without connectorId mean all connectors (StatusNotification: connector 0 too). Quirks
 * `ignore-trigger-boot` / `ignore-trigger-status` accept and then send nothing.
 */
export function triggerMessage(rt: Runtime, req: TriggerMessageRequest, ctx: CallContext): TriggerMessageResponse {
  const { ch } = rt;
  const cid = req.connectorId;
  if (cid !== undefined && !ch.connectors[cid]) return { status: ch.has('careless-requests') ? 'Accepted' : 'Rejected' };
  const send = (fn: () => Promise<unknown>): void => ctx.afterReply(() => void fn().catch((err: unknown) => ch.log(`triggered ${req.requestedMessage} failed: ${err instanceof Error ? err.message : String(err)}`)));
  switch (req.requestedMessage) {
    case 'BootNotification':
      if (!ch.has('ignore-trigger-boot')) send(() => rt.registrar.boot());
      break;
    case 'StatusNotification':
      if (!ch.has('ignore-trigger-status')) {
        const targets = cid !== undefined ? [ch.connectors[cid]] : ch.connectors;
        send(() =>
          Promise.all(
            targets.map((c) => {
              c.reported = { status: c.status, errorCode: c.errorCode };
              return ch.link.call('StatusNotification', { connectorId: c.id, errorCode: c.errorCode, status: c.status, timestamp: ch.time.iso() }, true);
            }),
          ),
        );
      }
      break;
    case 'MeterValues': {
      const targets = cid !== undefined && cid > 0 ? [ch.connectors[cid]] : ch.outlets;
      send(() =>
        Promise.all(
          targets.map((c) => {
            ch.integrate(c);
            let mv = meterValue(ch, c, 'MeterValuesSampledData', 'Trigger');
            if (mv.sampledValue.length === 0) mv = meterValueOf(ch, c, 'Energy.Active.Import.Register', 'Trigger'); // never an empty MeterValue
            const payload = { connectorId: c.id, meterValue: [mv] };
            return ch.link.call('MeterValues', c.tx?.transactionId !== undefined ? { ...payload, transactionId: c.tx.transactionId } : payload, true);
          }),
        ),
      );
      break;
    }
    case 'Heartbeat':
      send(() => rt.registrar.heartbeat(true));
      break;
    case 'FirmwareStatusNotification':
      send(() => ch.link.call('FirmwareStatusNotification', { status: rt.firmware.triggeredStatus() }, true));
      break;
    case 'DiagnosticsStatusNotification':
      send(() => ch.link.call('DiagnosticsStatusNotification', { status: triggeredDiagnosticsStatus(ch) }, true));
      break;
    default:
      return { status: 'NotImplemented' };
  }
  return { status: 'Accepted' };
}
