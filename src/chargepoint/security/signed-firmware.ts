import { verify } from 'node:crypto';
import type { SignedFirmwareStatusNotificationRequest, SignedUpdateFirmwareRequest, SignedUpdateFirmwareResponse } from '../../ocpp/types.js';
import type { CallContext } from '../../rpc/port.js';
import type { Charger } from '../charger.js';
import { versionFromName } from '../firmware.js';
import type { RebootReason } from '../runtime.js';
import { chainProblem, parseOne } from './x509.js';

export type SignedFirmwareStatus = SignedFirmwareStatusNotificationRequest['status'];

/** How long installing takes before the reboot (as the legacy flow). */
const INSTALL_MS = 10_000;
/** How far ahead of the charger's clock a retrieveDateTime still counts as now. */
const SAME_MOMENT_MS = 1_000;
const ACTIVE: readonly SignedFirmwareStatus[] = ['DownloadScheduled', 'Downloading', 'Downloaded', 'SignatureVerified', 'InstallScheduled', 'Installing', 'InstallRebooting'];

/**
 * SignedUpdateFirmware (WP2 L01, digest §2.5). Before answering, the signing certificate must
 * chain to an installed ManufacturerRootCertificate: otherwise InvalidCertificate and the security
 * event InvalidFirmwareSigningCertificate. Then, from retrieveDateTime: Downloading → Downloaded →
 * the image's signature (base64, SHA-256 with the certificate's RSA or EC key) checked →
 * SignatureVerified, or InvalidSignature and the event InvalidFirmwareSignature → wait for
 * transactions to end (and installDateTime) → Installing → InstallRebooting → reboot →
 * Installed after the next accepted boot, with the critical event FirmwareUpdated. Every status
 * carries the requestId. Quirk `unsigned-firmware` installs an image whose signature fails.
 */
export class SignedFirmwareUpdater {
  status: SignedFirmwareStatus = 'Idle';
  requestId?: number;
  /** Bumped for every new request, so a replaced update's timers stop. */
  private generation = 0;

  constructor(
    private readonly ch: Charger,
    private readonly reboot: (reason: RebootReason) => void,
  ) {}

  async update(req: SignedUpdateFirmwareRequest, ctx: CallContext): Promise<SignedUpdateFirmwareResponse> {
    const ch = this.ch;
    const problem = await this.certificateProblem(req.firmware.signingCertificate);
    if (problem) {
      ch.log(`SignedUpdateFirmware #${req.requestId}: InvalidCertificate (${problem})`);
      ch.securityEvents.raise('InvalidFirmwareSigningCertificate', problem, true);
      return { status: 'InvalidCertificate' };
    }
    const replaced = ACTIVE.includes(this.status);
    const gen = ++this.generation;
    this.requestId = req.requestId;
    const start = Date.parse(req.firmware.retrieveDateTime);
    // Two clocks never agree to the millisecond: a retrieveDateTime less than a second ahead of ours
    // means "now" (the CSMS stamped it as it sent), not a download scheduled for later.
    const ahead = Number.isNaN(start) ? 0 : start - ch.time.now();
    const delay = ahead < SAME_MOMENT_MS ? 0 : ahead;
    const retries = Math.max(0, req.retries ?? 0);
    const intervalMs = Math.max(1, req.retryInterval ?? 60) * 1000;
    ch.log(`SignedUpdateFirmware #${req.requestId} ${req.firmware.location}: download in ${Math.round(delay / 1000)} s${replaced ? ' (the running update is cancelled)' : ''}`);
    ctx.afterReply(() => {
      if (delay > 0) this.notify('DownloadScheduled');
      ch.after(delay, () => void this.download(gen, req, retries, intervalMs));
    });
    return { status: replaced ? 'AcceptedCanceled' : 'Accepted' };
  }

  private async certificateProblem(pem: string | undefined): Promise<string | undefined> {
    if (!pem) return 'no signing certificate';
    const cert = parseOne(pem);
    if (!cert) return 'the signing certificate is not one PEM certificate';
    const release = this.ch.time.clock.hold(`${this.ch.setup.id} signing certificate check`);
    try {
      return await chainProblem([cert], this.ch.certs.rootCerts('ManufacturerRootCertificate'), this.ch.time.now());
    } finally {
      release();
    }
  }

