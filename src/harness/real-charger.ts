import { readMeterValue } from '../csms/meter-reading.js';
import type { CsmsSession } from '../csms/session.js';
import { ChargecheckError } from '../errors.js';
import { timeOfDay } from '../conformance/evidence-text.js';
import type { RecordedFrame } from '../conformance/record.js';
import { TOLERANCE } from '../conformance/tolerances.js';
import type { MeterValue } from '../ocpp/types.js';
import type { RunTime } from '../scenario/context.js';
import { actWord, type ActHook } from './certify-act-hook.js';
import type { DeviceAct, DeviceActOutcome, ChargerUnderTest } from './charger-under-test.js';

export interface RealChargerOptions {
  time: RunTime;
  chargePointId?: string;
  /** The charger's current session at the certify CSMS, if connected. */
  session: () => CsmsSession | undefined;
  /**
   * Whether the scenario about to run scripts the answer to the charger's next BootNotification
   * (TC_001: Rejected first): then even the first connection, whose boot was answered before the
   * scenario began, must be made to boot afresh.
   */
  bootScripted?: () => boolean;
  /** Every frame recorded so far (the certify recorder's list): evidence is looked for in what arrives after a prompt. */
  frames: readonly RecordedFrame[];
  /** Ask a person to act; false = `--non-interactive` (without a hook the act becomes "needs an operator"). */
  interactive: boolean;
  /** `--act-hook`: performs acts unattended; the prompt is the fallback when it fails. */
  hook?: ActHook;
  /** How long to wait for the evidence of an act (default 3 min). */
  actTimeoutMs?: number;
  /** How long to wait for the charger to (re)connect at the start of a scenario (default 10 min). */
  connectTimeoutMs?: number;
  /** How long a charger that accepted Reset(Hard) may take to come back and boot (default 5 min). */
  rebootTimeoutMs?: number;
  prompt: (text: string) => void;
}

const PLUGGED = new Set(['Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing']);
const ENERGISED = new Set(['Charging', 'SuspendedEV', 'SuspendedEVSE']);
/** How long an operator gets for an act while the charger is offline (no evidence can confirm it). */
const OFFLINE_GRACE_MS = 30_000;
/** Acts on the hardware that a charger reports in a StatusNotification (or MeterValues). */
const REPORTED = new Set(['plug', 'unplug', 'presentIdTag', 'fault', 'clearFault', 'setEv']);

interface Ask {
  readonly text: string;
  /** What the charger must send afterwards, as the prompt names it. */
  readonly evidence: string;
  /** Whether it has arrived, looking at frames from index `from` on. */
  readonly seen: (from: number) => boolean;
}

/**
 * A real charger under test: chargecheck cannot plug a car in, so each act goes to the test
 * bench's hook (`--act-hook`) or is a prompt to the operator, and the harness waits (with a
 * visible countdown) for the evidence in the charger's own messages sent after it asked — e.g. a
 * StatusNotification Preparing after "plug in an EV". An act on a charger that is offline has no
 * evidence until it reconnects: it counts as done when asked, and the checks look for its report
 * after the reconnect.
 */
export class RealChargerUnderTest implements ChargerUnderTest {
  readonly kind = 'real';
  private started = false;

  constructor(private readonly o: RealChargerOptions) {}

  async connect(session: CsmsSession | undefined): Promise<void> {
    const o = this.o;
    const first = !this.started;
    this.started = true;
    if (session?.isOpen && first && !o.bootScripted?.()) {
      // The charger's first connection: its BootNotification is on its way or already recorded
      // (the first scenario sees it); resetting now would cut it off unanswered.
      return;
    }
    if (session?.isOpen) {
      // A plain reconnect needs no new BootNotification (OCPP-J 5.4): ask for a reboot instead.
      const sentAt = o.time.clock.now();
      const answer = await session.call('Reset', { type: 'Hard' }).then((r) => r.status, (err: unknown) => `no answer (${err instanceof Error ? err.message : String(err)})`);
      if (answer !== 'Accepted') throw new ChargecheckError('CERTIFY_NO_REBOOT', `Reset(Hard) at ${timeOfDay(sentAt)} → ${answer}: the charger cannot be made to boot afresh for this scenario`, { answer });
      const limit = o.rebootTimeoutMs ?? 5 * 60_000;
      const back = await o.time.waitUntil(() => this.fresh(session) !== undefined, limit, 'the charger to reboot after Reset(Hard) and send BootNotification');
      if (!back) {
        const still = session.isOpen ? 'its connection stayed open' : o.session() ? 'it reconnected without a BootNotification' : 'it went away and did not come back';
        throw new ChargecheckError('CERTIFY_NO_REBOOT', `Reset(Hard) accepted at ${timeOfDay(sentAt)}, but no reboot within ${Math.round(limit / 1000)} s (${still})`, { answer });
      }
      return;
    }
    o.prompt('Connect the charger to this listener (power it on or point it here).');
    await o.time.waitUntil(() => o.session()?.isOpen === true, o.connectTimeoutMs ?? 10 * 60_000, 'the charger to connect');
  }

  /** A session other than `old` on which the charger sent BootNotification. */
  private fresh(old: CsmsSession): CsmsSession | undefined {
    const s = this.o.session();
    return s && s !== old && s.boot !== undefined ? s : undefined;
  }

