/**
 * Certificate management of the security whitepaper in the virtual charger (digest §2.4, §2.5):
 * SignCertificate with a fresh key and CSR, CertificateSigned checked before it is taken,
 * InstallCertificate, GetInstalledCertificateIds and DeleteCertificate.
 */
import type {
  CertificateSignedRequest,
  CertificateSignedResponse,
  DeleteCertificateRequest,
  DeleteCertificateResponse,
  GetInstalledCertificateIdsRequest,
  GetInstalledCertificateIdsResponse,
  InstallCertificateRequest,
  InstallCertificateResponse,
} from '../../ocpp/types.js';
import type { CallContext } from '../../rpc/port.js';
import type { Charger } from '../charger.js';
import { chainProblem, generateCsr, keyMatches, nameAttribute, parseChain, parseOne, sameCert, validAt } from './x509.js';

/**
 * Builds a key and CSR (CN = charge point id, O = CpoName) and sends SignCertificate. The key is
 * kept as pending until a CertificateSigned with a matching certificate arrives (dropped when the
 * CSMS answers Rejected).
 */
export async function requestCertificate(ch: Charger): Promise<void> {
  const release = ch.time.clock.hold(`${ch.setup.id} CSR`);
  let csrPem: string;
  try {
    const cpo = ch.config.get('CpoName') || undefined;
    const made = await generateCsr(ch.setup.id, cpo);
    ch.certs.pendingKey = made.keyPem;
    csrPem = made.csrPem;
    ch.persist();
  } finally {
    release();
  }
  const res = await ch.link.call('SignCertificate', { csr: csrPem }, true);
  ch.log(`SignCertificate: ${res.status}`);
  if (res.status === 'Rejected' && ch.certs.pendingKey) {
    // nothing will be signed: forget the key, so a later trigger or boot asks again
    ch.certs.pendingKey = undefined;
    ch.persist();
  }
}

/** A03: renew the charge point certificate when it ends within this long. */
export const RENEW_BEFORE_MS = 30 * 86_400_000;

/**
 * A03: after every accepted boot, a charge point certificate that ends within RENEW_BEFORE_MS
 * (on the charger's clock) is renewed: a new key and SignCertificate, unless a CSR is pending.
 */
export function renewIfExpiring(ch: Charger): void {
  const leaf = ch.certs.chargePointLeaf();
  if (!leaf || ch.certs.pendingKey) return;
  const left = leaf.notAfter.getTime() - ch.time.now();
  if (left > RENEW_BEFORE_MS) return;
  ch.log(`charge point certificate ends in ${Math.max(0, Math.round(left / 86_400_000))} day(s): renewing (A03)`);
  requestCertificate(ch).catch((err: unknown) => ch.log(`certificate renewal failed: ${err instanceof Error ? err.message : String(err)}`));
}

/**
 * CertificateSigned (A02/A03): Accepted only for a chain that leads to an installed
 * CentralSystemRootCertificate, is valid now, whose leaf carries the key of the pending CSR (or the
 * current key) and names this charge point (CN = id; O = CpoName when set). Otherwise Rejected
 * and the security event InvalidChargePointCertificate. Under Security Profile 3 the charger
 * reconnects with the new certificate. Quirk `accept-any-certificate` takes any parseable chain.
 */
export async function certificateSigned(ch: Charger, req: CertificateSignedRequest, ctx: CallContext): Promise<CertificateSignedResponse> {
  const problem = await signedChainProblem(ch, req.certificateChain);
  const key = ch.certs.pendingKey ?? ch.certs.chargePoint?.key;
  if (problem && !(ch.has('accept-any-certificate') && key && parses(req.certificateChain))) {
    ch.log(`CertificateSigned: Rejected (${problem})`);
    ch.securityEvents.raise('InvalidChargePointCertificate', problem, true);
    return { status: 'Rejected' };
  }
  if (problem) ch.log(`CertificateSigned: taken although ${problem} (quirk accept-any-certificate)`);
  ch.certs.setChargePoint(req.certificateChain, key!);
  ch.certs.pendingKey = undefined;
  ch.persist();
  ch.log('CertificateSigned: Accepted, new charge point certificate installed');
  if (ch.config.int('SecurityProfile') === 3) ctx.afterReply(() => ch.setup.host?.reconnect('certificate-renewed'));
  return { status: 'Accepted' };
}

function parses(pem: string): boolean {
  try {
    return parseChain(pem).length > 0;
  } catch {
    return false;
  }
}

