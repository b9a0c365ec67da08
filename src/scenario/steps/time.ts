import { durationMs } from '../duration.js';
import { defineStep, type StepDefinition } from '../registry.js';
import { duration } from '../schema-parts.js';

/**
 * Letting time pass. Both move the run clock by the duration: a virtual clock jumps (firing every
 * timer on the way), a real one sleeps. `wait` reads as "the scenario pauses", `advance` as
 * "fast-forward the simulation"; against a real peer both are real waits.
 */
export const timeSteps: StepDefinition[] = [
  defineStep<string>({
    name: 'wait',
    description: 'Let this much time pass (real time against a real peer, virtual time otherwise)',
    args: duration('How long'),
    example: '10s',
    title: (a) => `wait ${a}`,
    run: (ctx, a) => ctx.time.advance(durationMs(a)),
  }),
  defineStep<string>({
    name: 'advance',
    description: 'Move the virtual clock forward, firing timers on the way (a real wait in real mode)',
    args: duration('How far'),
    example: '5m',
    title: (a) => `advance the clock ${a}`,
    run: (ctx, a) => ctx.time.advance(durationMs(a)),
  }),
];
