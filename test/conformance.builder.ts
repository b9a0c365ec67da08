import { csmsViewFromFrames } from '../src/conformance/csms-view.js';
import type { ActKind, CertificationRecord, RecordedAct, RecordedConnection, RecordedFrame } from '../src/conformance/record.js';
import type { Frame } from '../src/rpc/frames.js';

export const T0 = Date.parse('2026-03-02T08:00:00Z');

/** Builds a recorded certify session frame by frame on a test clock (true time). */
export class SessionBuilder {
  now = T0;
  /** Charger clock offset (ms) applied to every timestamp it writes. */
  clockOffsetMs = 0;
  readonly frames: RecordedFrame[] = [];
  readonly connections: RecordedConnection[] = [];
  readonly acts: RecordedAct[] = [];
  conn = 'c1';
  private seq = 0;

  advance(ms: number): this {
    this.now += ms;
    return this;
  }

  /** The charger's idea of now, as an ISO timestamp. */
  ts(at = this.now): string {
    return new Date(at + this.clockOffsetMs).toISOString();
  }

  connect(extra: Partial<RecordedConnection> = {}): this {
    this.conn = `c${this.connections.length + 1}`;
    this.connections.push({
      connectionId: this.conn,
      id: 'CP001',
      remoteAddress: '127.0.0.1',
      remotePort: 50000,
      connectedAt: this.now,
      authForm: 'hex',
      secure: true,
      tls: { version: 'TLSv1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256', standardName: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
      ...extra,
    });
    return this;
  }

  private push(direction: 'in' | 'out', frame: Frame): void {
    this.frames.push({ connectionId: this.conn, connection: 'CP001', direction, wallTime: this.now, clockTime: this.now, raw: JSON.stringify(frame), frame });
  }

  /** A CALL from the charger and the CSMS's CALLRESULT 50 ms later. */
  charger(action: string, payload: Record<string, unknown>, result: Record<string, unknown> = {}): this {
    const id = `cp-${++this.seq}`;
    this.push('in', [2, id, action, payload]);
    this.now += 50;
    this.push('out', [3, id, result]);
    this.now += 50;
    return this;
  }

  /** A CALL from the CSMS answered by the charger with a result or a CALLERROR code. */
  csms(action: string, payload: Record<string, unknown>, answer: Record<string, unknown> | { error: string }): this {
    const id = `cs-${++this.seq}`;
    this.push('out', [2, id, action, payload]);
    this.now += 50;
    if ('error' in answer && typeof answer.error === 'string') this.push('in', [4, id, answer.error, '', {}]);
    else this.push('in', [3, id, answer]);
    this.now += 50;
    return this;
  }

  /** A CALL from the CSMS whose answer comes only after `between` ran (frames racing the .conf). */
  csmsAround(action: string, payload: Record<string, unknown>, answer: Record<string, unknown>, between: () => void): this {
    const id = `cs-${++this.seq}`;
    this.push('out', [2, id, action, payload]);
    this.now += 50;
    between();
    this.push('in', [3, id, answer]);
    this.now += 50;
    return this;
  }

  status(connectorId: number, status: string, errorCode = 'NoError'): this {
    return this.charger('StatusNotification', { connectorId, status, errorCode, timestamp: this.ts() });
  }

  act(kind: ActKind, connector = 1, detail?: Record<string, unknown>, outcome: 'done' | 'skipped' = 'done', scenario = 'any'): this {
    this.acts.push({ kind, at: this.now, connector, ...(detail ? { detail } : {}), outcome, scenario });
    return this;
  }

  meter(transactionId: number, energyWh: number, powerW: number | undefined, context = 'Sample.Periodic', extra: Record<string, string>[] = []): this {
    const sampledValue: Record<string, string>[] = [{ value: String(energyWh), measurand: 'Energy.Active.Import.Register', unit: 'Wh', context }];
    if (powerW !== undefined) sampledValue.push({ value: String(powerW), measurand: 'Power.Active.Import', unit: 'W', context });
    sampledValue.push(...extra.map((e) => ({ ...e, context })));
    return this.charger('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: this.ts(), sampledValue }] });
  }

  build(extra: Partial<CertificationRecord> = {}): CertificationRecord {
    const view = csmsViewFromFrames('CP001', this.frames);
    return {
      chargePointId: 'CP001',
      firmwareMode: 'platform',
      frames: this.frames,
      connections: this.connections,
      refusals: [],
      tlsFailures: [],
      statuses: view.statuses,
      transactions: view.transactions,
      acts: this.acts,
      firmware: [],
      scenarios: [],
      ...extra,
    };
  }
}

export interface GoodSessionKnobs {
  powerW?: number;
  /** Sampling interval the charger really uses (s). */
  intervalS?: number;
  /** Status the charger reports under limit 0. */
  limitZeroStatus?: string;
  /** Power under limit 0. */
  limitZeroPowerW?: number;
  /** Under limit 0 the charger reports 0 W while its register keeps counting at this power (W). */
  limitZeroHiddenW?: number;
  /** Energy register restarts at 0 each transaction. */
  energyBackwards?: boolean;
  /** Include Power.Active.Import in samples. */
  withPower?: boolean;
  faultStatus?: string;
}

/**
 * A conformant session: boot (Pending, triggered, Accepted), configuration, a status trigger, a
 * transaction sampled every 60 s with limit 0 then raised, a max profile, a paused EV, unplug,
 * fault and recovery, and a second transaction.
 */
export function goodSession(k: GoodSessionKnobs = {}): SessionBuilder {
  const p = k.powerW ?? 7200;
  const I = (k.intervalS ?? 60) * 1000;
  const withPower = k.withPower ?? true;
  const b = new SessionBuilder().connect();
  const boot = { chargePointVendor: 'Acme', chargePointModel: 'Box', firmwareVersion: '1.0.0' };
  b.charger('BootNotification', boot, { status: 'Pending', currentTime: b.ts(), interval: 10 });
  b.csms('TriggerMessage', { requestedMessage: 'BootNotification' }, { status: 'Accepted' });
  b.charger('BootNotification', boot, { status: 'Accepted', currentTime: b.ts(), interval: 300 });
  b.status(0, 'Available').status(1, 'Available');
  b.csms('ChangeConfiguration', { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,Power.Active.Import' }, { status: 'Accepted' });
  b.csms('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '60' }, { status: 'Accepted' });
  b.csms('TriggerMessage', { requestedMessage: 'StatusNotification' }, { status: 'Accepted' });
  b.status(0, 'Available').status(1, 'Available');
  b.charger('Heartbeat', {}, { currentTime: b.ts() });
  let energy = 10_000;
  let flow = 0;
  let shown: number | undefined;
  let lastAt = b.now;
  const at = (t: number): void => {
    energy += (flow * (t - lastAt)) / 3_600_000;
    lastAt = t;
    b.now = t;
  };
  const sample = (id: number, t: number): void => {
    at(t);
    b.meter(id, Math.round(energy), withPower ? (shown ?? flow) : undefined);
  };
  const startTx = (id: number): number => {
    b.act('plug').status(1, 'Preparing');
    b.act('presentIdTag', 1, { tag: 'RFID-0001' }).charger('Authorize', { idTag: 'RFID-0001' }, { idTagInfo: { status: 'Accepted' } });
    if (k.energyBackwards) energy = 0;
    b.charger('StartTransaction', { connectorId: 1, idTag: 'RFID-0001', meterStart: Math.round(energy), timestamp: b.ts() }, { transactionId: id, idTagInfo: { status: 'Accepted' } });
    b.status(1, 'Charging');
    at(b.now);
    flow = p;
    return b.now + 1_000;
  };
  const stopTx = (id: number): void => {
    b.act('unplug');
    at(b.now + 500);
    flow = 0;
    b.charger('StopTransaction', { transactionId: id, meterStop: Math.round(energy), timestamp: b.ts(), reason: 'EVDisconnected' }, {});
    b.status(1, 'Finishing').status(1, 'Available');
  };
  const profile = (connectorId: number, id: number, purpose: string, limit: number) =>
    b.csms('SetChargingProfile', { connectorId, csChargingProfiles: { chargingProfileId: id, ...(purpose === 'TxProfile' ? { transactionId: 1 } : {}), stackLevel: 1, chargingProfilePurpose: purpose, chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit }] } } }, { status: 'Accepted' });

  const base = startTx(1);
  for (let i = 0; i < 4; i++) sample(1, base + i * I);
  at(base + 3 * I + 5_000);
  profile(1, 1, 'TxProfile', 0);
  flow = k.limitZeroHiddenW ?? k.limitZeroPowerW ?? 0;
  if (k.limitZeroHiddenW !== undefined) shown = 0;
  b.advance(400).status(1, k.limitZeroStatus ?? 'SuspendedEVSE');
  sample(1, base + 4 * I);
  sample(1, base + 5 * I);
  at(base + 5 * I + 1_000);
  profile(1, 1, 'TxProfile', 11000);
  flow = p;
  shown = undefined;
  b.advance(400).status(1, 'Charging');
  sample(1, base + 6 * I);
  sample(1, base + 7 * I);
  at(base + 7 * I + 2_000);
  profile(0, 2, 'ChargePointMaxProfile', 22000);
  at(b.now + 1_000);
  b.act('setEv', 1, { paused: true });
  flow = 0;
  b.advance(1_000).status(1, 'SuspendedEV');
  sample(1, base + 8 * I);
  at(base + 8 * I + 2_000);
  stopTx(1);
  // Fault and recovery.
  at(b.now + 10_000);
  b.act('fault', 1, { errorCode: 'GroundFailure' }).advance(500).status(1, k.faultStatus ?? 'Faulted', 'GroundFailure');
  at(b.now + 10_000);
  b.act('clearFault').advance(500).status(1, 'Available');
  // A second transaction.
  at(b.now + 10_000);
  const base2 = startTx(2);
  for (let i = 0; i < 4; i++) sample(2, base2 + i * I);
  at(base2 + 3 * I + 1_000);
  stopTx(2);
  return b;
}
