import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCharger, startCsms, type FakeCsms, type VirtualCharger } from 'chargecheck';

// The CSMS under test: yours at its wss:// URL. Here chargecheck's own stands in for it.
let csms: FakeCsms;
let charger: VirtualCharger;

beforeAll(async () => {
  csms = await startCsms({ chargers: { 'CP-1': 'a-long-test-password' } });
  charger = await startCharger({ csms: csms.url, id: 'CP-1', password: 'a-long-test-password', ca: csms.ca });
});

afterAll(async () => {
  await charger?.close();
  await csms?.close();
});

it('boots, charges, obeys a limit and stops', async () => {
  await charger.waitFor('boot', (b) => b.status === 'Accepted');

  charger.plug(1);
  await charger.presentIdTag('RFID-1', 1);
  await charger.waitFor('status', (s) => s.connectorId === 1 && s.status === 'Charging');
  expect(charger.power(1)).toBeGreaterThan(10_000);

  // once the charger holds the CSMS's transaction id, a TxProfile for it applies at once
  await charger.waitFor('transactionConfirmed', (t) => t.connectorId === 1);
  await csms.setLimit('CP-1', 1, 7_000);
  expect(charger.limit(1)).toBe(7_000);
  expect(charger.power(1)).toBeLessThanOrEqual(7_000);

  // unplugging ends the transaction; wait for the CSMS to see it
  const stopped = csms.waitFor('transaction', (t) => t.id === 'CP-1' && t.phase === 'stopped');
  charger.unplug(1);
  const { transaction } = await stopped;
  expect(transaction).toMatchObject({ connectorId: 1, idTag: 'RFID-1', stopReason: 'EVDisconnected' });
});
