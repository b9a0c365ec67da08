import { describe, expect, it } from 'vitest';
import type { FrameEvent } from '../src/rpc/frames.js';
import { rig, type Rig } from './chargepoint.harness.js';

/** Frames the CSMS received after the TriggerMessage went out: [kind, action-or-result]. */
function after(r: Rig, from: number): string[] {
  return r.frames.slice(from).filter((f: FrameEvent) => f.direction === 'in').map((f) => (f.frame?.[0] === 2 ? `CALL ${String(f.frame[2])}` : f.frame?.[0] === 3 ? 'RESULT' : 'ERROR'));
}

describe('TriggerMessage', () => {
  for (const [message, expected] of [
    ['BootNotification', ['RESULT', 'CALL BootNotification']],
    ['Heartbeat', ['RESULT', 'CALL Heartbeat']],
    ['MeterValues', ['RESULT', 'CALL MeterValues']],
    ['StatusNotification', ['RESULT', 'CALL StatusNotification', 'CALL StatusNotification']],
    ['FirmwareStatusNotification', ['RESULT', 'CALL FirmwareStatusNotification']],
    ['DiagnosticsStatusNotification', ['RESULT', 'CALL DiagnosticsStatusNotification']],
  ] as const) {
    it(`sends the .conf before the triggered ${message}`, async () => {
      const r = await rig();
      const from = r.frames.length;
      const res = await r.csms.call('TriggerMessage', { requestedMessage: message });
      expect(res.status).toBe('Accepted');
      await r.clock.settle();
      expect(after(r, from).slice(0, expected.length)).toEqual(expected);
    });
  }

  it('sends a triggered MeterValues with context Trigger and the transaction id', async () => {
    const r = await rig();
    r.cp.plug(1);
    await r.cp.presentIdTag('T');
    await r.clock.settle();
    await r.csms.call('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 1 });
    await r.clock.settle();
    const mv = r.of('MeterValues')[0].payload as { transactionId?: number; meterValue: { sampledValue: { context?: string }[] }[] };
    expect(mv.transactionId).toBe(100);
    expect(mv.meterValue[0].sampledValue.every((s) => s.context === 'Trigger')).toBe(true);
  });

  it('is answered while Pending, and a triggered boot can be accepted', async () => {
    const r = await rig({}, false);
    r.bootStatus.value = 'Pending';
    const p = await r.reconnect().then(() => r);
    expect(p.cp.registration).toBe('Pending');
    expect((await r.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] })).configurationKey).toHaveLength(1);
    r.bootStatus.value = 'Accepted';
    const res = await r.csms.call('TriggerMessage', { requestedMessage: 'BootNotification' });
    expect(res.status).toBe('Accepted');
    await r.clock.settle();
    expect(r.cp.registration).toBe('Accepted');
    // nothing but BootNotification before acceptance, then the statuses
    expect(r.received.map((m) => m.action)).toEqual(['BootNotification', 'BootNotification', 'StatusNotification', 'StatusNotification']);
  });

  it('retries a Pending boot after the interval', async () => {
    // ConnectionTimeOut above the 299 s wait: the plug stays Preparing (the B6 timeout is tested elsewhere)
    const r = await rig({ config: { ConnectionTimeOut: '600' } }, false);
    r.bootStatus.value = 'Pending';
    await r.reconnect();
    r.cp.plug(1);
    await r.run(299_000);
    expect(r.of('BootNotification')).toHaveLength(1);
    expect(r.of('StatusNotification')).toHaveLength(0);
    r.bootStatus.value = 'Accepted';
    await r.run(2000);
    expect(r.of('BootNotification')).toHaveLength(2);
    expect(r.of('StatusNotification').map((m) => m.payload.status)).toEqual(['Available', 'Preparing']);
  });
});
