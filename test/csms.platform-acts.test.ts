import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual.js';
import { startCsmsServer, type CsmsServer } from '../src/csms/server.js';
import { ChargerHost } from '../src/host/charger-host.js';
import type { FrameEvent } from '../src/rpc/frames.js';
import { createPki } from '../src/transport/pki.js';

let csms: CsmsServer | undefined;
let host: ChargerHost | undefined;
afterEach(async () => {
  host?.stop();
  await csms?.close();
});

type Call = [2, string, string, Record<string, unknown>];
const incoming = (frames: FrameEvent[], action: string) => frames.filter((f) => f.direction === 'in' && f.frame?.[0] === 2 && f.frame[2] === action).map((f) => ({ at: f.clockTime, payload: (f.frame as Call)[3] }));

describe('csms --platform-acts: the built-in CSMS acts like the platform on its own', () => {
  it('triggers after the first boot only, then curtails at +1 min, releases at 7 kW at +4 min and caps at 3680 W at +4.5 min', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 5, 8), { stuckMs: 200 });
    const pki = await createPki();
    csms = await startCsmsServer({ clock, chargers: { CP1: 'secret-password' }, cert: pki.server, platform: { configureOnBoot: true, sessionActs: true } });
    host = new ChargerHost({ id: 'CP1', clock, csmsUrl: csms.url, ca: pki.ca.cert, authorizationKey: 'secret-password', random: () => 0.5, ev: { maxPowerW: 11_000, phases: 3 } });
    const frames: FrameEvent[] = [];
    host.onFrame((f) => frames.push(f));
    host.start();
    const h = host;
    await clock.runUntil(() => incoming(frames, 'TriggerMessage').length === 2 && h.model.configuration.get('MeterValueSampleInterval') === '60', clock.now() + 120_000);
    await clock.runUntil(() => false, clock.now() + 10_000);
    expect(incoming(frames, 'TriggerMessage').map((c) => c.payload.requestedMessage)).toEqual(['StatusNotification', 'BootNotification']);
    h.model.plug(1);
    await h.model.presentIdTag('TAG1', 1);
    await clock.runUntil(() => h.model.status(1) === 'Charging', clock.now() + 30_000);
    const start = clock.now();
    expect(h.model.powerW(1)).toBe(11_000);
    await clock.runUntil(() => h.model.status(1) === 'SuspendedEVSE', start + 70_000);
    expect(h.model.powerW(1)).toBe(0);
    await clock.runUntil(() => false, start + 250_000);
    expect([h.model.status(1), h.model.powerW(1)]).toEqual(['Charging', 7_000]);
    await clock.runUntil(() => false, start + 280_000);
    expect(h.model.powerW(1)).toBe(3_680);
    const profiles = incoming(frames, 'SetChargingProfile').map((c) => {
      const p = c.payload.csChargingProfiles as { chargingProfilePurpose: string; chargingSchedule: { chargingSchedulePeriod: { limit: number }[] } };
      return [Math.round((c.at - start) / 1000), c.payload.connectorId, p.chargingProfilePurpose, p.chargingSchedule.chargingSchedulePeriod[0]!.limit];
    });
    expect(profiles).toEqual([
      [60, 1, 'TxProfile', 0],
      [240, 1, 'TxProfile', 7000],
      [270, 0, 'ChargePointMaxProfile', 3680],
    ]);
    // the triggered boot was not a first boot: no second pair of triggers
    expect(incoming(frames, 'TriggerMessage')).toHaveLength(2);
  });
});
