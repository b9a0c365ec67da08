import type { Charger } from './charger.js';
import type { FirmwareUpdater } from './firmware.js';
import type { Registration } from './registration.js';

export type RebootReason = 'Reboot' | 'SoftReset' | 'HardReset';

/** What the CSMS-initiated handlers act on: the charger's parts and its reboot. */
export interface Runtime {
  readonly ch: Charger;
  readonly registrar: Registration;
  readonly firmware: FirmwareUpdater;
  reboot(reason: RebootReason): void;
}
