import type { Charger } from './charger.js';
import type { FirmwareUpdater } from './firmware.js';
import type { Registration } from './registration.js';
import type { LogUploadState } from './security/get-log.js';
import type { SignedFirmwareUpdater } from './security/signed-firmware.js';

/** Why the charger restarts; also the StopTransaction reason of what was running (PowerLoss: the mains were cut). */
export type RebootReason = 'Reboot' | 'SoftReset' | 'HardReset' | 'PowerLoss';

/** What the CSMS-initiated handlers act on: the charger's parts and its reboot. */
export interface Runtime {
  readonly ch: Charger;
  readonly registrar: Registration;
  readonly firmware: FirmwareUpdater;
  /** Security whitepaper: signed firmware updates and log uploads (GetLog). */
  readonly security: { readonly firmware: SignedFirmwareUpdater; readonly log: LogUploadState };
  reboot(reason: RebootReason): void;
}
