import { durationMs, formatDuration } from '../duration.js';
import { callPayload, isCallOf } from '../frame-query.js';
import type { ObservedFrame, Side } from '../context.js';
import { defineStep, type StepDefinition, type StepRuntime } from '../registry.js';
import { duration, measurand, object, plugConnector } from '../schema-parts.js';
import { READING_CONTEXTS } from '../vocabulary.js';

interface MeterArgs {
  connector: number;
  measurands: string[];
  interval?: string;
  tolerance: string;
  count: number;
  within?: string;
  context: string;
}

interface Sample {
  readonly clockTime: number;
  readonly measurands: readonly string[];
}

/** MeterValues CALLs of a connector with at least one sampled value in `context` (absent = Sample.Periodic). */
function samples(frames: readonly ObservedFrame[], sender: Side, a: MeterArgs, from: number): Sample[] {
  const out: Sample[] = [];
  for (let i = from; i < frames.length; i++) {
    if (!isCallOf(frames[i], { sender, action: 'MeterValues', connectorId: a.connector })) continue;
    const meterValue = callPayload(frames[i]).meterValue;
    const values = (Array.isArray(meterValue) ? meterValue : []).flatMap((mv: { sampledValue?: unknown }) => (Array.isArray(mv?.sampledValue) ? (mv.sampledValue as Record<string, unknown>[]) : []));
    const inContext = values.filter((v) => (v.context ?? 'Sample.Periodic') === a.context);
    if (inContext.length === 0) continue;
    out.push({ clockTime: frames[i].clockTime, measurands: [...new Set(inContext.map((v) => String(v.measurand ?? 'Energy.Active.Import.Register')))] });
  }
  return out;
}

function defaultWithin(a: MeterArgs): number {
  return a.interval ? durationMs(a.interval) * (a.count + 1) + durationMs(a.tolerance) : 5 * 60_000;
}

function checkSamples(step: StepRuntime, a: MeterArgs, got: readonly Sample[]): void {
  const bad = got.find((s) => a.measurands.some((m) => !s.measurands.includes(m)));
  const missing = bad ? a.measurands.filter((m) => !bad.measurands.includes(m)) : [];
  step.check({
    description: bad ? `MeterValues without ${missing.join(', ')} (it had ${bad.measurands.join(', ')})` : `every MeterValues carries ${a.measurands.join(', ')}`,
    passed: !bad,
    expected: a.measurands,
    actual: bad?.measurands ?? got[0]?.measurands,
    code: 'SCENARIO_METER_MEASURAND_MISSING',
  });
  if (!a.interval || got.length < 2) return;
  const want = durationMs(a.interval);
  const gaps = got.slice(1).map((s, i) => s.clockTime - got[i].clockTime);
  const worst = gaps.reduce((w, g) => (Math.abs(g - want) > Math.abs(w - want) ? g : w), gaps[0]);
  const ok = Math.abs(worst - want) <= durationMs(a.tolerance);
  step.check({
    description: `MeterValues every ${a.interval} ± ${a.tolerance} (n=${got.length}, ${ok ? 'worst' : 'one'} gap ${formatDuration(worst)})`,
    passed: ok,
    expected: `${a.interval} ± ${a.tolerance}`,
    actual: gaps.map(formatDuration),
    code: 'SCENARIO_METER_INTERVAL',
  });
}

/** Periodic meter values: which measurands, how often, how many. */
export const meterSteps: StepDefinition[] = [
  defineStep<MeterArgs>({
    name: 'expectMeterValues',
    description: 'Wait for `count` MeterValues of a connector (from the step start) carrying the measurands, every `interval` ± `tolerance`',
    args: object({
      connector: plugConnector,
      measurands: { type: 'array', items: measurand, minItems: 1, uniqueItems: true, default: ['Energy.Active.Import.Register'], description: 'Measurands every sample must carry' },
      interval: duration('Expected time between samples'),
      tolerance: duration('Allowed deviation from the interval', '2s'),
      count: { type: 'integer', minimum: 1, default: 3, description: 'How many samples to collect' },
      within: duration('How long to wait for them (default interval × (count + 1) + tolerance, or 5m)'),
      context: { enum: READING_CONTEXTS, default: 'Sample.Periodic', description: 'Reading context of the samples to count' },
    }),
    example: { connector: 1, measurands: ['Power.Active.Import', 'Energy.Active.Import.Register'], interval: '60s', tolerance: '2s', count: 3, context: 'Sample.Periodic' },
    title: (a) => `expect ${a.count} MeterValues with ${a.measurands.join(', ')}${a.interval ? ` every ${a.interval} ± ${a.tolerance}` : ''}`,
    run: async (ctx, a, step) => {
      const sender: Side = 'chargepoint';
      const within = a.within ? durationMs(a.within) : defaultWithin(a);
      const enough = await ctx.time.waitUntil(() => samples(ctx.frames.list(), sender, a, step.frameStart).length >= a.count, within, `${a.count} MeterValues`);
      const got = samples(ctx.frames.list(), sender, a, step.frameStart).slice(0, a.count);
      if (!enough) {
        step.fail('SCENARIO_EXPECT_TIMEOUT', `only ${got.length} of ${a.count} ${a.context} MeterValues on connector ${a.connector} within ${formatDuration(within)}`, a.count, got.length);
      }
      checkSamples(step, a, got);
    },
  }),
];
