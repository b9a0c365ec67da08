import type { Clock } from '../clock/clock.js';
import type { QuirkName } from '../chargepoint/quirks.js';
import type { StateStore } from '../chargepoint/types.js';
import type { CsmsSession } from '../csms/session.js';
import { ChargerHost } from '../host/charger-host.js';
import { memoryStateStore } from '../host/state-file.js';
import type { ChargePointErrorCode } from '../ocpp/types.js';
import type { EvSettings } from '../scenario/context.js';
import type { PemPair } from '../transport/pki.js';

export type ActName = 'plug' | 'unplug' | 'presentIdTag' | 'fault' | 'clearFault' | 'setEv' | 'dropNetwork' | 'restoreNetwork' | 'reboot';

/** One physical act with its arguments, as a step asks for it. */
export interface DeviceAct {
  readonly kind: ActName;
  readonly connector?: number;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** How an act went, for the record: `done` false = not done (skipped). */
export interface DeviceActOutcome {
  readonly done: boolean;
  /** Who did it: the test bench's hook or the operator (after a prompt). */
  readonly via?: 'hook' | 'operator';
  /** True time its evidence was seen (real charger); reactions are judged from up to then. */
  readonly confirmedAt?: number;
  /** Done while the charger was offline: its evidence can only come after the reconnect. */
  readonly deferred?: boolean;
  /** A line for the report (the hook's answer, why it was not done). */
  readonly note?: string;
}

/**
 * The charger certify tests: our own virtual charger (acts done by the harness) or a real one
 * (acts asked of the operator). `perform` resolves true when the act happened.
 */
export interface ChargerUnderTest {
  readonly kind: 'self' | 'real';
  /** Fresh start for a scenario: power on (self) or make the charger reconnect and boot (real). */
  connect(session: CsmsSession | undefined): Promise<void>;
  /** Whether the act happened (or, for a real charger, how: DeviceActOutcome). */
  perform(act: DeviceAct): Promise<boolean | DeviceActOutcome>;
  /** What the harness can observe directly (self); undefined means "ask the CSMS's view". */
  status?(connectorId: number): string | undefined;
  powerW?(connectorId: number): number | undefined;
  energyWh?(connectorId: number): number | undefined;
  endScenario(): void;
  /** A connection error our own charger saw (TLS certificate judged by its clock, …). */
  onError?(listener: (code: string, message: string) => void): void;
}

export interface SelfChargerOptions {
  id: string;
  password: string;
  csmsUrl: string;
  ca: string;
  clock: Clock;
  quirks: readonly QuirkName[];
  state: StateStore;
  /** A new, empty memory at the next power-on (the OCPP 1.6 catalogue: each case starts from a charger fresh from the factory). */
  freshState?: boolean;
  /** A client certificate to present when the listener asks for one (PLT-SEC-3). */
  clientCert?: PemPair;
  /** Manufacturer roots for signed firmware (SignedUpdateFirmware). */
  manufacturerRoots?: readonly string[];
}

/** chargecheck's own virtual charger as the device under test; one power-on per scenario, one memory. */
export class VirtualChargerUnderTest implements ChargerUnderTest {
  readonly kind = 'self';
  private host: ChargerHost | undefined;
  private readonly errorListeners: ((code: string, message: string) => void)[] = [];

  /** A new, empty memory at each power-on (certify sets it per scenario: true for catalogue cases). */
  freshState: boolean;

  constructor(private readonly options: SelfChargerOptions) {
    this.freshState = options.freshState ?? false;
  }

  async connect(): Promise<void> {
    this.endScenario();
    const o = this.options;
    const host = new ChargerHost({
      id: o.id,
      clock: o.clock,
      csmsUrl: o.csmsUrl,
      authorizationKey: o.password,
      ca: o.ca,
      quirks: o.quirks,
      state: this.freshState ? memoryStateStore() : o.state,
      ...(o.clientCert ? { clientCert: o.clientCert } : {}),
      ...(o.manufacturerRoots?.length ? { manufacturerRoots: o.manufacturerRoots } : {}),
      backoff: { baseMs: 5_000, capMs: 60_000 },
    });
    host.on('error', (err) => {
      for (const l of this.errorListeners) l(err.code, err.message);
    });
    this.host = host;
    host.start();
  }

  async perform(act: DeviceAct): Promise<boolean> {
    const host = this.host;
    if (!host) return false;
    const m = host.model;
    const c = act.connector ?? 1;
    switch (act.kind) {
      case 'plug':
        m.plug(c);
        break;
      case 'unplug':
        m.unplug(c);
        break;
      case 'presentIdTag':
        await m.presentIdTag(String(act.detail?.tag ?? ''), c);
        break;
      case 'fault':
        m.fault(c, (act.detail?.errorCode as ChargePointErrorCode | undefined) ?? 'OtherError');
        break;
      case 'clearFault':
        m.clearFault(c);
        break;
      case 'setEv':
        m.setEv(c, (act.detail ?? {}) as EvSettings);
        break;
      case 'dropNetwork':
        host.dropNetwork();
        break;
      case 'restoreNetwork':
        host.restoreNetwork();
        break;
      case 'reboot':
        // Hard: the power is cut and restored (what was running ends with PowerLoss); Soft: a restart
        m.reboot(act.detail?.type === 'Soft' ? 'Reboot' : 'PowerLoss');
        break;
    }
    return true;
  }

  status(c: number): string | undefined {
    return this.host?.model.status(c);
  }

  powerW(c: number): number | undefined {
    return this.host?.model.powerW(c);
  }

  energyWh(c: number): number | undefined {
    return this.host?.model.energyWh(c);
  }

  endScenario(): void {
    this.host?.stop();
    this.host = undefined;
  }

  onError(listener: (code: string, message: string) => void): void {
    this.errorListeners.push(listener);
  }
}
