/**
 * Issue 2: MeterValues CALL → CALLRESULT round trips per second over WSS with validation on both
 * sides, at 1, 100 and 1,000 connections, beside raw ws echoing the same bytes over the same TLS
 * listener in the same run. Closed loop: one CALL in flight per connection, as OCPP-J requires.
 */
import { WheelClock } from '../src/clock/wheel.js';
import { RpcEndpoint } from '../src/rpc/endpoint.js';
import type { FrameChannel } from '../src/rpc/channel.js';
import { connectOcpp, type OcppConnection } from '../src/transport/client.js';
import type { Pki } from '../src/transport/pki.js';
import { startOcppServer, type OcppServer } from '../src/transport/server.js';
import type { RequestOf } from '../src/ocpp/types.js';

const PAYLOAD: RequestOf<'MeterValues'> = {
  connectorId: 1,
  transactionId: 42,
  meterValue: [
    {
      timestamp: '2026-01-01T08:00:00.000Z',
      sampledValue: [
        { value: '12345', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
        { value: '11000', measurand: 'Power.Active.Import', unit: 'W' },
      ],
    },
  ],
};

export interface RoundTripResult {
  connections: number;
  ocppPerSec: number;
  rawPerSec: number;
  ratio: number;
}

async function connectAll(server: OcppServer, pki: Pki, clock: WheelClock, n: number, tag: string): Promise<OcppConnection[]> {
  const out: OcppConnection[] = [];
  for (let i = 0; i < n; i += 100) {
    const batch = Array.from({ length: Math.min(100, n - i) }, (_, k) => connectOcpp({ endpoint: server.url, id: `${tag}${i + k}`, clock, ca: pki.ca.cert }));
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

/** Runs `loop` on every connection for `ms` of real time; returns completed round trips. */
function measure(loops: ((stop: () => boolean, done: () => void) => void)[], ms: number): Promise<number> {
  return new Promise((resolve) => {
    let count = 0;
    let stopped = false;
    for (const loop of loops) loop(() => stopped, () => count++);
    setTimeout(() => {
      stopped = true;
      resolve(count);
    }, ms);
  });
}

export async function roundTrips(pki: Pki, sizes: readonly number[], seconds: number): Promise<RoundTripResult[]> {
  const clock = new WheelClock();
  const results: RoundTripResult[] = [];
  for (const n of sizes) {
    // OCPP: RpcEndpoint on both sides, validation of request and response on both.
    const ocppServer = await startOcppServer({ certs: [pki.server] });
    ocppServer.on('connection', (conn) => {
      const ep = new RpcEndpoint({ channel: conn.channel, clock, label: conn.info.id, role: 'Csms' });
      ep.handle('MeterValues', () => ({}));
    });
    const ocppConns = await connectAll(ocppServer, pki, clock, n, 'O');
    const endpoints = ocppConns.map((c) => new RpcEndpoint({ channel: c.channel, clock, label: 'cp', role: 'ChargePoint' }));
    const ocppLoops = endpoints.map((ep) => (stop: () => boolean, done: () => void) => {
      const go = (): void => {
        if (stop()) return;
        ep.call('MeterValues', PAYLOAD).then(() => {
          done();
          go();
        }, () => undefined);
      };
      go();
    });
    await measure(ocppLoops, 300); // warm-up
    const ocpp = await measure(ocppLoops, seconds * 1000);
    await new Promise((r) => setTimeout(r, 100));
    for (const c of ocppConns) c.close();
    await ocppServer.close();

    // Raw: the same listener code and TLS, the server echoes the frame's bytes back.
    const rawServer = await startOcppServer({ certs: [pki.server] });
    rawServer.on('connection', (conn) => conn.channel.attach({ text: (d) => conn.channel.send(d), closed: () => undefined }));
    const rawConns = await connectAll(rawServer, pki, clock, n, 'R');
    const frame = JSON.stringify([2, 'bench-1', 'MeterValues', PAYLOAD]);
    const rawLoops = rawConns.map((c) => {
      const ch: FrameChannel = c.channel;
      let stop: () => boolean = () => true;
      let done: () => void = () => undefined;
      ch.attach({
        text: () => {
          done();
          if (!stop()) ch.send(frame);
        },
        closed: () => undefined,
      });
      return (s: () => boolean, d: () => void) => {
        stop = s;
        done = d;
        ch.send(frame);
      };
    });
    await measure(rawLoops, 300);
    await new Promise((r) => setTimeout(r, 50));
    const raw = await measure(rawLoops, seconds * 1000);
    await new Promise((r) => setTimeout(r, 100));
    for (const c of rawConns) c.close();
    await rawServer.close();

    const ocppPerSec = ocpp / seconds;
    const rawPerSec = raw / seconds;
    results.push({ connections: n, ocppPerSec, rawPerSec, ratio: rawPerSec > 0 ? ocppPerSec / rawPerSec : 0 });
  }
  clock.stop();
  return results;
}
