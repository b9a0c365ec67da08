import type { IdTagInfo, RequestOf, ResponseOf } from '../ocpp/types.js';
import type { AuthEntry } from './types.js';

const CACHE_SIZE = 100;

/** idTags are case-insensitive CiStrings (digest §14). */
const norm = (idTag: string): string => idTag.toLowerCase();

/** The Authorization Cache and the Local Authorization List (digest §11). */
export class AuthStore {
  private cache = new Map<string, AuthEntry>();
  private list = new Map<string, AuthEntry>();
  private listVersion = 0;

  constructor(saved?: { cache: AuthEntry[]; list: { version: number; entries: AuthEntry[] } }) {
    for (const e of saved?.cache ?? []) this.cache.set(norm(e.idTag), e);
    for (const e of saved?.list.entries ?? []) this.list.set(norm(e.idTag), e);
    this.listVersion = saved?.list.version ?? 0;
  }

  /** The local list entry (when the list is enabled), else the cache entry (when enabled). */
  lookup(idTag: string, listEnabled: boolean, cacheEnabled: boolean): AuthEntry | undefined {
    const fromList = listEnabled ? this.list.get(norm(idTag)) : undefined;
    if (fromList) return fromList;
    return cacheEnabled ? this.cache.get(norm(idTag)) : undefined;
  }

  /** Updates the cache from an idTagInfo the CSMS sent (never for idTags on the local list). */
  remember(idTag: string, info: IdTagInfo): void {
    if (this.list.has(norm(idTag))) return;
    this.cache.delete(norm(idTag));
    this.cache.set(norm(idTag), { idTag, ...info });
    while (this.cache.size > CACHE_SIZE) {
      const victim = [...this.cache.values()].find((e) => e.status !== 'Accepted') ?? this.cache.values().next().value!;
      this.cache.delete(norm(victim.idTag));
    }
  }

  clearCache(): void {
    this.cache.clear();
  }

  get version(): number {
    return this.list.size === 0 && this.listVersion <= 0 ? 0 : this.listVersion;
  }

  /** SendLocalList (digest §11): Full replaces, Differential upserts and deletes. */
  sendLocalList(req: RequestOf<'SendLocalList'>, maxLength: number, listMaxLength: number): ResponseOf<'SendLocalList'>['status'] {
    const entries = req.localAuthorizationList ?? [];
    if (req.listVersion <= 0 || entries.length > maxLength) return 'Failed';
    const seen = new Set<string>();
    for (const e of entries) {
      if (seen.has(norm(e.idTag))) return 'Failed';
      seen.add(norm(e.idTag));
    }
    const next = req.updateType === 'Full' ? new Map<string, AuthEntry>() : new Map(this.list);
    if (req.updateType === 'Differential' && req.listVersion <= this.listVersion) return 'VersionMismatch';
    for (const e of entries) {
      if (e.idTagInfo) next.set(norm(e.idTag), { idTag: e.idTag, ...e.idTagInfo });
      else next.delete(norm(e.idTag));
    }
    if (next.size > listMaxLength) return 'Failed';
    this.list = next;
    this.listVersion = req.listVersion;
    for (const key of this.list.keys()) this.cache.delete(key);
    return 'Accepted';
  }

  toJSON(): { cache: AuthEntry[]; list: { version: number; entries: AuthEntry[] } } {
    return { cache: [...this.cache.values()], list: { version: this.listVersion, entries: [...this.list.values()] } };
  }
}

/** Accepted and not expired at `nowMs`. */
export function isValid(entry: AuthEntry, nowMs: number): boolean {
  if (entry.status !== 'Accepted') return false;
  return entry.expiryDate === undefined || Date.parse(entry.expiryDate) > nowMs;
}

/** The entry as an IdTagInfo as of `nowMs` (an expired Accepted entry reads Expired). */
export function infoOf(entry: AuthEntry, nowMs: number): IdTagInfo {
  const status = entry.status === 'Accepted' && !isValid(entry, nowMs) ? 'Expired' : entry.status;
  const info: IdTagInfo = { status };
  if (entry.parentIdTag) info.parentIdTag = entry.parentIdTag;
  if (entry.expiryDate) info.expiryDate = entry.expiryDate;
  return info;
}
