import type { FirmwareStatusNotificationRequest, UpdateFirmwareRequest } from '../ocpp/types.js';
import type { Charger } from './charger.js';
import type { RebootReason } from './runtime.js';

type FirmwareStatus = FirmwareStatusNotificationRequest['status'];

/** How long installing takes before the reboot. */
const INSTALL_MS = 10_000;

/** The firmware version a downloaded image carries: the first `1.2.3`-like part of its name, else the name. */
export function versionFromName(name: string): string {
  const base = (name.split('/').pop() ?? name).replace(/\.(bin|img|zip|tar|gz|tgz|hex|fw)$/i, '');
  const m = /\d+(?:\.\d+)+(?:[-+][\w.]+)?/.exec(base);
  return (m ? m[0] : base).slice(0, 50);
}

/**
 * UpdateFirmware (digest §10): from retrieveDate, Downloading → Downloaded (retries on failure,
 * then DownloadFailed) → wait for transactions to end → Installing → reboot → BootNotification
 * with the new firmwareVersion → Installed. An empty image ends in InstallationFailed. The
 * `firmware-stalls` quirk stops after Downloading.
 */
export class FirmwareUpdater {
  constructor(
    private readonly ch: Charger,
    private readonly reboot: (reason: RebootReason) => void,
  ) {}

  update(req: UpdateFirmwareRequest): void {
    const start = Date.parse(req.retrieveDate);
    const delay = Number.isNaN(start) ? 0 : Math.max(0, start - this.ch.time.now());
    const retries = Math.max(0, req.retries ?? 0);
    const intervalMs = Math.max(1, req.retryInterval ?? 60) * 1000;
    this.ch.log(`UpdateFirmware ${req.location}: download in ${Math.round(delay / 1000)} s, ${retries} retries`);
    this.ch.after(delay, () => void this.download(req.location, retries, intervalMs));
  }

  private async download(url: string, retriesLeft: number, intervalMs: number): Promise<void> {
    this.notify('Downloading');
    if (this.ch.has('firmware-stalls')) return;
    const files = this.ch.setup.files;
    let image: { bytes: number; name: string } | undefined;
    if (files) {
      const release = this.ch.time.clock.hold(`${this.ch.setup.id} firmware download`);
      try {
        image = await files.download(url);
      } catch (err) {
        this.ch.log(`firmware download failed: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        release();
      }
    }
    if (this.ch.poweredOff) return;
    if (!image) {
      if (retriesLeft > 0) {
        this.ch.after(intervalMs, () => void this.download(url, retriesLeft - 1, intervalMs));
        return;
      }
      this.notify('DownloadFailed');
      return;
    }
    this.notify('Downloaded');
    this.whenIdle(() => this.install(image));
  }

  /** Runs `fn` once no transaction is running. */
  private whenIdle(fn: () => void): void {
    if (!this.ch.outlets.some((c) => c.tx)) return fn();
    const off = this.ch.events.on('transactionStopped', () => {
      if (this.ch.outlets.some((c) => c.tx)) return;
      off();
      this.ch.guard(fn);
    });
  }

  private install(image: { bytes: number; name: string }): void {
    this.notify('Installing');
    this.ch.after(INSTALL_MS, () => {
      if (image.bytes <= 0) {
        this.notify('InstallationFailed');
        return;
      }
      this.ch.firmwareVersion = versionFromName(image.name);
      this.ch.firmwareInstalled = true;
      this.ch.persist();
      this.reboot('Reboot');
    });
  }

  /** After an accepted boot: Installed, if this boot completes an install. */
  afterBoot(): void {
    if (!this.ch.firmwareInstalled) return;
    this.ch.firmwareInstalled = false;
    this.ch.persist();
    this.notify('Installed');
  }

  private notify(status: FirmwareStatus): void {
    this.ch.firmwareStatus = status;
    this.ch.log(`firmware: ${status}`);
    this.ch.events.emit('firmware', { status });
    this.ch.link.call('FirmwareStatusNotification', { status }).catch((err: unknown) => {
      this.ch.log(`FirmwareStatusNotification ${status} not delivered: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  /** The status a triggered FirmwareStatusNotification reports: Idle unless something is in progress. */
  triggeredStatus(): FirmwareStatus {
    const s = this.ch.firmwareStatus;
    return s === 'Downloading' || s === 'Downloaded' || s === 'Installing' ? s : 'Idle';
  }
}
