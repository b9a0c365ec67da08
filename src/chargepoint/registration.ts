import type { Timer } from '../clock/clock.js';
import type { BootNotificationRequest, BootNotificationResponse } from '../ocpp/types.js';
import type { Charger } from './charger.js';

/** Retry delay after a BootNotification that got no answer, and for interval 0 (Pending/Rejected). */
const BOOT_RETRY_MS = 30_000;

/**
 * Boot and liveness (digest §11): BootNotification until Accepted (Pending and Rejected wait
 * `interval`), the heartbeat (skipped when other traffic went out within the interval) and the
 * `currentTime` clock sync (switchable: a firmware that syncs vs one that drifts).
 */
export class Registration {
  /** Power-on or reboot: a BootNotification is due on the next connection. */
  needsBoot = true;
  private bootTimer?: Timer;
  private heartbeatTimer?: Timer;

  constructor(
    private readonly ch: Charger,
    private readonly accepted: () => void,
    private readonly resumed: () => void,
  ) {}

  connected(): void {
    if (this.needsBoot || this.ch.link.registration !== 'Accepted') {
      this.ch.link.registration = undefined;
      void this.boot();
    } else {
      this.startHeartbeat();
      this.resumed();
    }
  }

  disconnected(): void {
    this.bootTimer?.cancel();
    this.bootTimer = undefined;
    this.heartbeatTimer?.cancel();
    this.heartbeatTimer = undefined;
  }

  bootPayload(): BootNotificationRequest {
    const id = this.ch.setup.identity;
    const p: BootNotificationRequest = {
      chargePointVendor: id.vendor,
      chargePointModel: id.model,
      chargePointSerialNumber: id.serialNumber,
      firmwareVersion: this.ch.firmwareVersion,
      meterType: id.meterType,
    };
    if (id.meterSerialNumber) p.meterSerialNumber = id.meterSerialNumber;
    return p;
  }

  /** Sends a BootNotification (also when triggered) and acts on the answer. */
  async boot(): Promise<void> {
    this.bootTimer?.cancel();
    this.bootTimer = undefined;
    let conf: BootNotificationResponse;
    try {
      conf = await this.ch.link.call('BootNotification', this.bootPayload(), true);
    } catch (err) {
      this.ch.log(`BootNotification failed: ${err instanceof Error ? err.message : String(err)}`);
      if (this.ch.link.online && !this.ch.down) this.bootTimer = this.ch.after(BOOT_RETRY_MS, () => void this.boot());
      return;
    }
    this.ch.link.registration = conf.status;
    this.sync(conf.currentTime);
    this.ch.log(`BootNotification: ${conf.status} (interval ${conf.interval} s)`);
    this.ch.events.emit('boot', { status: conf.status, firmwareVersion: this.ch.firmwareVersion });
    if (conf.status === 'Accepted') {
      this.needsBoot = false;
      if (conf.interval > 0) this.ch.config.change('HeartbeatInterval', String(conf.interval));
      this.startHeartbeat();
      this.accepted();
      return;
    }
    this.heartbeatTimer?.cancel();
    if (this.ch.has('boot-no-retry')) return;
    const wait = conf.interval > 0 ? conf.interval * 1000 : BOOT_RETRY_MS;
    this.bootTimer = this.ch.after(wait, () => void this.boot());
  }

  /** Takes the CSMS's time, unless the firmware does not sync (option, or the `clock-off` quirk). */
  sync(currentTime: string): void {
    const ms = Date.parse(currentTime);
    if (!this.ch.setup.syncClockFromCsms || this.ch.has('clock-off') || Number.isNaN(ms)) return;
    const before = this.ch.time.now();
    this.ch.time.syncTo(ms);
    // a clock set by more than a second is a security event (WP2 §8), not the routine re-sync
    if (Math.abs(ms - before) >= 1000) this.ch.securityEvents.raise('SettingSystemTime', `clock moved by ${Math.round((ms - before) / 1000)} s`);
  }

  startHeartbeat(): void {
    this.heartbeatTimer?.cancel();
    this.heartbeatTimer = undefined;
    const intervalMs = this.ch.config.int('HeartbeatInterval') * 1000;
    if (intervalMs <= 0 || !this.ch.link.ready) return;
    const due = Math.max(this.ch.link.lastSentMs + intervalMs, this.ch.time.mono() + 1);
    this.heartbeatTimer = this.ch.after(due - this.ch.time.mono(), () => {
      this.heartbeatTimer = undefined;
      if (this.ch.time.mono() - this.ch.link.lastSentMs >= intervalMs) void this.heartbeat();
      this.startHeartbeat();
    });
  }

  async heartbeat(force = false): Promise<void> {
    try {
      const conf = await this.ch.link.call('Heartbeat', {}, force);
      this.sync(conf.currentTime);
    } catch (err) {
      this.ch.log(`Heartbeat failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
