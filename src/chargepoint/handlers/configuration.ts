import type { ChangeConfigurationRequest, ChangeConfigurationResponse, GetConfigurationRequest, GetConfigurationResponse } from '../../ocpp/types.js';
import type { CallContext } from '../../rpc/port.js';
import type { Charger } from '../charger.js';

export function getConfiguration(ch: Charger, req: GetConfigurationRequest): GetConfigurationResponse {
  const res = ch.config.getConfiguration(req);
  return ch.has('config-lax') ? { configurationKey: res.configurationKey ?? [] } : res;
}

/**
 * ChangeConfiguration (digest §8). Effects of accepted values run from the configuration's change
 * listener (charge-point.ts); an accepted AuthorizationKey or SecurityProfile makes the charger
 * reconnect once the answer is out. Quirk `reject-sample-interval` refuses MeterValueSampleInterval.
 */
export function changeConfiguration(ch: Charger, req: ChangeConfigurationRequest, ctx: CallContext): ChangeConfigurationResponse {
  if (ch.has('reject-sample-interval') && req.key.toLowerCase() === 'metervaluesampleinterval') {
    ch.log(`ChangeConfiguration ${req.key}=${req.value}: Rejected (quirk reject-sample-interval)`);
    return { status: 'Rejected' };
  }
  if (ch.has('security-profile-stuck') && req.key.toLowerCase() === 'securityprofile') return { status: 'Accepted' };
  const result = ch.config.change(req.key, req.value);
  if (ch.has('config-lax') && (result.status === 'Rejected' || result.status === 'NotSupported')) return { status: 'Accepted' };
  const shown = result.key === 'AuthorizationKey' ? '<hidden>' : req.value;
  ch.log(`ChangeConfiguration ${req.key}=${shown}: ${result.status}${result.reason ? ` (${result.reason})` : ''}`);
  if (result.status === 'Accepted' || result.status === 'RebootRequired') {
    ch.persist();
    if (result.key === 'AuthorizationKey' || result.key === 'SecurityProfile') {
      // WP2 A01/A05: logged in the security log, without the key material
      ch.securityEvents.raise('ReconfigurationOfSecurityParameters', result.key === 'SecurityProfile' ? `SecurityProfile=${req.value}` : 'AuthorizationKey changed');
    }
    if (result.key === 'AuthorizationKey') ctx.afterReply(() => ch.setup.host?.reconnect('authorization-key'));
    if (result.key === 'SecurityProfile') ctx.afterReply(() => ch.setup.host?.reconnect('security-profile'));
  }
  return { status: result.status };
}
