/**
 * Issue 14: one reducer from charger CALLs to the CSMS's view. The live CSMS (CsmsSession) and the
 * certify record (conformance/csms-view.ts, replaying frames) must agree on the same traffic,
 * because both are csms/view.ts.
 */
import { describe, expect, it } from 'vitest';
import { ChargerModel } from '../src/chargepoint/charge-point.js';
import { VirtualClock } from '../src/clock/virtual.js';
import { csmsViewFromFrames } from '../src/conformance/csms-view.js';
import type { RecordedFrame } from '../src/conformance/record.js';
import { Csms } from '../src/csms/csms.js';
import { applyChargerCall } from '../src/csms/view.js';
import { channelPair } from '../src/rpc/channel.js';
import { RpcEndpoint } from '../src/rpc/endpoint.js';

describe('the CSMS view reducer (csms/view.ts)', () => {
  it('the live session and the frames replayed give the same statuses and transactions', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1, 8), { stuckMs: 50 });
    const csms = new Csms({ clock });
    const [a, b] = channelPair();
    const session = csms.attach(b, 'CP1');
    const frames: RecordedFrame[] = [];
    session.endpoint.onFrame((e) => frames.push({ ...e, connectionId: 'c1' }));
    const cp = new ChargerModel({ id: 'CP1', clock, connectors: 2, random: () => 0.5 });
    cp.connected(new RpcEndpoint({ channel: a, clock, label: 'CP1', role: 'ChargePoint' }));
    await clock.runUntil(() => cp.registration === 'Accepted', clock.now() + 60_000);
    cp.plug(1);
    await cp.presentIdTag('TAG-1', 1);
    cp.plug(2);
    await cp.presentIdTag('TAG-2', 2);
    await clock.runUntil(() => false, clock.now() + 5 * 60_000);
    cp.fault(2, 'GroundFailure');
    cp.unplug(1);
    await clock.runUntil(() => false, clock.now() + 60_000);

    const replayed = csmsViewFromFrames('CP1', frames);
    const live = csms.transactions();
    expect(live).toHaveLength(2);
    expect(live.some((t) => t.stopReason !== undefined)).toBe(true);
    expect(live.every((t) => t.readings.length > 0)).toBe(true);
    expect(replayed.transactions).toEqual(live);
    const lastReplayed = new Map(replayed.statuses.map((s) => [s.connectorId, s]));
    for (const [connectorId, state] of session.connectors) {
      expect(lastReplayed.get(connectorId)).toMatchObject({ status: state.status, errorCode: state.errorCode, chargerTime: state.timestamp });
    }
    expect(session.connectors.get(2)?.errorCode).toBe('GroundFailure');
  });

  it('ignores what does not change the view, and unknown transactions', () => {
    const txs = new Map();
    expect(applyChargerCall(txs, 'CP1', 'Heartbeat', {}, { currentTime: 'x' })).toBeUndefined();
    expect(applyChargerCall(txs, 'CP1', 'StopTransaction', { transactionId: 9, meterStop: 1, timestamp: '2026-01-01T00:00:00Z' }, {})).toBeUndefined();
    expect(applyChargerCall(txs, 'CP1', 'StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: '2026-01-01T00:00:00Z' }, undefined)).toBeUndefined();
    expect(txs.size).toBe(0);
    expect(applyChargerCall(txs, 'CP1', 'StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' }, {})).toEqual({ kind: 'status', change: { connectorId: 1, status: 'Available', errorCode: 'NoError' } });
  });
});
