/**
 * ACME Wallbox (test/fixtures/certify/acme-wallbox.ts: ocpp-rpc's RPCClient, not chargecheck's
 * charger model) as a process of its own on the real clock: the device under test of
 * acceptance/ocpp16-catalogue.test.ts. argv: URL (wss://host:port/ocpp) ID PASSWORD CA-FILE.
 * Prints `connected` once its first connection is up.
 */
import { readFileSync } from 'node:fs';
import { systemClock } from '../../src/clock/system.js';
import { AcmeWallbox } from '../../test/fixtures/certify/acme-wallbox.js';

const [url, id, password, caFile] = process.argv.slice(2);
const charger = new AcmeWallbox({ url, id, password, ca: readFileSync(caFile, 'utf8'), clock: systemClock });
await charger.connect();
process.stdout.write('connected\n');
process.on('SIGTERM', () => {
  charger.endScenario();
  process.exit(0);
});
