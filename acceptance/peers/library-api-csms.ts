/**
 * A CSMS chargecheck did not write, for the library-API acceptance run: ocpp-rpc's RPCServer
 * (strict OCPP 1.6) behind HTTPS with the ELB 2018-06 policy and Basic auth, in its own process:
 *
 *   node --import tsx acceptance/peers/library-api-csms.ts '{"cert":"…","key":"…","password":"…"}'
 *
 * It answers every charger CALL validly, prints one JSON line { url } once listening and then one
 * JSON line per event ({ call, params } for each charger CALL, { closed, code }). A JSON line on
 * stdin { ref, id, method, params } makes it call charger `id`; it prints { ref, result } or
 * { ref, error }.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { RPCServer } from 'ocpp-rpc';
import { ELB_TLS_1_2_EXT_2018_06 as POLICY } from '../../src/transport/tls-policy.js';

interface Options {
  cert: string;
  key: string;
  password: string;
}

interface Client {
  identity: string;
  call(method: string, params: unknown): Promise<unknown>;
  handle(method: string, fn: (ctx: { params: Record<string, unknown> }) => unknown): void;
  on(ev: string, fn: (...a: unknown[]) => void): void;
}

const opts = JSON.parse(process.argv[2] ?? '{}') as Options;
const log = (event: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify({ t: new Date().toISOString(), ...event })}\n`);
const rpc = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
const clients = new Map<string, Client>();
let txSeq = 7000;

rpc.auth((accept, reject, handshake) => {
  if (!handshake.password || handshake.password.toString() !== opts.password) return reject(401, 'bad password');
  accept({});
});

rpc.on('client', (raw: unknown) => {
  const client = raw as Client;
  clients.set(client.identity, client);
  const now = (): string => new Date().toISOString();
  const answers: Record<string, (p: Record<string, unknown>) => unknown> = {
    BootNotification: () => ({ status: 'Accepted', currentTime: now(), interval: 300 }),
    Heartbeat: () => ({ currentTime: now() }),
    StatusNotification: () => ({}),
    Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
    StartTransaction: () => ({ transactionId: ++txSeq, idTagInfo: { status: 'Accepted' } }),
    StopTransaction: () => ({ idTagInfo: { status: 'Accepted' } }),
    MeterValues: () => ({}),
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
  };
  for (const [method, answer] of Object.entries(answers)) {
    client.handle(method, ({ params }) => {
      const result = answer(params);
      log({ id: client.identity, call: method, params, result });
      return result;
    });
  }
  client.on('badMessage', (e: unknown) => log({ id: client.identity, badMessage: String(e) }));
  client.on('strictValidationFailure', (e: unknown) => log({ id: client.identity, strictValidationFailure: String(e) }));
  client.on('close', (...a: unknown[]) => log({ id: client.identity, closed: true, code: (a[0] as { code?: number })?.code }));
});

const https = createServer({ cert: readFileSync(opts.cert), key: readFileSync(opts.key), minVersion: POLICY.minVersion, maxVersion: POLICY.maxVersion, ciphers: POLICY.ciphers, honorCipherOrder: POLICY.honorCipherOrder });
https.on('upgrade', rpc.handleUpgrade);
https.listen(0, '127.0.0.1', () => log({ url: `wss://127.0.0.1:${(https.address() as AddressInfo).port}/ocpp` }));

createInterface({ input: process.stdin }).on('line', (line) => {
  const { ref, id, method, params } = JSON.parse(line) as { ref: number; id: string; method: string; params: unknown };
  const client = clients.get(id);
  if (!client) return log({ ref, error: `no client ${id}` });
  client.call(method, params).then(
    (result) => log({ ref, result }),
    (err: unknown) => log({ ref, error: String(err) }),
  );
});
