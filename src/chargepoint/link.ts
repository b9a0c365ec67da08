import { ChargecheckError } from '../errors.js';
import type { ActionName } from '../ocpp/catalogue.js';
import type { RegistrationStatus, RequestOf, ResponseOf } from '../ocpp/types.js';
import type { OcppPort } from '../rpc/port.js';

/**
 * The charger's side of the connection: the current port (if any), the registration gate
 * (nothing but BootNotification, and triggered messages, before Accepted) and when something
 * last went out (a Heartbeat may be skipped after other traffic).
 */
export class Link {
  private port?: OcppPort;
  registration?: RegistrationStatus;
  /** Monotonic time of the last CALL we sent. */
  lastSentMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly mono: () => number) {}

  get online(): boolean {
    return this.port !== undefined;
  }

  /** Online and Accepted: any message may go out. */
  get ready(): boolean {
    return this.port !== undefined && this.registration === 'Accepted';
  }

  attach(port: OcppPort): void {
    this.port = port;
  }

  detach(): void {
    this.port = undefined;
  }

  /**
   * Sends a CALL. Rejects with CP_OFFLINE without a connection and CP_NOT_ACCEPTED before the
   * boot was accepted (unless `force`: BootNotification itself, and triggered messages).
   */
  call<A extends ActionName>(action: A, payload: RequestOf<A>, force = false): Promise<ResponseOf<A>> {
    const port = this.port;
    if (!port) return Promise.reject(new ChargecheckError('CP_OFFLINE', `${action} not sent: no connection`, { action }));
    if (!force && this.registration !== 'Accepted') {
      return Promise.reject(new ChargecheckError('CP_NOT_ACCEPTED', `${action} not sent: registration is ${this.registration ?? 'none'}`, { action }));
    }
    this.lastSentMs = this.mono();
    return port.call(action, payload);
  }
}
