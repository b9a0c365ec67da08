import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, pathTo } from '../src/chargepoint/status-machine.js';
import { isChargecheckError } from '../src/errors.js';
import type { ChargePointStatus } from '../src/ocpp/types.js';
import { rig } from './chargepoint.harness.js';

const ALL: ChargePointStatus[] = ['Available', 'Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing', 'Reserved', 'Unavailable', 'Faulted'];

// digest §5, rows = from; '.' = not in the table
const TABLE = `
Available     . A A A A . A A A
Preparing     A . A A A A . . A
Charging      A . . A A A . A A
SuspendedEV   A . A . A A . A A
SuspendedEVSE A . A A . A . A A
Finishing     A A . . . . . A A
Reserved      A A . . . . . A A
Unavailable   A A A A A . . . A
Faulted       A A A A A A A A .
`;

describe('status transition table', () => {
  const rows = TABLE.trim().split('\n').map((l) => l.trim().split(/\s+/));
  it('allows exactly the transitions of the table', () => {
    for (const [from, ...cells] of rows) {
      cells.forEach((cell, i) => {
        expect(canTransition(from as ChargePointStatus, ALL[i]), `${from} -> ${ALL[i]}`).toBe(cell === 'A');
      });
    }
  });

  it('refuses an illegal transition with CP_ILLEGAL_TRANSITION, and connector 0 outside Available/Unavailable/Faulted', () => {
    let code = '';
    try {
      assertTransition('Finishing', 'Charging');
    } catch (err) {
      if (isChargecheckError(err)) code = err.code;
    }
    expect(code).toBe('CP_ILLEGAL_TRANSITION');
    expect(canTransition('Available', 'Preparing', 0)).toBe(false);
    expect(canTransition('Available', 'Unavailable', 0)).toBe(true);
  });

  it('goes through Preparing where a direct step is not allowed', () => {
    expect(pathTo('Finishing', 'Charging')).toEqual(['Preparing', 'Charging']);
    expect(pathTo('Reserved', 'SuspendedEV')).toEqual(['Preparing', 'SuspendedEV']);
    expect(pathTo('Preparing', 'Unavailable')).toEqual(['Available', 'Unavailable']);
    expect(pathTo('Charging', 'Charging')).toEqual([]);
  });

  it('sends a StatusNotification on every change, each one an allowed transition', async () => {
    const r = await rig();
    r.cp.plug(1, { socPercent: 99.5, taperStartSoc: 80 });
    await r.cp.presentIdTag('T');
    await r.run(4 * 3600_000);
    await r.cp.presentIdTag('T');
    r.cp.unplug(1);
    r.cp.fault(1, 'GroundFailure');
    r.cp.clearFault(1);
    await r.clock.settle();
    const seen = r.of('StatusNotification').filter((m) => m.payload.connectorId === 1).map((m) => m.payload.status as ChargePointStatus);
    expect(seen).toEqual(['Available', 'Preparing', 'Charging', 'SuspendedEV', 'Finishing', 'Available', 'Faulted', 'Available']);
    for (let i = 1; i < seen.length; i++) expect(canTransition(seen[i - 1], seen[i])).toBe(true);
    const faulted = r.of('StatusNotification').find((m) => m.payload.status === 'Faulted');
    expect(faulted?.payload.errorCode).toBe('GroundFailure');
  });
});
