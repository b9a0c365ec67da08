/**
 * A CSMS chargecheck did not write, for acceptance runs: ocpp-rpc's RPCServer (strict OCPP 1.6)
 * behind HTTPS with the ELB 2018-06 policy and Basic auth, started as its own process:
 *
 *   tsx acceptance/peers/platform-csms.ts '<json options>'
 *
 * Options: { cert, key (PEM file paths), password, behaviour: 'platform' | 'answer-only',
 * admin?: boolean, dropDuplicateWithinMs?: number, scale?: number }. It prints one JSON line
 * { url, admin? } once listening, then JSON event lines.
 *
 * `platform` behaves like the platform on its own: after every accepted boot it configures
 * MeterValuesSampledData and MeterValueSampleInterval=60; after a charger's first boot it triggers
 * StatusNotification and BootNotification; one minute into each transaction it switches charging
 * off (TxProfile limit 0), three minutes later on again at 7 kW, and 30 s after that caps the
 * charger with a ChargePointMaxProfile of 3680 W. `answer-only` only answers. `admin` adds an HTTP
 * API (GET /chargers, POST /chargers/<id>/call) for target-file hooks. `dropDuplicateWithinMs`
 * drops a connection for an id that arrives that soon after the previous one closed (the first
 * frame is swallowed and the socket destroyed), as some load balancers do.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import { ELB_TLS_1_2_EXT_2018_06 as POLICY } from '../../src/transport/tls-policy.js';

interface Options {
  cert: string;
  key: string;
  password: string;
  behaviour: 'platform' | 'answer-only';
  admin?: boolean;
  dropDuplicateWithinMs?: number;
  /** Time scale for the platform's session timers (1 = real minutes). */
  scale?: number;
}