async function signedChainProblem(ch: Charger, pem: string): Promise<string | undefined> {
  if (pem.length > ch.config.int('CertificateSignedMaxChainSize')) return 'chain longer than CertificateSignedMaxChainSize';
  let chain;
  try {
    chain = parseChain(pem);
  } catch {
    return 'the chain does not parse as PEM certificates';
  }
  const leaf = chain[0];
  if (!leaf) return 'no certificate in the chain';
  const key = ch.certs.pendingKey ?? ch.certs.chargePoint?.key;
  if (!key) return 'no certificate signing request is pending';
  if (!keyMatches(leaf, key)) return 'the certificate does not carry the key of the signing request';
  const cn = nameAttribute(leaf.subjectName, 'CN');
  if (cn !== ch.setup.id) return `subject CN '${cn ?? ''}' is not the charge point id '${ch.setup.id}'`;
  const cpo = ch.config.get('CpoName');
  if (cpo && nameAttribute(leaf.subjectName, 'O') !== cpo) return `subject O is not the CpoName '${cpo}'`;
  const release = ch.time.clock.hold(`${ch.setup.id} chain check`);
  try {
    return await chainProblem(chain, ch.certs.rootCerts('CentralSystemRootCertificate'), ch.time.now());
  } finally {
    release();
  }
}

/**
 * InstallCertificate (M05): a single PEM certificate, valid now; Rejected otherwise (for a CSMS
 * root also the security event InvalidCentralSystemCertificate). Failed when
 * the store already holds CertificateStoreMaxLength roots. With AdditionalRootCertificateCheck a
 * new CSMS root must be signed by an installed one. Quirk `install-certificate-ignored` answers
 * Accepted and stores nothing.
 */
export async function installCertificate(ch: Charger, req: InstallCertificateRequest): Promise<InstallCertificateResponse> {
  const cert = parseOne(req.certificate);
  if (!cert || !validAt(cert, ch.time.now())) {
    const why = cert ? 'not valid now' : 'not one PEM certificate';
    ch.log(`InstallCertificate ${req.certificateType}: Rejected (${why})`);
    // a CSMS root refused is an invalid CentralSystemCertificate (the event TC_078 looks for)
    if (req.certificateType === 'CentralSystemRootCertificate') ch.securityEvents.raise('InvalidCentralSystemCertificate', `InstallCertificate: ${why}`, true);
    return { status: 'Rejected' };
  }
  if (ch.has('install-certificate-ignored')) {
    ch.log(`InstallCertificate ${req.certificateType}: Accepted, not stored (quirk install-certificate-ignored)`);
    return { status: 'Accepted' };
  }
  if (req.certificateType === 'CentralSystemRootCertificate' && ch.config.bool('AdditionalRootCertificateCheck')) {
    const release = ch.time.clock.hold(`${ch.setup.id} root check`);
    try {
      const olds = ch.certs.rootCerts('CentralSystemRootCertificate');
      const signed = await Promise.all(olds.map((o) => cert.verify({ publicKey: o.publicKey, signatureOnly: true })));
      if (olds.length > 0 && !signed.some(Boolean)) return { status: 'Rejected' };
    } finally {
      release();
    }
  }
  const known = ch.certs.rootCerts(req.certificateType).some((c) => sameCert(c, cert));
  if (!known && ch.certs.size >= ch.config.int('CertificateStoreMaxLength')) {
    ch.log(`InstallCertificate ${req.certificateType}: Failed (store full: CertificateStoreMaxLength)`);
    return { status: 'Failed' };
  }
  const status = ch.certs.add(req.certificateType, req.certificate);
  ch.persist();
  ch.log(`InstallCertificate ${req.certificateType} '${cert.subject}': ${status}`);
  return { status };
}

export function getInstalledCertificateIds(ch: Charger, req: GetInstalledCertificateIdsRequest): GetInstalledCertificateIdsResponse {
  const ids = ch.certs.ids(req.certificateType);
  return ids.length > 0 ? { status: 'Accepted', certificateHashData: ids } : { status: 'NotFound' };
}

/**
 * DeleteCertificate (M04): removes the root the hash data names; NotFound for unknown hash data
 * (hashes are recomputed with the algorithm asked for). Quirk
 * `delete-certificate-ignored` answers Accepted and keeps the certificate.
 */
export function deleteCertificate(ch: Charger, req: DeleteCertificateRequest): DeleteCertificateResponse {
  const root = ch.certs.find(req.certificateHashData);
  if (!root) return { status: 'NotFound' };
  if (ch.has('delete-certificate-ignored')) {
    ch.log('DeleteCertificate: Accepted, kept (quirk delete-certificate-ignored)');
    return { status: 'Accepted' };
  }
  ch.certs.remove(root);
  ch.persist();
  ch.log(`DeleteCertificate ${root.type} ${req.certificateHashData.serialNumber}: Accepted`);
  return { status: 'Accepted' };
}