  private async download(gen: number, req: SignedUpdateFirmwareRequest, retriesLeft: number, intervalMs: number): Promise<void> {
    const ch = this.ch;
    if (gen !== this.generation) return;
    this.notify('Downloading');
    if (ch.has('firmware-stalls')) return; // the quirk stalls the signed flow as it does UpdateFirmware
    let image: { bytes: number; name: string; data?: Uint8Array } | undefined;
    if (ch.setup.files) {
      const release = ch.time.clock.hold(`${ch.setup.id} signed firmware download`);
      try {
        image = await ch.setup.files.download(req.firmware.location);
      } catch (err) {
        ch.log(`signed firmware download failed: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        release();
      }
    }
    if (ch.poweredOff || gen !== this.generation) return;
    if (!image) {
      if (retriesLeft > 0) ch.after(intervalMs, () => void this.download(gen, req, retriesLeft - 1, intervalMs));
      else this.notify('DownloadFailed');
      return;
    }
    this.notify('Downloaded');
    if (!signatureValid(image.data, req.firmware.signingCertificate ?? '', req.firmware.signature ?? '')) {
      if (!ch.has('unsigned-firmware')) {
        this.notify('InvalidSignature');
        ch.securityEvents.raise('InvalidFirmwareSignature', `image ${image.name}`, true);
        return;
      }
      ch.log('firmware signature does not verify; installing anyway (quirk unsigned-firmware)');
    } else {
      this.notify('SignatureVerified');
    }
    const installAt = req.firmware.installDateTime ? Date.parse(req.firmware.installDateTime) : Number.NaN;
    const wait = Number.isNaN(installAt) ? 0 : Math.max(0, installAt - ch.time.now());
    if (wait > 0 || ch.outlets.some((c) => c.tx)) this.notify('InstallScheduled');
    ch.after(wait, () => this.whenIdle(() => this.install(gen, image)));
  }

  private whenIdle(fn: () => void): void {
    const ch = this.ch;
    if (!ch.outlets.some((c) => c.tx)) return fn();
    const off = ch.events.on('transactionStopped', () => {
      if (ch.outlets.some((c) => c.tx)) return;
      off();
      ch.guard(fn);
    });
  }

  private install(gen: number, image: { bytes: number; name: string }): void {
    const ch = this.ch;
    if (gen !== this.generation) return;
    this.notify('Installing');
    ch.after(INSTALL_MS, () => {
      if (gen !== this.generation) return;
      if (image.bytes <= 0) {
        this.notify('InstallationFailed');
        return;
      }
      this.notify('InstallRebooting');
      ch.firmwareVersion = versionFromName(image.name);
      ch.signedFirmwareInstalled = this.requestId ?? 0;
      ch.persist();
      this.reboot('Reboot');
    });
  }

  /** After an accepted boot that completes a signed install: Installed and FirmwareUpdated. */
  afterBoot(): void {
    const ch = this.ch;
    const id = ch.signedFirmwareInstalled;
    if (id === undefined) return;
    ch.signedFirmwareInstalled = undefined;
    this.requestId = id;
    ch.persist();
    this.notify('Installed');
    ch.securityEvents.raise('FirmwareUpdated', `firmware ${ch.firmwareVersion}`);
  }

  notify(status: SignedFirmwareStatus): void {
    const ch = this.ch;
    this.status = status;
    ch.log(`signed firmware: ${status}`);
    ch.events.emit('firmware', { status });
    const payload = this.requestId === undefined ? { status } : { status, requestId: this.requestId };
    ch.link.call('SignedFirmwareStatusNotification', payload).catch((err: unknown) => {
      ch.log(`SignedFirmwareStatusNotification ${status} not delivered: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  /** What ExtendedTriggerMessage(FirmwareStatusNotification) reports: Idle unless in progress. */
  triggered(): SignedFirmwareStatusNotificationRequest {
    const status: SignedFirmwareStatus = ACTIVE.includes(this.status) ? this.status : 'Idle';
    return status !== 'Idle' && this.requestId !== undefined ? { status, requestId: this.requestId } : { status };
  }
}

/** Whether `signature` (base64) is a valid SHA-256 signature of `data` by the certificate's key. */
export function signatureValid(data: Uint8Array | undefined, certificatePem: string, signature: string): boolean {
  if (!data || !signature) return false;
  try {
    return verify('sha256', data, certificatePem, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
