import type { RpcEndpoint } from '../rpc/endpoint.js';
import type { SwarmCharger } from './swarm-charger.js';
import { intern } from './swarm-charger.js';
import { setProfile } from './swarm-profiles.js';

const SUPPORTED_MEASURANDS = new Set(['Energy.Active.Import.Register', 'Power.Active.Import']);

/**
 * The CSMS-initiated messages a light charger answers: configuration (the platform's
 * MeterValueSampleInterval and MeterValuesSampledData), charging profiles, remote start/stop,
 * TriggerMessage and Reset. Anything else gets the endpoint's NotSupported CALLERROR.
 */
export function installSwarmHandlers(port: RpcEndpoint, cp: SwarmCharger): void {
  port.handle('ChangeConfiguration', ({ key, value }) => {
    const n = Number(value);
    switch (key) {
      case 'MeterValueSampleInterval':
        if (!Number.isInteger(n) || n < 0) return { status: 'Rejected' };
        cp.setSampleInterval(n);
        return { status: 'Accepted' };
      case 'HeartbeatInterval':
        if (!Number.isInteger(n) || n < 0) return { status: 'Rejected' };
        cp.setHeartbeat(n);
        return { status: 'Accepted' };
      case 'MeterValuesSampledData': {
        const list = intern(value);
        if (list.some((m) => !SUPPORTED_MEASURANDS.has(m))) return { status: 'Rejected' };
        cp.measurands = list;
        return { status: 'Accepted' };
      }
      default:
        return { status: 'NotSupported' };
    }
  });
  port.handle('GetConfiguration', () => ({
    configurationKey: [
      { key: 'HeartbeatInterval', readonly: false, value: String(cp.heartbeatSec) },
      { key: 'MeterValueSampleInterval', readonly: false, value: String(cp.sampleSec) },
      { key: 'MeterValuesSampledData', readonly: false, value: cp.measurands.join(',') },
    ],
  }));
  port.handle('SetChargingProfile', ({ connectorId, csChargingProfiles }) => {
    const status = setProfile(cp, connectorId, csChargingProfiles);
    if (status === 'Accepted') cp.applyLimits();
    return { status };
  });
  port.handle('ClearChargingProfile', (criteria) => {
    const status = cp.profiles?.clear(criteria) ?? 'Unknown';
    if (status === 'Accepted') cp.applyLimits();
    return { status };
  });
  port.handle('RemoteStartTransaction', ({ idTag, connectorId }, ctx) => {
    if (cp.session || (connectorId !== undefined && connectorId !== 1)) return { status: 'Rejected' };
    ctx.afterReply(() => void cp.startSession(idTag));
    return { status: 'Accepted' };
  });
  port.handle('RemoteStopTransaction', ({ transactionId }, ctx) => {
    if (cp.activeTransactionId() !== transactionId) return { status: 'Rejected' };
    ctx.afterReply(() => void cp.endSession('Remote'));
    return { status: 'Accepted' };
  });
  port.handle('TriggerMessage', ({ requestedMessage, connectorId }, ctx) => {
    switch (requestedMessage) {
      case 'Heartbeat':
        ctx.afterReply(() => void cp.send('Heartbeat', {}));
        return { status: 'Accepted' };
      case 'MeterValues':
        ctx.afterReply(() => void cp.sendMeterValues());
        return { status: 'Accepted' };
      case 'StatusNotification':
        ctx.afterReply(() => void cp.sendStatus(connectorId ?? 1, connectorId === 0 ? 'Available' : cp.session ? 'Charging' : 'Available'));
        return { status: 'Accepted' };
      case 'BootNotification':
        ctx.afterReply(() => void cp.boot());
        return { status: 'Accepted' };
      default:
        return { status: 'NotImplemented' };
    }
  });
  port.handle('Reset', ({ type }, ctx) => {
    ctx.afterReply(() => void cp.reboot(type === 'Hard' ? 'HardReset' : 'SoftReset'));
    return { status: 'Accepted' };
  });
  port.handle('ChangeAvailability', () => ({ status: 'Accepted' }));
  port.handle('ClearCache', () => ({ status: 'Accepted' }));
  port.handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
}
