import type { ReadingContext } from '../ocpp/types.js';
import type { Charger } from './charger.js';
import type { Connector } from './connector.js';
import { readMeter, sampledValues, type Reading, type TxMeterValue } from './measurands.js';
import { WRONG_SAMPLE_INTERVAL_S } from './quirks.js';

/** The connector's meter right now (integrated by the caller). */
export function reading(ch: Charger, c: Connector): Reading {
  return readMeter(c, { nominalVoltage: ch.setup.nominalVoltage, random: ch.setup.random }, ch.has('energy-backwards'));
}

/** One MeterValue of the measurands in `configKey`, stamped `timestampMs` (default now). */
export function meterValue(ch: Charger, c: Connector, configKey: string, context: ReadingContext, timestampMs = ch.time.now()): TxMeterValue {
  return meterValueOf(ch, c, ch.config.get(configKey) ?? '', context, timestampMs);
}

/** One MeterValue of the measurands in a CSL. */
export function meterValueOf(ch: Charger, c: Connector, csl: string, context: ReadingContext, timestampMs = ch.time.now()): TxMeterValue {
  const sampled = sampledValues(reading(ch, c), csl, context, ch.has('no-power-measurand'));
  return { timestamp: ch.time.iso(timestampMs), sampledValue: sampled };
}

function sampleIntervalMs(ch: Charger): number {
  const s = ch.has('wrong-sample-interval') ? WRONG_SAMPLE_INTERVAL_S : ch.config.int('MeterValueSampleInterval');
  return s * 1000;
}

/**
 * Keeps the connector's sampled MeterValues in step with its transaction: every
 * MeterValueSampleInterval counted from the transaction start (digest §7), queued as
 * transaction messages. `restart` re-anchors after an interval change. The transaction remembers
 * the number of its last sample, so the next is a later one even when a real-time timer fired a
 * millisecond before its mark and something re-synchronised sampling meanwhile (taking the sample
 * refreshes the connector, which calls here: with the count kept only in the timer's callback that
 * scheduled the same sample twice, a few ms apart, in real-time runs).
 */
export function syncSampling(ch: Charger, c: Connector, restart = false): void {
  if (restart || !c.tx || ch.down) {
    c.sampleTimer?.cancel();
    c.sampleTimer = undefined;
  }
  if (!c.tx || c.sampleTimer || ch.down) return;
  const interval = sampleIntervalMs(ch);
  if (interval <= 0) return;
  const tx = c.tx;
  const elapsed = ch.time.mono() - tx.startMono;
  const k = Math.max((tx.lastSample ?? 0) + 1, Math.floor(elapsed / interval) + 1);
  c.sampleTimer = ch.after(tx.startMono + k * interval - ch.time.mono(), () => {
    c.sampleTimer = undefined;
    if (c.tx !== tx) return;
    tx.lastSample = k;
    sendTxMeterValue(ch, c, 'MeterValuesSampledData', 'Sample.Periodic');
    syncSampling(ch, c);
  });
}

function sendTxMeterValue(ch: Charger, c: Connector, key: string, context: ReadingContext, timestampMs?: number): void {
  ch.integrate(c);
  const mv = meterValue(ch, c, key, context, timestampMs);
  if (mv.sampledValue.length === 0 || !c.tx) return;
  const tx = c.tx;
  ch.queue.enqueue('MeterValues', { connectorId: c.id, transactionId: tx.transactionId ?? -1, meterValue: [mv] }, tx.localTxId);
  emitMeter(ch, c);
}

/** Clock-aligned readings every ClockAlignedDataInterval from midnight, for connectors in a transaction. */
export function scheduleAligned(ch: Charger): void {
  ch.alignedTimer?.cancel();
  ch.alignedTimer = undefined;
  const interval = ch.config.int('ClockAlignedDataInterval') * 1000;
  if (interval <= 0 || ch.down || ch.has('no-aligned-data')) return;
  const now = ch.time.now();
  const boundary = Math.floor(now / interval) * interval + interval;
  ch.alignedTimer = ch.after(boundary - now, () => {
    ch.alignedTimer = undefined;
    for (const c of ch.outlets) if (c.tx) sendTxMeterValue(ch, c, 'MeterValuesAlignedData', 'Sample.Clock', boundary);
    scheduleAligned(ch);
  });
}

/** A chart sample of the connector (the 'meter' event). */
export function emitMeter(ch: Charger, c: Connector): void {
  const e = { timeMs: ch.time.now(), connectorId: c.id, powerW: c.powerW, offeredW: c.offeredW, energyWh: c.registerWh };
  ch.events.emit('meter', c.ev ? { ...e, socPercent: c.ev.socPercent } : e);
}
