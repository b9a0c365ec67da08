import { isQuirkName, QUIRK_NAMES, type QuirkName } from '../chargepoint/quirks.js';
import { ChargecheckError } from '../errors.js';
import { draw, seedFor } from './daily-pattern.js';

/** A share of the fleet with one named fault: `ignore-limit=3%`. */
export interface QuirkShare {
  readonly quirk: QuirkName;
  /** Fraction of the fleet, 0..1. */
  readonly share: number;
}

export type QuirkMix = readonly QuirkShare[];

/**
 * Parses `--quirk-mix ignore-limit=3%,lose-queue=1%` (a share is a percentage, or a fraction
 * without `%`). Each quirky charger gets exactly one quirk, so the shares may add up to at most
 * 100 %. Throws SWARM_BAD_QUIRK_MIX.
 */
export function parseQuirkMix(text: string): QuirkMix {
  const mix: QuirkShare[] = [];
  const bad = (why: string, details: Record<string, unknown> = {}): never => {
    throw new ChargecheckError('SWARM_BAD_QUIRK_MIX', `--quirk-mix ${why}`, { mix: text, ...details });
  };
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z-]+)\s*=\s*([0-9]*\.?[0-9]+)\s*(%?)$/.exec(part);
    if (!m) bad(`takes QUIRK=PERCENT%,… (e.g. ignore-limit=3%), got '${part}'`);
    const [, name, num, pct] = m as RegExpExecArray;
    if (!isQuirkName(name)) bad(`: unknown quirk '${name}' (known: ${QUIRK_NAMES.join(', ')})`, { quirk: name });
    const share = pct ? Number(num) / 100 : Number(num);
    if (!(share >= 0 && share <= 1)) bad(`: the share of ${name} must be between 0 and 100 %`, { quirk: name });
    if (mix.some((q) => q.quirk === name)) bad(`: ${name} is listed twice`, { quirk: name });
    mix.push({ quirk: name as QuirkName, share });
  }
  const total = mix.reduce((t, q) => t + q.share, 0);
  if (total > 1 + 1e-9) bad(`: the shares add up to ${(total * 100).toFixed(1)} %, more than the whole fleet`);
  return mix;
}

export function formatQuirkMix(mix: QuirkMix): string {
  return mix.map((q) => `${q.quirk}=${+(q.share * 100).toFixed(4)}%`).join(',');
}

const MIX_SALT = 0x51f15e;

/**
 * The quirk a charger gets, from its id alone (a draw seeded by the id, independent of the
 * charger's session draws): the same id is the same bad charger in every shard and every run.
 */
export function quirkFor(mix: QuirkMix, id: string, seed: number): QuirkName | undefined {
  if (mix.length === 0) return undefined;
  const [, u] = draw(seedFor(id, seed ^ MIX_SALT));
  let edge = 0;
  for (const q of mix) {
    edge += q.share;
    if (u < edge) return q.quirk;
  }
  return undefined;
}
