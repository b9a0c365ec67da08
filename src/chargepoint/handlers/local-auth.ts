import type { GetLocalListVersionResponse, SendLocalListRequest, SendLocalListResponse } from '../../ocpp/types.js';
import type { Charger } from '../charger.js';

export function sendLocalList(ch: Charger, req: SendLocalListRequest): SendLocalListResponse {
  if (ch.has('local-list-ignored')) return { status: 'Accepted' };
  const status = ch.auth.sendLocalList(req, ch.config.int('SendLocalListMaxLength'), ch.config.int('LocalAuthListMaxLength'));
  ch.log(`SendLocalList v${req.listVersion} ${req.updateType}: ${status}`);
  if (status === 'Accepted') ch.persist();
  return { status };
}

export function getLocalListVersion(ch: Charger): GetLocalListVersionResponse {
  return { listVersion: ch.has('local-list-ignored') ? -1 : ch.auth.version };
}
