import { fill } from '../captures.js';
import type { ActionName } from '../../ocpp/catalogue.js';
import { directionIssue, matcherIssues } from '../call-checks.js';
import { peerOf, type Side } from '../context.js';
import { durationMs } from '../duration.js';
import { findCall } from '../frame-query.js';
import { describeMatcher, matchValue } from '../matchers.js';
import { defineStep, type StepDefinition, type StepIssue } from '../registry.js';
import { action, duration, matcher, object, side } from '../schema-parts.js';

interface TrafficArgs {
  action: ActionName;
  from?: Side;
  payload?: unknown;
  count?: unknown;
  absent?: boolean;
  during?: string;
}

function countMatcher(a: TrafficArgs): unknown {
  if (a.absent) return 0;
  return a.count ?? { gte: 1 };
}

/** Counting CALLs in the frame log: so far in the scenario, or over a window the step waits out. */
export const trafficSteps: StepDefinition[] = [
  defineStep<TrafficArgs>({
    name: 'assertTraffic',
    description: 'Count CALLs of an action (matching a payload) so far, or during a window; `absent: true` = none',
    args: object(
      {
        action,
        from: { ...side, description: 'Who sent them (default: the peer of the role)' },
        payload: matcher('What their payload must match to count'),
        count: matcher('How many, e.g. 3 or {gte: 1} (default {gte: 1})'),
        absent: { type: 'boolean', description: 'Expect none (same as count: 0)' },
        during: duration('Watch for this long from the step start instead of counting the whole scenario so far'),
      },
      ['action'],
    ),
    example: { action: 'MeterValues', absent: true, during: '5m' },
    title: (a) => `${a.action} ${a.absent ? 'absent' : `count ${describeMatcher(countMatcher(a))}`}${a.during ? ` during ${a.during}` : ''}`,
    check: (a, s): StepIssue[] => {
      const issues = [...directionIssue(a.action, a.from ?? peerOf(s.role), '/action'), ...matcherIssues(a.payload, '/payload'), ...matcherIssues(a.count, '/count')];
      if (a.absent && a.count !== undefined) issues.push({ code: 'SCENARIO_BAD_VALUE', pointer: '/absent', message: 'give either count or absent, not both' });
      return issues;
    },
    run: async (ctx, a, step) => {
      const sender = a.from ?? peerOf(step.role);
      const start = a.during ? ctx.frames.list().length : 0;
      if (a.during) await ctx.time.advance(durationMs(a.during));
      const frames = ctx.frames.list();
      const query = { sender, action: a.action, payload: fill(a.payload, ctx, step) };
      let n = 0;
      for (let i = findCall(frames, query, start); i >= 0; i = findCall(frames, query, i + 1)) n++;
      const wanted = countMatcher(a);
      const miss = matchValue(wanted, n);
      const what = `${a.action} from ${sender}${query.payload !== undefined ? ` matching ${describeMatcher(query.payload)}` : ''}${a.during ? ` during ${a.during}` : ''}`;
      step.check({ description: `${n} × ${what} (expected ${describeMatcher(wanted)})`, passed: !miss, expected: wanted, actual: n, code: 'SCENARIO_TRAFFIC_COUNT' });
    },
  }),
];
