import { describe, expect, it } from 'vitest';
import { rig } from './chargepoint.harness.js';

const statuses = (r: Awaited<ReturnType<typeof rig>>) => r.of('StatusNotification').filter((m) => m.payload.connectorId === 1).map((m) => m.payload.status);

describe('ConnectionTimeOut', () => {
  it('a plug with no authorization goes Preparing → Finishing after ConnectionTimeOut (errata B6), Available once unplugged', async () => {
    const r = await rig({ config: { ConnectionTimeOut: '90' } });
    r.cp.plug(1);
    await r.run(89_000);
    expect(r.cp.status(1)).toBe('Preparing');
    await r.run(2_000);
    expect(r.cp.status(1)).toBe('Finishing');
    r.cp.unplug(1);
    await r.clock.settle();
    expect(statuses(r)).toEqual(['Available', 'Preparing', 'Finishing', 'Available']);
  });

  it('a tag in time starts the session and the timeout does not fire', async () => {
    const r = await rig({ config: { ConnectionTimeOut: '90' } });
    r.cp.plug(1);
    await r.run(30_000);
    await r.cp.presentIdTag('T');
    await r.run(120_000);
    expect(r.cp.status(1)).toBe('Charging');
  });

  it('an unplug before the timeout cancels it', async () => {
    const r = await rig({ config: { ConnectionTimeOut: '90' } });
    r.cp.plug(1);
    await r.run(30_000);
    r.cp.unplug(1);
    await r.run(120_000);
    expect(statuses(r)).toEqual(['Available', 'Preparing', 'Available']);
  });

  it('a tag with no EV plugged times out back to Available (B1)', async () => {
    const r = await rig({ config: { ConnectionTimeOut: '60' } });
    await r.cp.presentIdTag('T', 1);
    expect(r.cp.status(1)).toBe('Preparing');
    await r.run(61_000);
    expect(r.cp.status(1)).toBe('Available');
  });
});
