import type { SecureVersion } from 'node:tls';

/**
 * AWS ELBSecurityPolicy-TLS-1-2-Ext-2018-06: TLS 1.2 only, these 18 suites in AWS's order
 * (OpenSSL names; digest §1). The certify listener uses exactly this policy.
 */
export const ELB_TLS_1_2_EXT_2018_06_CIPHERS: readonly string[] = Object.freeze([
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES128-SHA256',
  'ECDHE-RSA-AES128-SHA256',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES256-SHA384',
  'ECDHE-RSA-AES256-SHA384',
  'ECDHE-RSA-AES256-SHA',
  'ECDHE-ECDSA-AES256-SHA',
  'AES128-GCM-SHA256',
  'AES128-SHA256',
  'AES128-SHA',
  'AES256-GCM-SHA384',
  'AES256-SHA256',
  'AES256-SHA',
]);

export interface TlsPolicy {
  readonly name: string;
  readonly minVersion: SecureVersion;
  readonly maxVersion: SecureVersion;
  /** OpenSSL cipher string: the suites joined with ':' in preference order. */
  readonly ciphers: string;
  readonly honorCipherOrder: boolean;
}

export const ELB_TLS_1_2_EXT_2018_06: TlsPolicy = Object.freeze({
  name: 'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
  minVersion: 'TLSv1.2',
  maxVersion: 'TLSv1.2',
  ciphers: ELB_TLS_1_2_EXT_2018_06_CIPHERS.join(':'),
  honorCipherOrder: true,
});

/** True when an OpenSSL suite name (as from `socket.getCipher().name`) is in the policy. */
export function isPolicyCipher(name: string): boolean {
  return ELB_TLS_1_2_EXT_2018_06_CIPHERS.includes(name);
}
