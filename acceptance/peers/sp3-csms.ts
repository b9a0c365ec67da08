/**
 * A Security Profile 3 CSMS that chargecheck did not write: ocpp-rpc's strict RPCServer behind an
 * HTTPS server that demands client certificates, OpenSSL (a child process) to sign CSRs, and a
 * plain HTTP file server for firmware and logs. Run as its own process:
 *
 *   node --import tsx acceptance/peers/sp3-csms.ts DIR
 *
 * DIR holds ca.pem, ca.key, server.pem, server.key, image.bin, image.sig (base64) and signer.pem.
 * It prints one JSON object per line: {"listening": url}, then {"event": …} as things happen, and
 * drives one charger through: certificate renewal → reconnect → signed firmware → GetLog.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { RPCServer, type RPCClient } from 'ocpp-rpc';

const dir = process.argv[2];
if (!dir) throw new Error('usage: sp3-csms.ts DIR');
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
const emit = (obj: Record<string, unknown>): void => void process.stdout.write(JSON.stringify(obj) + '\n');

const image = readFileSync(join(dir, 'image.bin'));
const files = createHttpServer((req, res) => {
  if (req.method === 'GET') return void res.end(image);
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    emit({ event: 'upload', path: req.url, body });
    res.statusCode = 201;
    res.end();
  });
});
await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
const fileBase = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;

const rpc = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
rpc.auth((accept, reject, handshake) => {
  const socket = handshake.request.socket as TLSSocket;
  const peer = socket.getPeerCertificate();
  const cn = peer?.subject ? String(Array.isArray(peer.subject.CN) ? peer.subject.CN[0] : peer.subject.CN) : '';
  emit({ event: 'handshake', identity: handshake.identity, authorized: socket.authorized, cn, fingerprint: peer?.fingerprint256 ?? null, password: handshake.password !== undefined });
  if (!socket.authorized || cn !== handshake.identity) return reject(403, 'client certificate required');
  accept({});
});
const https = createServer({ cert: read('server.pem'), key: read('server.key'), ca: [read('ca.pem')], requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' });
https.on('upgrade', rpc.handleUpgrade);
await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));

let connections = 0;
let renewed = false;
let step: 'renew' | 'firmware' | 'done' = 'renew';

/** `openssl ca` signs the CSR (the validity is the wall clock's: this is real time). */
function signWithOpenssl(csr: string): string {
  writeFileSync(join(dir, 'cp.csr'), csr);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '7A01\n');
  const cnf = ['[ca]', 'default_ca = csms', '[csms]', 'database = index.txt', 'new_certs_dir = .', 'serial = serial', 'default_md = sha256', 'policy = pol', 'unique_subject = no', 'default_days = 30', '[pol]', 'commonName = supplied', 'organizationName = optional', ''];
  writeFileSync(join(dir, 'ca.cnf'), cnf.join('\n'));
  execFileSync('openssl', ['ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', 'cp.csr', '-out', 'renewed.pem', '-notext'], { cwd: dir, stdio: 'pipe' });
  return read('renewed.pem') + read('ca.pem');
}

async function drive(client: RPCClient, n: number): Promise<void> {
  if (n === 1) {
    emit({ event: 'call', action: 'ChangeConfiguration', result: await client.call('ChangeConfiguration', { key: 'CpoName', value: 'ACME CPO' }) });
    emit({ event: 'call', action: 'ExtendedTriggerMessage', result: await client.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }) });
  } else if (renewed && step === 'firmware') {
    step = 'done';
    const firmware = { location: `${fileBase}/chargecheck-4.2.0.bin`, retrieveDateTime: new Date().toISOString(), signingCertificate: read('signer.pem'), signature: read('image.sig').trim() };
    emit({ event: 'call', action: 'SignedUpdateFirmware', result: await client.call('SignedUpdateFirmware', { requestId: 11, firmware }) });
  }
}

rpc.on('client', (client: RPCClient) => {
  const n = ++connections;
  emit({ event: 'connected', n });
  client.on('strictValidationFailure', (e: unknown) => emit({ event: 'strictValidationFailure', detail: String(e) }));
  client.on('badMessage', (e: unknown) => emit({ event: 'badMessage', detail: String(e) }));
  const on = (method: string, answer: (params: Record<string, unknown>) => Record<string, unknown>): void =>
    client.handle(method, async ({ params }: { params?: Record<string, unknown> }) => {
      emit({ event: 'received', n, action: method, params: params ?? {} });
      return answer(params ?? {});
    });
  on('BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
  on('StatusNotification', () => ({}));
  on('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
  on('SecurityEventNotification', () => ({}));
  on('SignedFirmwareStatusNotification', (p) => {
    if (p.status === 'Installed') {
      setImmediate(() => {
        void client.call('GetLog', { logType: 'SecurityLog', requestId: 5, log: { remoteLocation: `${fileBase}/logs/` } }).then((result) => emit({ event: 'call', action: 'GetLog', result }));
      });
    }
    return {};
  });
  on('LogStatusNotification', (p) => {
    if (p.status === 'Uploaded') setImmediate(() => emit({ event: 'finished' }));
    return {};
  });
  on('SignCertificate', (p) => {
    setImmediate(() => {
      const chain = signWithOpenssl(String(p.csr));
      void client.call('CertificateSigned', { certificateChain: chain }).then((result) => {
        renewed = true;
        step = 'firmware';
        emit({ event: 'call', action: 'CertificateSigned', result });
      });
    });
    return { status: 'Accepted' };
  });
  setTimeout(() => void drive(client, n).catch((err: unknown) => emit({ event: 'error', detail: String(err) })), 500);
});

emit({ listening: `wss://127.0.0.1:${(https.address() as AddressInfo).port}/ocpp` });
process.on('SIGTERM', () => {
  void rpc.close({ force: true });
  https.closeAllConnections();
  https.close();
  files.closeAllConnections();
  files.close();
  process.exit(0);
});
