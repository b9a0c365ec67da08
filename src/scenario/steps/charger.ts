import type { EvSettings } from '../context.js';
import { evProperties } from '../ev-schema.js';
import { defineStep, type StepDefinition } from '../registry.js';
import { errorCode, object, plugConnector } from '../schema-parts.js';

/** Physical acts on the charger: cable, RFID, faults, the EV. Operator prompts on a real device. */
export const chargerSteps: StepDefinition[] = [
  defineStep<{ connector: number }>({
    name: 'plug',
    description: 'Plug an EV into a connector',
    args: object({ connector: plugConnector }),
    example: { connector: 1 },
    title: (a) => `plug in connector ${a.connector}`,
    run: (ctx, a) => ctx.charger.plug(a.connector),
  }),
  defineStep<{ connector: number }>({
    name: 'unplug',
    description: 'Unplug the EV from a connector',
    args: object({ connector: plugConnector }),
    example: { connector: 1 },
    title: (a) => `unplug connector ${a.connector}`,
    run: (ctx, a) => ctx.charger.unplug(a.connector),
  }),
  defineStep<{ tag: string; connector: number }>({
    name: 'presentIdTag',
    description: 'Present an RFID card (idTag) at the charger, for a connector',
    args: object({ tag: { type: 'string', minLength: 1, maxLength: 20, description: 'The idTag (up to 20 characters)' }, connector: plugConnector }, ['tag']),
    example: { tag: 'RFID-0001', connector: 1 },
    title: (a) => `present idTag ${a.tag} on connector ${a.connector}`,
    run: (ctx, a) => ctx.charger.presentIdTag(a.tag, a.connector),
  }),
  defineStep<{ connector: number; errorCode: string; info?: string }>({
    name: 'fault',
    description: 'Put a connector in a fault (the charger reports Faulted with this errorCode)',
    args: object({ connector: plugConnector, errorCode: { ...errorCode, default: 'GroundFailure' }, info: { type: 'string', maxLength: 50, description: 'Free text the charger adds' } }),
    example: { connector: 1, errorCode: 'GroundFailure' },
    title: (a) => `fault connector ${a.connector} (${a.errorCode})`,
    run: (ctx, a) => ctx.charger.fault(a.connector, a.errorCode, a.info),
  }),
  defineStep<{ connector: number }>({
    name: 'clearFault',
    description: 'Clear a connector’s fault',
    args: object({ connector: plugConnector }),
    example: { connector: 1 },
    title: (a) => `clear the fault on connector ${a.connector}`,
    run: (ctx, a) => ctx.charger.clearFault(a.connector),
  }),
  defineStep<EvSettings & { connector: number }>({
    name: 'setEv',
    description: 'Change the plugged EV: capacity, state of charge, max power, phases, pause',
    args: object({ connector: plugConnector, ...evProperties }),
    example: { connector: 1, socPercent: 100 },
    title: (a) =>
      `set the EV on connector ${a.connector}: ${Object.entries(a)
        .filter(([k]) => k !== 'connector')
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ')}`,
    run: (ctx, a) => {
      const { connector, ...ev } = a;
      return ctx.charger.setEv(connector, ev);
    },
  }),
];
