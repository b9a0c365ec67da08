import { limitAt, nextChangeAt, type Limit, type ScheduleContext } from '../smartcharging/composite.js';
import type { Charger } from './charger.js';
import type { Connector } from './connector.js';
import { evDrawW, msUntilDemandChange } from './ev.js';
import { emitMeter, syncSampling } from './sampler.js';
import { applyScheduledAvailability } from './transactions.js';

/**
 * Power is constant between events, so energy is integrated exactly at each event. `refresh`
 * is that event: integrate up to now, recompute the limit, the offered power and the EV's draw,
 * move the status, and schedule the next re-evaluation (a taper step, a schedule change).
 */
export function refresh(ch: Charger, c: Connector): void {
  ch.integrate(c);
  if (ch.connectors.some((o) => o.scheduledAvailability)) applyScheduledAvailability(ch);
  if (c.id === 0) {
    ch.applyStatus(c);
    return;
  }
  const before = { powerW: c.powerW, offeredW: c.offeredW };
  c.phases = Math.min(ch.setup.connectorPhases, c.ev?.params.phases ?? ch.setup.connectorPhases);
  const ctx = scheduleContext(ch, c);
  const limit = connectorLimit(ch, c, ctx);
  c.limitW = limit?.watts;
  const hardwareW = ch.setup.ratedCurrentA * ch.setup.nominalVoltage * c.phases;
  const hidden = ch.has('hidden-import') && limit !== undefined && limit.watts <= 0;
  const allowedW = limit && !ch.has('ignore-limit') && !hidden ? Math.min(hardwareW, limit.watts) : hardwareW;
  c.offeredW = canDeliver(ch, c) ? Math.max(0, allowedW) : 0;
  c.powerW = c.ev && c.evConnected ? evDrawW(c.ev, c.offeredW) : 0;
  c.hiddenImport = hidden && c.powerW > 0;
  ch.applyStatus(c);
  scheduleNext(ch, c, ctx);
  syncSampling(ch, c);
  if (before.powerW !== c.powerW || before.offeredW !== c.offeredW) emitMeter(ch, c);
  ch.persist();
}

export function refreshAll(ch: Charger): void {
  for (const c of ch.connectors) refresh(ch, c);
}

function canDeliver(ch: Charger, c: Connector): boolean {
  if (!c.tx || c.tx.deauthorized || !c.evConnected || ch.down) return false;
  if (ch.has('never-faulted')) return true;
  return !c.fault && !ch.connectors[0].fault;
}

export function scheduleContext(ch: Charger, c: Connector): ScheduleContext {
  const ctx: ScheduleContext = {
    connectorId: c.id,
    nowMs: ch.time.now(),
    nominalVoltage: ch.setup.nominalVoltage,
    phases: c.phases,
    maxAmps: ch.setup.ratedCurrentA,
  };
  if (c.tx) ctx.transaction = { id: c.tx.transactionId ?? -1, startMs: c.tx.startMs };
  return ctx;
}

/**
 * The connector's limit: min(its own Tx/TxDefault with the ChargePointMaxProfile), and the
 * ChargePointMaxProfile shared equally among the connectors in a transaction (SPEC 3.13.3).
 */
function connectorLimit(ch: Charger, c: Connector, ctx: ScheduleContext): Limit | undefined {
  const profiles = ch.profiles.list();
  const own = limitAt(profiles, ctx);
  const sharing = ch.outlets.filter((o) => o.tx).length;
  if (sharing <= 1) return own;
  const total = limitAt(profiles, { ...ctx, connectorId: 0 });
  if (!total) return own;
  const share = total.watts / sharing;
  if (own && own.watts <= share) return own;
  return { watts: share, amps: share / (ch.setup.nominalVoltage * c.phases), phases: c.phases };
}

function scheduleNext(ch: Charger, c: Connector, ctx: ScheduleContext): void {
  c.nextEvent?.cancel();
  c.nextEvent = undefined;
  const candidates: number[] = [];
  const taper = c.ev ? msUntilDemandChange(c.ev, c.powerW) : undefined;
  if (taper !== undefined) candidates.push(taper);
  if (c.tx || c.ev) {
    const change = nextChangeAt(ch.profiles.list(), ctx);
    if (change !== undefined) candidates.push(Math.max(1, change - ctx.nowMs));
    if (ch.outlets.some((o) => o !== c && o.tx)) {
      const shared = nextChangeAt(ch.profiles.list(), { ...ctx, connectorId: 0 });
      if (shared !== undefined) candidates.push(Math.max(1, shared - ctx.nowMs));
    }
  }
  if (candidates.length === 0 || ch.down) return;
  c.nextEvent = ch.after(Math.min(...candidates), () => {
    c.nextEvent = undefined;
    refresh(ch, c);
  });
}
