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
  /** Round trips each side did (a fixed amount of work, timed: no count quantization). */
  ocppRoundTrips: number;
  rawRoundTrips: number;
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

/**
 * Runs exactly `perLoop` round trips on every connection and returns the elapsed ms: the rate is
 * work ÷ time, so it is not quantized by how many whole rounds of n connections fit in a window.
 */
function timeFixedWork(loops: ((stop: () => boolean, done: () => void) => void)[], perLoop: number): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let remaining = loops.length;
    for (const loop of loops) {
      let k = 0;
      loop(
        () => k >= perLoop,
        () => {
          if (++k === perLoop && --remaining === 0) resolve(performance.now() - t0);
        },
      );
    }
  });
}

/** Round trips per connection for about `seconds` of work at the warm-up's rate (at least 3). */
function workFor(warmCount: number, warmMs: number, n: number, seconds: number): number {
  return Math.max(3, Math.ceil(((warmCount / warmMs) * seconds * 1000) / n));
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
    const ocppWarm = await measure(ocppLoops, 500); // warm-up and calibration
    await new Promise((r) => setTimeout(r, 100));
    const ocppK = workFor(ocppWarm, 500, n, seconds);
    const ocppMs = await timeFixedWork(ocppLoops, ocppK);
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
    const rawWarm = await measure(rawLoops, 500);
    await new Promise((r) => setTimeout(r, 100));
    const rawK = workFor(rawWarm, 500, n, seconds);
    const rawMs = await timeFixedWork(rawLoops, rawK);
    await new Promise((r) => setTimeout(r, 100));
    for (const c of rawConns) c.close();
    await rawServer.close();

    const ocppPerSec = (ocppK * n) / (ocppMs / 1000);
    const rawPerSec = (rawK * n) / (rawMs / 1000);
    results.push({ connections: n, ocppPerSec, rawPerSec, ratio: rawPerSec > 0 ? ocppPerSec / rawPerSec : 0, ocppRoundTrips: ocppK * n, rawRoundTrips: rawK * n });
  }
  clock.stop();
  return results;
}
