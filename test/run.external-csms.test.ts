/**
 * `chargecheck run --csms …` against a third-party CSMS: ocpp-rpc's RPCServer (strict OCPP 1.6
 * validation) behind HTTPS with a certificate from our test PKI and Basic auth, scripted like the
 * platform (accepts boots, sends the ChangeConfiguration pair after each boot, answers
 * StartTransaction with ids, records MeterValues). The CLI runs as a child process in real time on
 * the scenarios that need no built-in-CSMS-only steps.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPki } from '../src/transport/pki.js';
import { ROOT, buildDist, runCli, type CliResult } from './helpers/cli.js';
import { startTlsRpcServer, type TlsRpcServer } from './helpers/ocpp-rpc.js';

const ID = 'STAGING-CP-7';
const PASSWORD = 'correct-horse-battery';
/** Shipped scenarios that use no csmsCall, CSMS replyNext or CSMS reply overrides, and are short in real time. */
const SHIPPED = [join(ROOT, 'scenarios', 'csms', '01-boot-and-configuration.yaml')];
const REAL_TIME = join(ROOT, 'test', 'fixtures', 'run', 'real-time.yaml');

interface Seen {
  client: number;
  outbound: boolean;
  frame: unknown[];
}

let work: string;
let server: TlsRpcServer;
let result: CliResult;
let wallMs: number;
const seen: Seen[] = [];
const strictFailures: unknown[] = [];
const badMessages: unknown[] = [];
const configured: { key: string; status: string }[] = [];
const meterValues: { transactionId?: number; measurands: string[] }[] = [];
const transactions: { id: number; meterStart: number; meterStop?: number }[] = [];

