import type { CsmsSession } from '../csms/session.js';
import type { RunTime } from '../scenario/context.js';
import type { Act, ChargerUnderTest } from './charger-under-test.js';

export interface RealChargerOptions {
  time: RunTime;
  /** The charger's current session at the certify CSMS, if connected. */
  session: () => CsmsSession | undefined;
  /** Ask a person to act; false = `--non-interactive` (the act becomes a "needs an operator" verdict). */
  interactive: boolean;
  /** How long to wait for the evidence of an act (default 3 min). */
  actTimeoutMs?: number;
  /** How long to wait for the charger to (re)connect at the start of a scenario (default 10 min). */
  connectTimeoutMs?: number;
  prompt: (text: string) => void;
}

const PLUGGED = new Set(['Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing']);

/**
 * A real charger under test: chargecheck cannot plug a car in, so each act is a prompt to the
 * operator, and the harness waits (with a visible countdown) for the evidence in the charger's own
 * messages — e.g. StatusNotification Preparing after "plug in an EV".
 */
export class RealCharger implements ChargerUnderTest {
  readonly kind = 'real';
  constructor(private readonly o: RealChargerOptions) {}

  async connect(session: CsmsSession | undefined): Promise<void> {
    if (session?.isOpen) {
      // A plain reconnect needs no new BootNotification (OCPP-J 5.4): ask for a reboot instead.
      await session.call('Reset', { type: 'Hard' }).catch(() => undefined);
      await this.o.time.waitUntil(() => this.o.session() !== session && this.o.session()?.boot !== undefined, this.o.connectTimeoutMs ?? 10 * 60_000, 'the charger to reboot and reconnect');
      return;
    }
    this.o.prompt('Connect the charger to this listener (power it on or point it here).');
    await this.o.time.waitUntil(() => this.o.session()?.isOpen === true, this.o.connectTimeoutMs ?? 10 * 60_000, 'the charger to connect');
  }

  async perform(act: Act): Promise<boolean> {
    if (!this.o.interactive) return false;
    const c = act.connector ?? 1;
    const before = this.o.session();
    const status = () => this.o.session()?.connectors.get(c)?.status;
    const [text, evidence]: [string, () => boolean] = (() => {
      switch (act.kind) {
        case 'plug':
          return [`Plug an EV into connector ${c}.`, () => PLUGGED.has(status() ?? '')];
        case 'unplug':
          return [`Unplug the EV from connector ${c}.`, () => status() === 'Available'];
        case 'presentIdTag':
          return [`Present the card ${String(act.detail?.tag ?? '')} at connector ${c}.`, () => status() === 'Charging' || status() === 'SuspendedEV' || status() === 'SuspendedEVSE'];
        case 'fault':
          return [`Cause a fault on connector ${c} (e.g. trip the ground-fault test).`, () => status() === 'Faulted'];
        case 'clearFault':
          return [`Clear the fault on connector ${c}.`, () => status() !== undefined && status() !== 'Faulted'];
        case 'setEv':
          return act.detail?.paused ? [`Pause charging from the car on connector ${c}.`, () => status() === 'SuspendedEV'] : [`Let the car on connector ${c} charge again.`, () => status() === 'Charging'];
        case 'dropNetwork':
          return ['Disconnect the charger from the network (unplug its Ethernet / disable its modem).', () => !this.o.session()?.isOpen];
        case 'restoreNetwork':
          return ['Reconnect the charger to the network.', () => this.o.session() !== before && this.o.session()?.isOpen === true];
        case 'reboot':
          return ['Power-cycle the charger.', () => this.o.session() !== before && this.o.session()?.boot !== undefined];
      }
    })();
    this.o.prompt(text);
    return this.o.time.waitUntil(evidence, this.o.actTimeoutMs ?? 3 * 60_000, text);
  }

  endScenario(): void {}
}
