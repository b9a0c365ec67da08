import type { StepContext } from '../context.js';
import { matcherIssues } from '../call-checks.js';
import { durationMs } from '../duration.js';
import { describeMatcher, matchValue } from '../matchers.js';
import { defineStep, type StepDefinition, type StepRuntime } from '../registry.js';
import { connector, duration, matcher, object, status } from '../schema-parts.js';

/** Checks `read()` against `spec` now, or — with `within` — as soon as it matches before the deadline. */
async function observe(ctx: StepContext, step: StepRuntime, what: string, read: () => unknown, spec: unknown, within?: string): Promise<void> {
  if (within) await ctx.time.waitUntil(() => !matchValue(spec, read()), durationMs(within), `${what} ${describeMatcher(spec)}`);
  const actual = read();
  const miss = matchValue(spec, actual, what);
  step.check({ description: miss ? miss.message : `${what} is ${describeMatcher(spec)}`, passed: !miss, expected: spec, actual, code: 'SCENARIO_ASSERTION_FAILED' });
}

const withinProp = duration('Keep checking until it holds, for at most this long');

/** Assertions on what the charger reports now (or within a deadline). */
export const assertSteps: StepDefinition[] = [
  defineStep<{ connector: number; status: string }>({
    name: 'assertStatus',
    description: 'Check a connector’s status now',
    args: object({ connector, status }, ['status']),
    example: { connector: 1, status: 'Available' },
    title: (a) => `connector ${a.connector} is ${a.status}`,
    run: async (ctx, a, step) => {
      const actual = ctx.charger.status(a.connector);
      step.check({ description: `connector ${a.connector} is ${a.status}`, passed: actual === a.status, expected: a.status, actual, code: 'SCENARIO_ASSERTION_FAILED' });
    },
  }),
  defineStep<{ connector: number; watts: unknown; within?: string }>({
    name: 'assertPower',
    description: 'Check a connector’s active import power (W) against a matcher, e.g. {between: [0, 50]}',
    args: object({ connector, watts: matcher('Power in W'), within: withinProp }, ['watts']),
    example: { connector: 1, watts: { between: [7000, 7400] }, within: '2m' },
    title: (a) => `power on connector ${a.connector} ${describeMatcher(a.watts)} W`,
    check: (a) => matcherIssues(a.watts, '/watts'),
    run: (ctx, a, step) => observe(ctx, step, `power on connector ${a.connector}`, () => ctx.charger.powerW(a.connector), a.watts, a.within),
  }),
  defineStep<{ connector: number; wh: unknown; within?: string }>({
    name: 'assertEnergy',
    description: 'Check a connector’s energy register (Wh) against a matcher, e.g. {gte: 1000}',
    args: object({ connector, wh: matcher('Energy in Wh'), within: withinProp }, ['wh']),
    example: { connector: 1, wh: { gte: 100 } },
    title: (a) => `energy on connector ${a.connector} ${describeMatcher(a.wh)} Wh`,
    check: (a) => matcherIssues(a.wh, '/wh'),
    run: (ctx, a, step) => observe(ctx, step, `energy on connector ${a.connector}`, () => ctx.charger.energyWh(a.connector), a.wh, a.within),
  }),
  defineStep<{ key: string; value: unknown }>({
    name: 'assertConfiguration',
    description: 'Check a configuration key’s value as GetConfiguration reports it',
    args: object({ key: { type: 'string', minLength: 1, description: 'Configuration key' }, value: matcher('Its value (a string in OCPP; 60 matches "60")') }, ['key', 'value']),
    example: { key: 'MeterValueSampleInterval', value: 60 },
    title: (a) => `configuration ${a.key} is ${describeMatcher(a.value)}`,
    check: (a) => matcherIssues(a.value, '/value'),
    run: async (ctx, a, step) => {
      const actual = await ctx.charger.configuration(a.key);
      const miss = matchValue(a.value, actual, a.key);
      step.check({ description: miss ? miss.message : `${a.key} is ${describeMatcher(a.value)}`, passed: !miss, expected: a.value, actual, code: 'SCENARIO_ASSERTION_FAILED' });
    },
  }),
];
