/**
 * The CSMS under load, in its own process: the built-in CSMS on the WSS listener (ELB policy,
 * Basic auth with a '*' entry), heartbeat 60 s, the platform's configuration after boot.
 * Prints one JSON line {url, caFile, port} when listening, then every second a line with its RSS,
 * sessions, CPU used so far (ms) and frames handled so far; exits on SIGTERM.
 * CURTAIL_W=W: the platform curtails every transaction (profiles and triggers in the traffic).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startCsmsServer } from '../src/csms/server.js';
import { createPki } from '../src/transport/pki.js';

const pki = await createPki();
const caFile = join(tmpdir(), `chargecheck-bench-ca-${process.pid}.pem`);
writeFileSync(caFile, pki.ca.cert);
const curtailW = process.env.CURTAIL_W ? Number(process.env.CURTAIL_W) : undefined;
const running = await startCsmsServer({ chargers: { '*': 'bench-secret' }, cert: pki.server, policy: { heartbeatIntervalSec: 60 }, platform: curtailW === undefined ? {} : { curtailW } });
let frames = 0;
running.csms.onFrame(() => frames++);
process.stdout.write(`${JSON.stringify({ url: running.url, caFile, port: running.server.port })}\n`);
process.on('SIGTERM', () => {
  void running.close().then(() => process.exit(0));
});
setInterval(() => {
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ rss: process.memoryUsage.rss(), sessions: running.server.connections.size, cpuMs: (cpu.user + cpu.system) / 1000, frames, at: Date.now() })}\n`);
}, 1_000);
