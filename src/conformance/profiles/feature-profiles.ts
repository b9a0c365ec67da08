import { ChargecheckError } from '../../errors.js';
import type { FeatureProfile } from '../../ocpp/catalogue.js';

/** One definition, in the action catalogue (ocpp/catalogue.ts). */
export type { FeatureProfile } from '../../ocpp/catalogue.js';

/**
 * The groups the OCPP 1.6 test cases fall in: the six feature profiles of OCPP 1.6 (the words a
 * charger reports in SupportedFeatureProfiles) and the security whitepaper's cases.
 */
export const FEATURE_PROFILES = ['Core', 'LocalAuthListManagement', 'FirmwareManagement', 'Reservation', 'RemoteTrigger', 'SmartCharging', 'Security'] as const satisfies readonly FeatureProfile[];

/** Short names accepted by `--profiles` and `--grep` beside the OCPP words (case-insensitive). */
const ALIASES: Readonly<Record<string, FeatureProfile>> = {
  core: 'Core',
  localauth: 'LocalAuthListManagement',
  localauthlist: 'LocalAuthListManagement',
  localauthlistmanagement: 'LocalAuthListManagement',
  firmware: 'FirmwareManagement',
  firmwaremanagement: 'FirmwareManagement',
  reservation: 'Reservation',
  trigger: 'RemoteTrigger',
  remotetrigger: 'RemoteTrigger',
  smart: 'SmartCharging',
  smartcharging: 'SmartCharging',
  security: 'Security',
};

export function featureProfileNamed(name: string): FeatureProfile | undefined {
  return ALIASES[name.trim().toLowerCase().replace(/[\s_-]/g, '')];
}

/** `--profiles core,smart,…`: the profiles a charger declares it supports (Core is always in). */
export function parseFeatureProfiles(list: string): FeatureProfile[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !featureProfileNamed(n));
  if (unknown.length) {
    throw new ChargecheckError('CLI_BAD_PROFILES', `unknown feature profile ${unknown.join(', ')} (known: ${Object.keys(ALIASES).filter((a) => a.length <= 11).join(', ')} or the OCPP names)`);
  }
  return [...new Set<FeatureProfile>(['Core', ...names.map((n) => featureProfileNamed(n)!)])];
}

/**
 * The profiles a charger declares from its SupportedFeatureProfiles value (OCPP words, e.g.
 * `Core,FirmwareManagement,SmartCharging`). The security cases are not a feature profile: a charger
 * declares them by answering the whitepaper's messages, so they are kept.
 */
export function declaredFromConfiguration(value: string): FeatureProfile[] {
  const named = value.split(',').map((s) => featureProfileNamed(s)).filter((p): p is FeatureProfile => p !== undefined);
  return [...new Set<FeatureProfile>(['Core', 'Security', ...named])];
}
