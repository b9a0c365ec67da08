/** A charger on a VirtualClock talking through real RpcEndpoints to a small scripted CSMS. */
import type { Clock } from '../src/clock/clock.js';
import { VirtualClock } from '../src/clock/virtual.js';
import { ChargerModel, type ChargerModelOptions } from '../src/chargepoint/charge-point.js';
import type { PersistedState, StateStore } from '../src/chargepoint/types.js';
import type { ActionName } from '../src/ocpp/catalogue.js';
import type { RegistrationStatus, RequestOf, ResponseOf } from '../src/ocpp/types.js';
import { channelPair } from '../src/rpc/channel.js';
import { RpcEndpoint } from '../src/rpc/endpoint.js';
import type { FrameEvent } from '../src/rpc/frames.js';

export interface Received {
  action: string;
  payload: Record<string, unknown>;
  /** True (virtual) time when the CSMS got it. */
  atMs: number;
}

export type Answers = { [A in ActionName]?: (payload: RequestOf<A>) => ResponseOf<A> | Promise<ResponseOf<A>> };

export class MemoryState implements StateStore {
  saved?: PersistedState;
  saves = 0;
  load(): PersistedState | undefined {
    return this.saved ? (JSON.parse(JSON.stringify(this.saved)) as PersistedState) : undefined;
  }
  save(state: PersistedState): void {
    this.saved = JSON.parse(JSON.stringify(state)) as PersistedState;
    this.saves++;
  }
}

export interface Rig {
  clock: VirtualClock;
  cp: ChargerModel;
  csms: RpcEndpoint;
  received: Received[];
  /** Every frame the CSMS saw, in order. */
  frames: FrameEvent[];
  answers: Answers;
  bootStatus: { value: RegistrationStatus };
  nextTxId: { value: number };
  /** Drops the connection (both ends see it closed) and tells the charger. */
  disconnect(): Promise<void>;
  /** A fresh connection for the charger (and a fresh CSMS endpoint). */
  reconnect(): Promise<void>;
  /** Runs virtual time forward by ms, letting I/O settle between timers. */
  run(ms: number): Promise<void>;
  of(action: string): Received[];
  /** A new ChargerModel on the same clock and CSMS (e.g. after a crash), connected. */
  restart(options?: Partial<ChargerModelOptions>): Promise<ChargerModel>;
}

export async function rig(options: Partial<ChargerModelOptions> = {}, connect = true, chargerClock?: (run: VirtualClock) => Clock): Promise<Rig> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1, 8, 0, 0));
  const received: Received[] = [];
  const frames: FrameEvent[] = [];
  const answers: Answers = {};
  const bootStatus = { value: 'Accepted' as RegistrationStatus };
  const nextTxId = { value: 100 };
  const iso = (): string => new Date(clock.now()).toISOString();

  const defaults = (action: ActionName, payload: Record<string, unknown>): unknown => {
    switch (action) {
      case 'BootNotification':
        return { status: bootStatus.value, currentTime: iso(), interval: 300 };
      case 'Heartbeat':
        return { currentTime: iso() };
      case 'Authorize':
        return { idTagInfo: { status: 'Accepted' } };
      case 'StartTransaction':
        return { idTagInfo: { status: 'Accepted' }, transactionId: nextTxId.value++ };
      case 'StopTransaction':
        return { idTagInfo: { status: 'Accepted' } };
      case 'DataTransfer':
        return { status: 'UnknownVendorId' };
      case 'SignCertificate':
        return { status: 'Accepted' };
      default:
        void payload;
        return {};
    }
  };

  const state = { csms: undefined as unknown as RpcEndpoint, port: undefined as unknown as RpcEndpoint };
  const link = (): void => {
    const [a, b] = channelPair();
    state.port = new RpcEndpoint({ channel: a, clock, label: 'CP1', role: 'ChargePoint' });
    state.csms = new RpcEndpoint({ channel: b, clock, label: 'CP1', role: 'Csms' });
    state.csms.onFrame((f) => frames.push(f));
    const actions: ActionName[] = [
      'Authorize', 'BootNotification', 'DataTransfer', 'Heartbeat', 'MeterValues', 'StartTransaction', 'StatusNotification', 'StopTransaction',
      'DiagnosticsStatusNotification', 'FirmwareStatusNotification',
      'SecurityEventNotification', 'SignCertificate', 'SignedFirmwareStatusNotification', 'LogStatusNotification',
    ];
    for (const action of actions) {
      state.csms.handle(action, (payload: unknown) => {
        received.push({ action, payload: payload as Record<string, unknown>, atMs: clock.now() });
        const custom = answers[action] as ((p: unknown) => unknown) | undefined;
        return (custom ? custom(payload) : defaults(action, payload as Record<string, unknown>)) as never;
      });
    }
  };

  const own = chargerClock?.(clock);
  let cp = new ChargerModel({ id: 'CP1', clock: own ?? clock, random: () => 0.5, ...options });
  link();
  if (connect) cp.connected(state.port);
  await clock.settle();

  const r: Rig = {
    clock,
    get cp() {
      return cp;
    },
    get csms() {
      return state.csms;
    },
    received,
    frames,
    answers,
    bootStatus,
    nextTxId,
    async disconnect() {
      state.port.close();
      cp.disconnected();
      await clock.settle();
    },
    async reconnect() {
      link();
      cp.connected(state.port);
      await clock.settle();
    },
    async run(ms: number) {
      await clock.runUntil(() => false, clock.now() + ms);
      await clock.settle();
    },
    of(action: string) {
      return received.filter((m) => m.action === action);
    },
    async restart(extra: Partial<ChargerModelOptions> = {}) {
      cp.powerOff();
      state.port.close();
      await clock.settle();
      cp = new ChargerModel({ id: 'CP1', clock: own ?? clock, random: () => 0.5, ...options, ...extra });
      link();
      cp.connected(state.port);
      await clock.settle();
      return cp;
    },
  } as Rig;
  return r;
}

/** The value of a measurand (first phase-less or summed) in a MeterValues/transactionData entry. */
export function measurand(mv: { sampledValue: { measurand?: string; value: string; phase?: string }[] }, name: string): number[] {
  return mv.sampledValue.filter((s) => (s.measurand ?? 'Energy.Active.Import.Register') === name).map((s) => Number(s.value));
}
