/**
 * Issue 11 item 4: the certify listener can ask for client certificates, so PLT-SEC-3 becomes
 * checkable — still announced, never required. Our own charger presents the certificate it is
 * given; without the request, PLT-SEC-3 stays "not applicable".
 */
import { describe, expect, it } from 'vitest';
import { certify } from '../src/harness/certify.js';

const sec3 = async (requestClientCert: boolean) => {
  const result = await certify({ self: true, requestClientCert, paths: ['scenarios/charger/01-connection.yaml'] });
  return result.requirements?.find((v) => v.id === 'PLT-SEC-3');
};

describe('certify --client-ca (PLT-SEC-3)', () => {
  it('passes PLT-SEC-3 on the presented, trusted client certificate when the listener asks for one', async () => {
    const v = await sec3(true);
    expect(v?.level).toBe('announced');
    expect(v?.verdict, JSON.stringify(v?.evidence)).toBe('pass');
    expect(v?.evidence[0].text).toMatch(/client certificate presented and trusted .*CN = charge point id/);
  });

  it('leaves PLT-SEC-3 not applicable when the listener does not ask', async () => {
    const v = await sec3(false);
    expect(v?.verdict).toBe('not-applicable');
  });
});