beforeAll(async () => {
  buildDist();
  work = mkdtempSync(join(tmpdir(), 'chargecheck-run-ext-'));
  const pki = await createPki();
  writeFileSync(join(work, 'ca.pem'), pki.ca.cert);
  server = await startTlsRpcServer(pki.server, { [ID]: Buffer.from(PASSWORD) });
  let clients = 0;
  let txSeq = 100;
  server.rpc.on('client', (client) => {
    const n = ++clients;
    const now = () => new Date().toISOString();
    client.on('message', ({ message, outbound }: { message: Buffer | string; outbound: boolean }) => {
      seen.push({ client: n, outbound, frame: JSON.parse(message.toString()) as unknown[] });
    });
    client.on('strictValidationFailure', (e: unknown) => strictFailures.push(e));
    client.on('badMessage', (e: unknown) => badMessages.push(e));
    client.handle('BootNotification', () => {
      // the platform configures every charger once its boot is accepted, after the answer is sent
      setImmediate(() => {
        void (async () => {
          for (const [key, value] of [
            ['MeterValuesSampledData', 'Energy.Active.Import.Register,Power.Active.Import'],
            ['MeterValueSampleInterval', '60'],
          ]) {
            const res = (await client.call('ChangeConfiguration', { key, value })) as { status: string };
            configured.push({ key, status: res.status });
          }
        })().catch(() => {});
      });
      return { status: 'Accepted', currentTime: now(), interval: 300 };
    });
    client.handle('Heartbeat', () => ({ currentTime: now() }));
    client.handle('StatusNotification', () => ({}));
    client.handle('Authorize', () => ({ idTagInfo: { status: 'Accepted' } }));
    client.handle('StartTransaction', ({ params }: { params: { meterStart: number } }) => {
      const id = ++txSeq;
      transactions.push({ id, meterStart: params.meterStart });
      return { transactionId: id, idTagInfo: { status: 'Accepted' } };
    });
    client.handle('MeterValues', ({ params }: { params: { transactionId?: number; meterValue: { sampledValue: { measurand?: string }[] }[] } }) => {
      meterValues.push({ transactionId: params.transactionId, measurands: params.meterValue.flatMap((mv) => mv.sampledValue.map((sv) => sv.measurand ?? 'Energy.Active.Import.Register')) });
      return {};
    });
    client.handle('StopTransaction', ({ params }: { params: { transactionId: number; meterStop: number } }) => {
      const tx = transactions.find((t) => t.id === params.transactionId);
      if (tx) tx.meterStop = params.meterStop;
      return {};
    });
  });
  const started = performance.now();
  result = await runCli(
    ['run', ...SHIPPED, REAL_TIME, '--csms', server.url, '--id', ID, '--password', PASSWORD, '--ca', join(work, 'ca.pem'), '--clock', 'real', '--reporter', 'terminal,json', '--out', join(work, 'out')],
    work,
  );
  wallMs = performance.now() - started;
  console.log(`chargecheck run --csms (ocpp-rpc, real time, ${SHIPPED.length + 1} scenarios): ${Math.round(wallMs)} ms wall`);
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('chargecheck run --csms against an ocpp-rpc CSMS (strict, TLS, Basic auth, real time)', () => {
  it('exits 0 with every scenario passed, in real time against that endpoint', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'out', 'report.json'), 'utf8')) as { mode: string; target: string; scenarios: { status: string; chargePointId: string }[] };
    expect(report).toMatchObject({ mode: 'real', target: server.url });
    expect(report.scenarios.map((s) => [s.status, s.chargePointId])).toEqual([
      ['passed', ID],
      ['passed', ID],
    ]);
    expect(server.refused).toEqual([]);
  });

  it('the ocpp-rpc server saw only valid OCPP 1.6 frames, both ways', () => {
    expect(strictFailures).toEqual([]);
    expect(badMessages).toEqual([]);
    expect(seen.length).toBeGreaterThan(20);
    expect(seen.filter((s) => s.frame[0] === 4)).toEqual([]); // no CALLERROR either way
  });

  it('it booted twice (one per scenario), configured each charger, and recorded a transaction with its MeterValues', () => {
    const boots = seen.filter((s) => !s.outbound && s.frame[0] === 2 && s.frame[2] === 'BootNotification');
    expect(boots.length).toBe(2);
    expect(configured).toEqual([
      { key: 'MeterValuesSampledData', status: 'Accepted' },
      { key: 'MeterValueSampleInterval', status: 'Accepted' },
      { key: 'MeterValuesSampledData', status: 'Accepted' },
      { key: 'MeterValueSampleInterval', status: 'Accepted' },
    ]);
    expect(transactions).toHaveLength(1);
    const [tx] = transactions;
    expect(tx.meterStop).toBeGreaterThan(tx.meterStart);
    expect(meterValues.length).toBeGreaterThanOrEqual(2);
    for (const mv of meterValues) {
      expect(mv.transactionId).toBe(tx.id);
      expect(mv.measurands).toEqual(expect.arrayContaining(['Energy.Active.Import.Register', 'Power.Active.Import']));
    }
  });
});

describe('chargecheck run --csms with a hex AuthorizationKey', () => {
  it('the preflight sends the password in the form the charger will (hex-decoded bytes), so a CSMS checking the bytes lets both in', async () => {
    const key = '0001020304050607FFFFFFFFFFFFFFFFFFFFFFFF';
    const pki = await createPki();
    const ca = join(work, 'hex-ca.pem');
    writeFileSync(ca, pki.ca.cert);
    const hexServer = await startTlsRpcServer(pki.server, { CP1: Buffer.from(key, 'hex') });
    try {
      let boots = 0;
      hexServer.rpc.on('client', (client) => {
        client.handle('BootNotification', () => {
          boots++;
          setImmediate(() => {
            void (async () => {
              await client.call('ChangeConfiguration', { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,Power.Active.Import' });
              await client.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '60' });
            })().catch(() => {});
          });
          return { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 };
        });
        client.handle('StatusNotification', () => ({}));
      });
      const r = await runCli(['run', ...SHIPPED, '--csms', hexServer.url, '--id', 'CP1', '--password', key, '--ca', ca], work);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(hexServer.refused).toEqual([]);
      expect(boots).toBe(1);
    } finally {
      await hexServer.close();
    }
  });
});