const opts = JSON.parse(process.argv[2] ?? '{}') as Options;
const scale = opts.scale ?? 1;
const log = (event: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify({ t: new Date().toISOString(), ...event })}\n`);

interface Client {
  identity: string;
  call(method: string, params: unknown): Promise<unknown>;
  handle(method: string, fn: (ctx: { params: Record<string, unknown> }) => unknown): void;
  close(o?: { force?: boolean }): Promise<unknown>;
  on(ev: string, fn: (...a: unknown[]) => void): void;
}

const rpc = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
const clients = new Map<string, Client>();
const booted = new Set<string>();
const lastClose = new Map<string, number>();
let txSeq = 5000;
let profileSeq = 900;

rpc.auth((accept, reject, handshake) => {
  if (!handshake.password || handshake.password.toString() !== opts.password) {
    log({ refused: handshake.identity, status: 401 });
    return reject(401, 'bad password');
  }
  accept({});
});

function later(ms: number, fn: () => void): NodeJS.Timeout {
  return setTimeout(fn, ms * scale);
}

rpc.on('client', (raw: unknown) => {
  const client = raw as Client;
  const id = client.identity;
  const closedAt = lastClose.get(id);
  if (opts.dropDuplicateWithinMs !== undefined && closedAt !== undefined && performance.now() - closedAt < opts.dropDuplicateWithinMs) {
    log({ dropped: id, afterMs: performance.now() - closedAt });
    client.handle('BootNotification', () => new Promise(() => void client.close({ force: true })));
    lastClose.set(id, performance.now());
    client.on('close', () => {});
    return;
  }
  clients.set(id, client);
  log({ connected: id });
  const timers = new Map<number, NodeJS.Timeout[]>();
  client.on('close', () => {
    lastClose.set(id, performance.now());
    if (clients.get(id) === client) clients.delete(id);
    for (const list of timers.values()) list.forEach(clearTimeout);
    log({ closed: id });
  });
  const act = (what: string, method: string, params: unknown): void => {
    client.call(method, params).then(
      (res) => log({ id, act: what, res }),
      (err: unknown) => log({ id, act: what, err: String(err) }),
    );
  };
  client.handle('BootNotification', () => {
    if (opts.behaviour === 'platform') {
      const first = !booted.has(id);
      booted.add(id);
      setImmediate(async () => {
        try {
          await client.call('ChangeConfiguration', { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,Power.Active.Import' });
          await client.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '60' });
          if (first) {
            await client.call('TriggerMessage', { requestedMessage: 'StatusNotification' });
            await client.call('TriggerMessage', { requestedMessage: 'BootNotification' });
          }
        } catch (err) {
          log({ id, afterBoot: String(err) });
        }
      });
    }
    return { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 };
  });
  client.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
  client.handle('StatusNotification', () => ({}));
  client.handle('Authorize', () => ({ idTagInfo: { status: 'Accepted' } }));
  client.handle('MeterValues', () => ({}));
  client.handle('FirmwareStatusNotification', () => ({}));
  client.handle('DiagnosticsStatusNotification', () => ({}));
  client.handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
  client.handle('StartTransaction', ({ params }) => {
    const txId = ++txSeq;
    const connectorId = params.connectorId as number;
    log({ id, started: txId, connectorId });
    if (opts.behaviour === 'platform') {
      const profileId = ++profileSeq;
      const tx = (limit: number) => ({
        connectorId,
        csChargingProfiles: { chargingProfileId: profileId, transactionId: txId, stackLevel: 1, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit }] } },
      });
      timers.set(txId, [
        later(60_000, () => act('limitOff', 'SetChargingProfile', tx(0))),
        later(240_000, () => act('release', 'SetChargingProfile', tx(7000))),
        later(270_000, () =>
          act('chargePointMax', 'SetChargingProfile', {
            connectorId: 0,
            csChargingProfiles: { chargingProfileId: ++profileSeq, stackLevel: 0, chargingProfilePurpose: 'ChargePointMaxProfile', chargingProfileKind: 'Absolute', chargingSchedule: { chargingRateUnit: 'W', startSchedule: '2000-01-01T00:00:00Z', chargingSchedulePeriod: [{ startPeriod: 0, limit: 3680 }] } },
          }),
        ),
      ]);
    }
    return { transactionId: txId, idTagInfo: { status: 'Accepted' } };
  });
  client.handle('StopTransaction', ({ params }) => {
    const txId = params.transactionId as number;
    timers.get(txId)?.forEach(clearTimeout);
    timers.delete(txId);
    log({ id, stopped: txId, reason: params.reason ?? 'Local' });
    return {};
  });
});

const https = createServer({ cert: readFileSync(opts.cert), key: readFileSync(opts.key), minVersion: POLICY.minVersion, maxVersion: POLICY.maxVersion, ciphers: POLICY.ciphers, honorCipherOrder: POLICY.honorCipherOrder });
https.on('upgrade', rpc.handleUpgrade);
https.listen(0, '127.0.0.1', () => {
  const { port } = https.address() as AddressInfo;
  if (!opts.admin) return log({ url: `wss://127.0.0.1:${port}/ocpp` });
  const admin = createHttp((req, res) => {
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && req.url === '/chargers') return reply(200, [...clients.keys()].map((id) => ({ id, connected: true })));
    const m = /^\/chargers\/([^/]+)\/call$/.exec(req.url ?? '');
    if (!m || req.method !== 'POST') return reply(404, { error: 'not found' });
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const client = clients.get(decodeURIComponent(m[1]!));
      if (!client) return reply(404, { error: 'not connected' });
      let call: { action: string; payload: unknown };
      try {
        call = JSON.parse(body) as typeof call;
      } catch {
        return reply(400, { error: 'not JSON' });
      }
      client.call(call.action, call.payload ?? {}).then(
        (result) => reply(200, { result }),
        (err: unknown) => reply(502, { error: String(err) }),
      );
    });
  });
  admin.listen(0, '127.0.0.1', () => log({ url: `wss://127.0.0.1:${port}/ocpp`, admin: `http://127.0.0.1:${(admin.address() as AddressInfo).port}` }));
});
process.on('SIGTERM', () => process.exit(0));
