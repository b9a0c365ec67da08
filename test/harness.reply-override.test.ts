import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual.js';
import { startCsmsServer, type CsmsServer } from '../src/csms/server.js';
import { createChargerContext, type ChargerContext } from '../src/harness/charger-context.js';
import { virtualRunTime } from '../src/harness/run-time.js';
import type { Scenario } from '../src/scenario/model.js';
import { createPki } from '../src/transport/pki.js';

let csms: CsmsServer | undefined;
let bound: ChargerContext | undefined;
afterEach(async () => {
  bound?.close();
  await csms?.close();
});

const scenario: Scenario = { file: 't.yaml', name: 't', requirements: [], role: 'chargepoint', charger: { connectors: 1, configuration: {}, quirks: [] }, steps: [] };

async function setup() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 5, 8));
  const pki = await createPki();
  csms = await startCsmsServer({ clock, chargers: { '*': 'override-test-pw' }, cert: pki.server });
  bound = createChargerContext({ scenario, chargePointId: 'OV1', clock, time: virtualRunTime(clock), csmsUrl: csms.url, password: 'override-test-pw', ca: pki.ca.cert, builtIn: csms.csms });
  return { ctx: bound.ctx, clock };
}

async function authorizeStatus(ctx: Awaited<ReturnType<typeof setup>>['ctx']): Promise<unknown> {
  const out = await ctx.messaging.call('chargepoint', 'Authorize', { idTag: 'TAG' });
  return out.kind === 'result' ? (out.payload.idTagInfo as { status: string }).status : out.code;
}

describe('CSMS reply overrides made by a scenario', () => {
  it('a cancelled override made before the charger connected does not answer later', async () => {
    const { ctx, clock } = await setup();
    const cancel = ctx.messaging.overrideNextReply('csms', 'Authorize', { kind: 'result', payload: { idTagInfo: { status: 'Blocked' } } });
    await ctx.charger.connect();
    await clock.runUntil(() => ctx.charger.status(1) === 'Available', clock.now() + 60_000);
    cancel();
    expect(await authorizeStatus(ctx)).toBe('Accepted');
  });

  it('an override not cancelled answers the next call once', async () => {
    const { ctx, clock } = await setup();
    await ctx.charger.connect();
    await clock.runUntil(() => ctx.charger.status(1) === 'Available', clock.now() + 60_000);
    ctx.messaging.overrideNextReply('csms', 'Authorize', { kind: 'result', payload: { idTagInfo: { status: 'Blocked' } } });
    expect(await authorizeStatus(ctx)).toBe('Blocked');
    expect(await authorizeStatus(ctx)).toBe('Accepted');
  });

  it('a cancelled override made while connected does not answer later', async () => {
    const { ctx, clock } = await setup();
    await ctx.charger.connect();
    await clock.runUntil(() => ctx.charger.status(1) === 'Available', clock.now() + 60_000);
    ctx.messaging.overrideNextReply('csms', 'Authorize', { kind: 'result', payload: { idTagInfo: { status: 'Blocked' } } })();
    expect(await authorizeStatus(ctx)).toBe('Accepted');
  });
});
