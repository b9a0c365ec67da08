import type { IdTagInfo } from '../ocpp/types.js';
import { infoOf, isValid } from './auth.js';
import type { Charger } from './charger.js';

/**
 * Decides whether an idTag may charge (digest §11): the local list wins over the cache; with
 * LocalPreAuthorize a valid local entry starts at once; online the CSMS is asked (Authorize) and
 * the cache updated; offline LocalAuthorizeOffline and AllowOfflineTxForUnknownId decide.
 */
export async function authorize(ch: Charger, idTag: string): Promise<IdTagInfo> {
  const cfg = ch.config;
  const now = ch.time.now();
  const local = ch.auth.lookup(idTag, cfg.bool('LocalAuthListEnabled'), cfg.bool('AuthorizationCacheEnabled') && !ch.has('no-auth-cache'));
  if (local && cfg.bool('LocalPreAuthorize') && isValid(local, now)) return infoOf(local, now);
  if (ch.link.ready) {
    try {
      const conf = await ch.link.call('Authorize', { idTag });
      ch.auth.remember(idTag, conf.idTagInfo);
      ch.persist();
      return conf.idTagInfo;
    } catch (err) {
      ch.log(`Authorize ${idTag} failed (${err instanceof Error ? err.message : String(err)}); deciding offline`);
    }
  }
  if (local && cfg.bool('LocalAuthorizeOffline')) return infoOf(local, ch.time.now());
  if (!local && cfg.bool('AllowOfflineTxForUnknownId')) return { status: 'Accepted' };
  return { status: 'Invalid' };
}

/** Same idTag, or the same parent (CiStrings compare case-insensitively). */
export function sameUser(a: { idTag: string; parentIdTag?: string }, b: { idTag: string; parentIdTag?: string }): boolean {
  if (a.idTag.toLowerCase() === b.idTag.toLowerCase()) return true;
  return a.parentIdTag !== undefined && b.parentIdTag !== undefined && a.parentIdTag.toLowerCase() === b.parentIdTag.toLowerCase();
}
