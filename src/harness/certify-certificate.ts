import { callsOf, str } from '../conformance/exchanges.js';
import type { CertificationRecord } from '../conformance/record.js';
import type { CertificateFacts } from '../results/model.js';

const uniq = (values: readonly (string | undefined)[]): string[] => [...new Set(values.filter((v): v is string => !!v))];

/**
 * The certificate's header from the record: the device as its last BootNotification names it,
 * the session's span, and what the listener negotiated with it.
 */
export function certificateFacts(
  record: CertificationRecord,
  listener: { url: string; certificate: 'given' | 'generated' },
  end: number,
  interrupted?: { reason: string; at: number },
): CertificateFacts {
  const boot = callsOf(record, 'BootNotification', 'charger').at(-1)?.payload ?? {};
  const device: CertificateFacts['device'] = {
    id: record.chargePointId,
    vendor: str(boot.chargePointVendor),
    model: str(boot.chargePointModel),
    serialNumber: str(boot.chargePointSerialNumber) ?? str(boot.chargeBoxSerialNumber),
    firmwareVersion: str(boot.firmwareVersion),
    meterType: str(boot.meterType),
    meterSerialNumber: str(boot.meterSerialNumber),
  };
  const conns = record.connections;
  return {
    device: Object.fromEntries(Object.entries(device).filter(([, v]) => v !== undefined)) as CertificateFacts['device'],
    ...(conns.length ? { sessionStart: conns[0].connectedAt, sessionEnd: end } : {}),
    listener: {
      url: listener.url,
      certificate: listener.certificate,
      tlsVersions: uniq(conns.map((c) => c.tls?.version)),
      ciphers: uniq(conns.map((c) => c.tls?.standardName ?? c.tls?.cipher)),
      authForms: uniq(conns.map((c) => c.authForm)),
    },
    ...(interrupted ? { interrupted } : {}),
  };
}
