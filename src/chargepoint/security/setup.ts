import type { Charger } from '../charger.js';

/** The security material a charger is built with (the manufacturer's and installer's part). */
export interface SecuritySetup {
  /** The charge point certificate (chain, leaf first) and its private key, PEM: Security Profile 3. */
  chargePointCertificate?: { cert: string; key: string };
  /** CSMS root certificates (PEM) the charger trusts from the start. */
  centralSystemRoots?: readonly string[];
  /** Manufacturer root certificates (PEM): signed firmware must chain to one. */
  manufacturerRoots?: readonly string[];
  /** The host holds an AuthorizationKey (given at setup, outside the configuration). */
  hasAuthorizationKey?: boolean;
}

/**
 * Puts the setup's certificates into a fresh store (a restarted charger keeps what it had) and
 * installs the SecurityProfile preconditions of WP2 A05: 1 and 2 need an AuthorizationKey, 2 and
 * 3 a CentralSystemRootCertificate, 3 a charge point certificate. Quirk
 * `security-profile-downgrade` lets the profile go down.
 */
export function applySecuritySetup(ch: Charger, setup: SecuritySetup = {}): void {
  if (!ch.restored?.security) {
    // not parsed here: parsing costs ~0.4 ms a certificate, and a swarm builds thousands of chargers
    for (const pem of setup.centralSystemRoots ?? []) ch.certs.seed('CentralSystemRootCertificate', pem);
    for (const pem of setup.manufacturerRoots ?? []) ch.certs.seed('ManufacturerRootCertificate', pem);
    if (setup.chargePointCertificate?.cert.includes('-----BEGIN CERTIFICATE-----')) {
      ch.certs.setChargePoint(setup.chargePointCertificate.cert, setup.chargePointCertificate.key);
    }
  }
  ch.config.guard('SecurityProfile', (value, refused) => {
    const next = Number(value);
    const current = ch.config.int('SecurityProfile');
    if (next >= 0 && next < current && ch.has('security-profile-downgrade')) return undefined;
    if (refused) return refused;
    if (next <= 2 && !ch.config.get('AuthorizationKey') && !setup.hasAuthorizationKey) return `profile ${next} needs an AuthorizationKey`;
    if (next >= 2 && ch.certs.rootPems('CentralSystemRootCertificate').length === 0) return `profile ${next} needs a CentralSystemRootCertificate`;
    if (next === 3 && !ch.certs.chargePoint) return 'profile 3 needs a charge point certificate';
    return undefined;
  });
}
