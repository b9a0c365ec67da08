/**
 * The CSMS under load, in its own process: the built-in CSMS on the WSS listener (ELB policy,
 * Basic auth with a '*' entry), heartbeat 60 s, the platform's configuration after boot.
 * Prints one JSON line {url, caFile} on stdout when listening; exits on SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startCsmsServer } from '../src/csms/server.js';
import { createPki } from '../src/transport/pki.js';

const pki = await createPki();
const caFile = join(tmpdir(), `chargecheck-bench-ca-${process.pid}.pem`);
writeFileSync(caFile, pki.ca.cert);
const running = await startCsmsServer({ chargers: { '*': 'bench-secret' }, cert: pki.server, policy: { heartbeatIntervalSec: 60 } });
process.stdout.write(`${JSON.stringify({ url: running.url, caFile, port: running.server.port })}\n`);
process.on('SIGTERM', () => {
  void running.close().then(() => process.exit(0));
});
setInterval(() => {
  process.stdout.write(`${JSON.stringify({ rss: process.memoryUsage.rss(), sessions: running.server.connections.size })}\n`);
}, 5_000);
