import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual.js';
import { Csms } from '../src/csms/csms.js';
import { triggerMessage } from '../src/csms/platform.js';
import { channelPair, type FrameChannel } from '../src/rpc/channel.js';
import { runSwarm, type SwarmOptions } from '../src/swarm/fleet.js';
import { parseQuirkMix, quirkFor } from '../src/swarm/quirk-mix.js';
import type { SwarmSummary } from '../src/swarm/summary.js';

const FLEET = 40;
const CURTAIL_W = 2_000;
/** Busy all day, sessions of ~10 h, meter values every 60 s once the platform configured them. */
const BUSY = { occupancyByHour: Array(24).fill(0.9), initialSpreadSec: 30, meanSessionMinutes: 600, seed: 7 };

/** The swarm against the built-in CSMS, in memory, on virtual time: an hour costs a second or two. */
async function fleetOnVirtualTime(options: Partial<SwarmOptions>, curtailW?: number): Promise<{ summary: SwarmSummary; csms: Csms; links: Map<string, FrameChannel[]> }> {
  const clock = new VirtualClock();
  const csms = new Csms({ clock, policy: { heartbeatIntervalSec: 60 }, platform: { curtailW } });
  const links = new Map<string, FrameChannel[]>();
  let summary: SwarmSummary | undefined;
  void runSwarm({
    csms: 'memory://',
    count: FLEET,
    rampPerSecond: 20,
    clock,
    pattern: BUSY,
    durationSec: 3_600,
    open: async (id) => {
      const [a, b] = channelPair();
      csms.attach(b, id);
      links.set(id, [...(links.get(id) ?? []), b]);
      return { channel: a };
    },
    ...options,
  }).then((s) => (summary = s));
  const why = await clock.runUntil(() => summary !== undefined);
  expect(why).toBe('done');
  return { summary: summary!, csms, links };
}