  async perform(act: DeviceAct): Promise<DeviceActOutcome> {
    const o = this.o;
    const c = act.connector ?? 1;
    const ask = this.ask(act, c);
    const offline = !o.session() && REPORTED.has(act.kind);
    const from = o.frames.length;
    const text = offline ? `${ask.text} (The charger is offline: its report is checked after it reconnects. You have ${OFFLINE_GRACE_MS / 1000} s.)` : `${ask.text} Evidence: ${ask.evidence}.`;
    let via: 'hook' | 'operator' = 'operator';
    let hookNote: string | undefined;
    if (o.hook) {
      const res = await o.hook({ act: actWord(act), connector: c, chargePointId: o.chargePointId ?? '', detail: act.detail ?? {}, prompt: ask.text }, o.actTimeoutMs ?? 3 * 60_000);
      hookNote = `act hook ${actWord(act)} ${c}: ${res.detail}`;
      if (res.ok) via = 'hook';
      else if (!o.interactive) return { done: false, note: hookNote };
      else o.prompt(`${hookNote}; asking the operator instead.`);
    } else if (!o.interactive) {
      return { done: false };
    }
    if (via === 'operator') o.prompt(text);
    if (offline) {
      // Nothing can confirm it now: a person gets a fixed time to do it (a hook has already done it).
      if (via === 'operator') await o.time.advance(OFFLINE_GRACE_MS);
      return { done: true, via, deferred: true, note: hookNote };
    }
    const seen = await o.time.waitUntil(() => ask.seen(from), o.actTimeoutMs ?? 3 * 60_000, `${ask.evidence} (after: ${ask.text})`);
    return { done: seen, via, confirmedAt: seen ? o.time.clock.now() : undefined, note: seen ? hookNote : `${hookNote ? `${hookNote}; ` : ''}no ${ask.evidence} within ${Math.round((o.actTimeoutMs ?? 180_000) / 1000)} s` };
  }

  private ask(act: DeviceAct, c: number): Ask {
    const before = this.o.session();
    const status = (pred: (s: string) => boolean) => (from: number) => this.statusSince(from, c, pred);
    switch (act.kind) {
      case 'plug':
        return { text: `Plug an EV into connector ${c}.`, evidence: `StatusNotification Preparing (or another plugged-in status) for connector ${c}`, seen: status((s) => PLUGGED.has(s)) };
      case 'unplug':
        return { text: `Unplug the EV from connector ${c}.`, evidence: `StatusNotification Available for connector ${c}`, seen: status((s) => s === 'Available') };
      case 'presentIdTag':
        return { text: `Present the card ${String(act.detail?.tag ?? '')} at connector ${c}.`, evidence: `StatusNotification Charging / SuspendedEV / SuspendedEVSE for connector ${c}`, seen: status((s) => ENERGISED.has(s)) };
      case 'fault':
        return { text: `Cause a fault on connector ${c} (e.g. trip the ground-fault test${act.detail?.errorCode ? `; ${String(act.detail.errorCode)}` : ''}).`, evidence: `StatusNotification Faulted for connector ${c}`, seen: status((s) => s === 'Faulted') };
      case 'clearFault':
        return { text: `Clear the fault on connector ${c}.`, evidence: `StatusNotification other than Faulted for connector ${c}`, seen: status((s) => s !== 'Faulted') };
      case 'setEv':
        if (act.detail?.paused === true) return { text: `Pause charging from the car on connector ${c}.`, evidence: `StatusNotification SuspendedEV for connector ${c}`, seen: status((s) => s === 'SuspendedEV') };
        if (Number(act.detail?.socPercent) >= 100) {
          // Evidence the EV stopped drawing: a status change or a reading at idle power; which of
          // the two is right (SuspendedEV with ~0 W) is for PLT-ST-2 / ST-3 to judge.
          return {
            text: `Let the EV on connector ${c} become full (end of charge: it stops drawing power).`,
            evidence: `StatusNotification other than Charging, or MeterValues at ≤ ${TOLERANCE.idlePowerW} W, for connector ${c}`,
            seen: (from) => this.statusSince(from, c, (s) => s !== 'Charging') || this.idleSince(from, c),
          };
        }
        return { text: `Let the car on connector ${c} charge again.`, evidence: `StatusNotification Charging for connector ${c}`, seen: status((s) => s === 'Charging') };
      case 'dropNetwork':
        return { text: 'Disconnect the charger from the network (unplug its Ethernet / disable its modem).', evidence: 'its connection to the listener closing', seen: () => !this.o.session()?.isOpen };
      case 'restoreNetwork':
        return { text: 'Reconnect the charger to the network.', evidence: 'a new connection from the charger', seen: () => this.o.session() !== before && this.o.session()?.isOpen === true };
      case 'reboot':
        return { text: 'Power-cycle the charger.', evidence: 'a new connection with a BootNotification', seen: () => this.o.session() !== before && this.o.session()?.boot !== undefined };
    }
  }

  private incoming(from: number, action: string): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const frames = this.o.frames;
    for (let i = from; i < frames.length; i++) {
      const f = frames[i].frame;
      if (f && frames[i].direction === 'in' && f[0] === 2 && f[2] === action) out.push(f[3] as Record<string, unknown>);
    }
    return out;
  }

  private statusSince(from: number, c: number, pred: (s: string) => boolean): boolean {
    return this.incoming(from, 'StatusNotification').some((p) => p.connectorId === c && typeof p.status === 'string' && pred(p.status));
  }

  private idleSince(from: number, c: number): boolean {
    return this.incoming(from, 'MeterValues').some((p) => {
      if (p.connectorId !== c || !Array.isArray(p.meterValue)) return false;
      return (p.meterValue as MeterValue[]).some((mv) => {
        const w = readMeterValue(mv).powerW;
        return w !== undefined && w <= TOLERANCE.idlePowerW;
      });
    });
  }

  endScenario(): void {}
}
