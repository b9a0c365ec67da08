import { describe, expect, it } from 'vitest';
import type { MeterValue } from '../src/ocpp/types.js';
import { MemoryState, rig } from './chargepoint.harness.js';

const TX_ACTIONS = new Set(['StartTransaction', 'StopTransaction', 'MeterValues']);

describe('offline queue', () => {
  it('delivers transaction messages queued while disconnected, in order, with the id the Start got', async () => {
    const r = await rig({ config: { MeterValueSampleInterval: '60' } });
    r.cp.plug(1);
    await r.disconnect();
    await r.cp.presentIdTag('TAG'); // offline: Authorize impossible, local decision
    expect(r.cp.status(1)).toBe('Preparing'); // unknown tag offline → refused
    await r.reconnect();
    await r.disconnect();
    // authorize via the local list, then go offline for the whole transaction
    await r.reconnect();
    await r.csms.call('SendLocalList', { listVersion: 1, updateType: 'Full', localAuthorizationList: [{ idTag: 'TAG', idTagInfo: { status: 'Accepted' } }] });
    await r.disconnect();
    await r.cp.presentIdTag('TAG');
    expect(r.cp.status(1)).toBe('Charging');
    await r.run(5 * 60_000 + 500);
    await r.cp.presentIdTag('TAG');
    expect(r.cp.queueLength).toBe(7); // Start, 5 × MeterValues, Stop
    const before = r.received.length;
    await r.reconnect();
    await r.run(1000);
    const delivered = r.received.slice(before).filter((m) => TX_ACTIONS.has(m.action));
    expect(delivered.map((m) => m.action)).toEqual(['StartTransaction', 'MeterValues', 'MeterValues', 'MeterValues', 'MeterValues', 'MeterValues', 'StopTransaction']);
    const id = r.nextTxId.value - 1;
    expect(delivered.slice(1).every((m) => m.payload.transactionId === id)).toBe(true);
    const stamps = delivered.map((m) => Date.parse((m.payload.timestamp as string) ?? (m.payload.meterValue as MeterValue[])[0].timestamp));
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]).toBeGreaterThan(stamps[i - 1]);
    expect(r.cp.queueLength).toBe(0);
  });

  it('loses nothing across a process restart with the same StateStore', async () => {
    const state = new MemoryState();
    const r = await rig({ state, config: { MeterValueSampleInterval: '60', LocalPreAuthorize: 'true' } });
    await r.csms.call('SendLocalList', { listVersion: 1, updateType: 'Full', localAuthorizationList: [{ idTag: 'TAG', idTagInfo: { status: 'Accepted' } }] });
    await r.csms.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: '900' });
    await r.disconnect();
    r.cp.plug(1);
    await r.cp.presentIdTag('TAG');
    await r.run(3 * 60_000 + 500);
    const energy = r.cp.energyWh();
    expect(r.cp.queueLength).toBe(4); // Start + 3 MeterValues
    const before = r.received.length;
    const cp2 = await r.restart(); // crash: the new process comes up with the old state
    await r.run(1000);
    const delivered = r.received.slice(before).filter((m) => TX_ACTIONS.has(m.action));
    expect(delivered.map((m) => m.action)).toEqual(['StartTransaction', 'MeterValues', 'MeterValues', 'MeterValues', 'StopTransaction']);
    const stop = delivered.at(-1)!.payload;
    expect(stop.reason).toBe('PowerLoss');
    expect(stop.transactionId).toBe(delivered[0] && r.nextTxId.value - 1);
    expect(stop.meterStop).toBe(Math.floor(energy));
    expect(cp2.energyWh()).toBeCloseTo(energy, 6);
    expect(cp2.configuration.get('HeartbeatInterval')).toBe('300'); // the new boot's interval
    expect(cp2.configuration.get('MeterValueSampleInterval')).toBe('60');
    expect((await r.csms.call('GetLocalListVersion', {})).listVersion).toBe(1);
  });

  it('resends on CALLERROR per TransactionMessageAttempts and gives up; a Stop whose Start got no id uses -1', async () => {
    const r = await rig({ config: { TransactionMessageAttempts: '2', TransactionMessageRetryInterval: '30', LocalPreAuthorize: 'true', AllowOfflineTxForUnknownId: 'true' } });
    let starts = 0;
    r.answers.StartTransaction = () => {
      starts++;
      throw new Error('boom');
    };
    r.cp.plug(1);
    await r.cp.presentIdTag('TAG');
    await r.run(29_000);
    expect(starts).toBe(1);
    await r.run(2000);
    expect(starts).toBe(2);
    await r.cp.presentIdTag('TAG');
    await r.run(1000);
    expect(r.of('StopTransaction')[0].payload.transactionId).toBe(-1);
  });
});
