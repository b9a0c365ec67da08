import { defineStep, type StepDefinition } from '../registry.js';
import { object } from '../schema-parts.js';
import { RESET_TYPES } from '../vocabulary.js';

/** Link and power acts: the charger's WebSocket and its reboot. */
export const networkSteps: StepDefinition[] = [
  defineStep<Record<string, never>>({
    name: 'connect',
    description: 'Open the charger’s WebSocket to the CSMS (boot follows as the charger does it)',
    args: object({}),
    example: null,
    title: () => 'connect',
    run: (ctx) => ctx.charger.connect(),
  }),
  defineStep<Record<string, never>>({
    name: 'disconnect',
    description: 'Close the charger’s WebSocket cleanly (close handshake)',
    args: object({}),
    example: null,
    title: () => 'disconnect',
    run: (ctx) => ctx.charger.disconnect(),
  }),
  defineStep<Record<string, never>>({
    name: 'dropNetwork',
    description: 'Lose the network without a close handshake; frames are lost until restoreNetwork',
    args: object({}),
    example: null,
    title: () => 'drop the network',
    run: (ctx) => ctx.charger.dropNetwork(),
  }),
  defineStep<Record<string, never>>({
    name: 'restoreNetwork',
    description: 'Bring the network back; the charger reconnects with its own back-off',
    args: object({}),
    example: null,
    title: () => 'restore the network',
    run: (ctx) => ctx.charger.restoreNetwork(),
  }),
  defineStep<{ type: 'Soft' | 'Hard' }>({
    name: 'reboot',
    description: 'Power-cycle (Hard) or restart (Soft) the charger',
    args: object({ type: { enum: RESET_TYPES, default: 'Hard', description: 'Soft or Hard' } }),
    example: { type: 'Hard' },
    title: (a) => `reboot (${a.type})`,
    run: (ctx, a) => ctx.charger.reboot(a.type),
  }),
];
