import type * as x509 from '@peculiar/x509';
import { hashData, parseChain, parseOne, sameCert, sameHashData, type CertificateHashData, type HashAlgorithm } from './x509.js';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export type RootType = 'CentralSystemRootCertificate' | 'ManufacturerRootCertificate';

/** A root certificate as installed (PEM). */
export interface InstalledRoot {
  type: RootType;
  pem: string;
}

/** What the store persists; plain JSON. */
export interface CertStoreState {
  roots: InstalledRoot[];
  /** The charge point certificate chain (leaf first, PEM) and its private key (PKCS#8 PEM). */
  chargePoint?: { chain: string; key: string };
  /** The key of the CSR awaiting CertificateSigned. */
  pendingKey?: string;
}

export type InstallOutcome = 'Accepted' | 'Rejected' | 'Failed';
export type DeleteOutcome = 'Accepted' | 'Failed' | 'NotFound';

/**
 * The charger's certificate store (whitepaper M03-M05, A02): CSMS and manufacturer root
 * certificates, bounded by CertificateStoreMaxLength, and the charge point's own certificate and
 * key. It checks shapes only; chain checks need time and crypto and live in security.ts.
 */
export class CertStore {
  private roots: InstalledRoot[];
  private own?: { chain: string; key: string };
  pendingKey?: string;

  constructor(saved?: CertStoreState) {
    this.roots = [...(saved?.roots ?? [])];
    if (saved?.chargePoint) this.own = { ...saved.chargePoint };
    if (saved?.pendingKey) this.pendingKey = saved.pendingKey;
  }

  /** Parsed roots of a type (or all), skipping any that no longer parse. */
  rootCerts(type?: RootType): x509.X509Certificate[] {
    return this.roots.filter((r) => !type || r.type === type).flatMap((r) => {
      const c = parseOne(r.pem);
      return c ? [c] : [];
    });
  }

  rootPems(type?: RootType): string[] {
    return this.roots.filter((r) => !type || r.type === type).map((r) => r.pem);
  }

  get size(): number {
    return this.roots.length;
  }

  /**
   * Adds the PEM blocks of `pem` as roots without parsing them (a fleet of chargers built with the
   * same CA pays nothing); they are parsed when used, and one that does not parse is skipped then.
   */
  seed(type: RootType, pem: string): void {
    for (const block of pem.match(PEM_BLOCK) ?? []) {
      if (!this.roots.some((r) => r.type === type && r.pem.trim() === block.trim())) this.roots.push({ type, pem: block });
    }
  }

  /** Adds a root (already checked); a certificate installed twice is kept once. */
  add(type: RootType, pem: string): InstallOutcome {
    const cert = parseOne(pem);
    if (!cert) return 'Rejected';
    const same = this.roots.findIndex((r) => r.type === type && sameOrNone(r.pem, cert));
    if (same >= 0) return 'Accepted';
    this.roots.push({ type, pem: cert.toString('pem') });
    return 'Accepted';
  }

  /** GetInstalledCertificateIds: the hash data of every root of a type. */
  ids(type: RootType, algorithm: HashAlgorithm = 'SHA256'): CertificateHashData[] {
    return this.rootCerts(type).map((c) => hashData(c, algorithm));
  }

  /** The installed root that `data` names (hashes recomputed with its algorithm). */
  find(data: CertificateHashData): InstalledRoot | undefined {
    return this.roots.find((r) => {
      const c = parseOne(r.pem);
      return c !== undefined && sameHashData(hashData(c, data.hashAlgorithm), data);
    });
  }

  remove(root: InstalledRoot): void {
    this.roots = this.roots.filter((r) => r !== root);
  }

  /** The charge point certificate chain and key, when it has one. */
  get chargePoint(): { chain: string; key: string } | undefined {
    return this.own;
  }

  /** The leaf of the charge point certificate chain. */
  chargePointLeaf(): x509.X509Certificate | undefined {
    if (!this.own) return undefined;
    try {
      return parseChain(this.own.chain)[0];
    } catch {
      return undefined;
    }
  }

  setChargePoint(chain: string, key: string): void {
    this.own = { chain, key };
  }

  toJSON(): CertStoreState {
    const out: CertStoreState = { roots: this.roots.map((r) => ({ ...r })) };
    if (this.own) out.chargePoint = { ...this.own };
    if (this.pendingKey) out.pendingKey = this.pendingKey;
    return out;
  }
}

function sameOrNone(pem: string, cert: x509.X509Certificate): boolean {
  const other = parseOne(pem);
  return other !== undefined && sameCert(other, cert);
}