describe('swarm of the one charger model (virtual time, built-in CSMS)', () => {
  it('obeys the CSMS profiles, and the ignore-limit share of a quirk mix does not', async () => {
    const mix = parseQuirkMix('ignore-limit=25%,lose-queue=10%');
    const { summary: s, csms } = await fleetOnVirtualTime({ quirkMix: mix }, CURTAIL_W);
    const ignoring = Array.from({ length: FLEET }, (_, i) => `P${String(i + 1).padStart(5, '0')}`).filter((id) => quirkFor(mix, id, BUSY.seed) === 'ignore-limit');
    expect(ignoring.length).toBeGreaterThan(3);
    expect(s.quirks['ignore-limit']).toBe(ignoring.length);
    expect(s.quirkMix).toBe('ignore-limit=25%,lose-queue=10%');
    expect(s).toMatchObject({ chargers: FLEET, connected: FLEET, booted: FLEET, errors: 0, unanswered: 0 });

    // what the CSMS did: every transaction got a TxProfile and a triggered MeterValues
    const started = csms.transactions();
    expect(started.length).toBeGreaterThan(FLEET / 2);
    expect(s.transactions.started).toBe(started.length);
    expect(s.csmsActs.calls.SetChargingProfile.received).toBe(started.length);
    expect(s.csmsActs.calls.SetChargingProfile.accepted).toBe(started.length);
    expect(s.csmsActs.calls.TriggerMessage.accepted).toBe(started.length);
    expect(s.csmsActs.calls.ChangeConfiguration.received).toBe(2 * FLEET);

    // obeyed: what the CSMS was told the chargers drew, per charger
    const lastPowerOf = (id: string): number[] =>
      csms
        .transactions()
        .filter((t) => t.chargePointId === id)
        .flatMap((t) => t.readings.filter((r) => r.powerW !== undefined).map((r) => r.powerW!));
    const charging = new Set(started.map((t) => t.chargePointId));
    const obedient = [...charging].filter((id) => !ignoring.includes(id));
    const bad = [...charging].filter((id) => ignoring.includes(id));
    expect(obedient.length).toBeGreaterThan(5);
    expect(bad.length).toBeGreaterThan(0);
    for (const id of obedient) {
      const powers = lastPowerOf(id);
      expect(powers.length, id).toBeGreaterThan(0);
      expect(Math.max(...powers), id).toBeLessThanOrEqual(CURTAIL_W);
    }
    for (const id of bad) expect(Math.max(...lastPowerOf(id)), id).toBeGreaterThan(CURTAIL_W);

    // and the fleet's own account agrees
    expect(s.csmsActs.chargersWithProfile).toBe(charging.size);
    expect(s.csmsActs.chargersCurtailed).toBe(obedient.length);
    expect(s.csmsActs.chargersOverLimit).toBe(bad.length);
    expect(s.csmsActs.chargersOverLimitWithoutQuirk).toBe(0);
    // 60-s meter values after the platform's configuration: about an hour's worth per charging charger
    expect(s.calls.MeterValues.answered).toBeGreaterThan(obedient.length * 50);
  }, 60_000);

  it('survives a reconnect storm: all back with back-off, no transaction message lost or duplicated', async () => {
    const mix = parseQuirkMix('lose-queue=20%');
    const { summary: s, csms } = await fleetOnVirtualTime({ quirkMix: mix, stormAtSec: 900, durationSec: 1_800 });
    expect(s.storm).not.toBeNull();
    const storm = s.storm!;
    expect(storm.dropped).toBe(FLEET);
    expect(storm.reconnected).toBe(FLEET);
    // back-off 1 s doubling, 50 % jitter: nobody back before 0.5 s, everybody well within a minute
    expect(storm.allReconnectedSec).toBeGreaterThanOrEqual(0.5);
    expect(storm.allReconnectedSec).toBeLessThan(60);
    expect(s.errorsByCode).toEqual({});
    expect(s.txMessages.droppedWithoutQuirk).toBe(0);
    expect(s.txMessages.resent).toBe(0);
    expect(s.txMessages.enqueued).toBe(s.txMessages.delivered + s.txMessages.dropped + s.txMessages.pendingAtEnd);
    // the CSMS saw each transaction once: one record per StartTransaction, no two with the same start
    const starts = csms.transactions().map((t) => `${t.chargePointId}|${t.startTimestamp}`);
    expect(new Set(starts).size).toBe(starts.length);
    expect(starts.length).toBe(s.transactions.started);
  }, 60_000);

  it('is asked by the CSMS and answers as the model does: triggers, configuration', async () => {
    const clock = new VirtualClock();
    const csms = new Csms({ clock, policy: { heartbeatIntervalSec: 60 } });
    let summary: SwarmSummary | undefined;
    void runSwarm({
      csms: 'memory://',
      count: 2,
      clock,
      pattern: { ...BUSY, occupancyByHour: Array(24).fill(0) },
      durationSec: 120,
      open: async (id) => {
        const [a, b] = channelPair();
        csms.attach(b, id);
        return { channel: a };
      },
    }).then((x) => (summary = x));
    await clock.runUntil(() => false, clock.now() + 30_000); // both connected, booted, configured
    const session = csms.session('P00001')!;
    const trig = triggerMessage(session, 'StatusNotification', 1);
    await clock.runUntil(() => false, clock.now() + 1_000);
    expect((await trig).status).toBe('Accepted');
    const conf = session.call('GetConfiguration', { key: ['MeterValueSampleInterval', 'NumberOfConnectors'] });
    await clock.runUntil(() => false, clock.now() + 1_000);
    expect((await conf).configurationKey).toEqual([
      { key: 'MeterValueSampleInterval', readonly: false, value: '60' },
      { key: 'NumberOfConnectors', readonly: true, value: '1' },
    ]);
    await clock.runUntil(() => summary !== undefined);
    expect(summary!.csmsActs.chargersTriggered).toBe(1);
    expect(summary!.csmsActs.calls.TriggerMessage).toEqual({ received: 1, accepted: 1 });
  }, 30_000);
});
