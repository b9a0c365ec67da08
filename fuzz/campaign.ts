/**
 * A fuzz campaign against one of our two sides over real WSS on loopback, in real time:
 * - `csms`: our built-in CSMS; the fuzzer is a raw `ws` client playing a charger (after a boot);
 * - `chargepoint`: our virtual charger (ChargerHost); the fuzzer is a raw `ws` server playing the
 *   CSMS (it answers the charger's own CALLs minimally).
 * Frames go in batches; after each batch the campaign waits until every CALL of it is answered (or
 * a time limit passes), then checks each answer against the case's expected 1.6 answer.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { systemClock } from '../src/clock/system.js';
import { startCsmsServer } from '../src/csms/server.js';
import { ChargerHost } from '../src/host/charger-host.js';
import { createPki, type Pki } from '../src/transport/pki.js';
import { sampleCases, type FuzzCase, type Target } from './frames.js';

export interface CampaignOptions {
  readonly target: Target;
  readonly seed: number;
  readonly frames: number;
  /** Frames sent before waiting for their answers. Default 500. */
  readonly batch?: number;
  /** Longest wait for one batch's answers, real ms. Default 20 s. */
  readonly batchTimeoutMs?: number;
  readonly pki?: Pki;
}

export interface CampaignResult {
  readonly target: Target;
  readonly seed: number;
  readonly frames: number;
  readonly calls: number;
  readonly byCategory: Record<string, number>;
  /** Answers whose kind or 1.6 code differs from the expected one (first 20, with the case). */
  readonly wrong: { category: string; expected: string; got: string; frame: string }[];
  readonly wrongCount: number;
  readonly unanswered: number;
  readonly answeredTwice: number;
  /** Answers to frames that must not be answered. */
  readonly unexpected: number;
  /** The target's connection stayed open and it still answers a well-formed CALL. */
  readonly stillUp: boolean;
  readonly rssStartMiB: number;
  readonly rssPeakMiB: number;
  readonly wallMs: number;
}

interface Peer {
  send(data: string, binary: boolean): void;
  onAnswer(fn: (frame: unknown[]) => void): void;
  isOpen(): boolean;
  /** A well-formed CALL the target must answer with a CALLRESULT. */
  healthCall: readonly [string, Record<string, unknown>];
  close(): Promise<void>;
}

function expectedText(c: FuzzCase): string {
  return c.expect.kind === 'error' ? `CALLERROR ${c.expect.code}` : c.expect.kind === 'result' ? 'CALLRESULT' : c.expect.kind === 'none' ? 'no answer' : 'CALLERROR';
}

function parse(text: string): unknown[] | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const rssMiB = () => process.memoryUsage.rss() / 2 ** 20;

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const started = performance.now();
  const pki = options.pki ?? (await createPki());
  const peer = options.target === 'csms' ? await csmsPeer(pki) : await chargerPeer(pki);
  const batch = options.batch ?? 500;
  const byCategory: Record<string, number> = {};
  const wrong: CampaignResult['wrong'] = [];
  let wrongCount = 0;
  let unanswered = 0;
  let answeredTwice = 0;
  let unexpected = 0;
  let calls = 0;
  let seq = 0;
  const rssStart = rssMiB();
  let rssPeak = rssStart;
  const pending = new Map<string, FuzzCase>();
  const answered = new Map<string, number>();
  let waiter: (() => void) | undefined;
  peer.onAnswer((frame) => {
    const id = String(frame[1]);
    const n = (answered.get(id) ?? 0) + 1;
    answered.set(id, n);
    if (n > 1) {
      answeredTwice++;
      return;
    }
    const c = pending.get(id);
    if (!c) {
      if (id.startsWith('z')) unexpected++;
      return;
    }
    pending.delete(id);
    const got = frame[0] === 3 ? 'CALLRESULT' : `CALLERROR ${String(frame[2])}`;
    const ok = c.expect.kind === 'result' ? frame[0] === 3 : c.expect.kind === 'error' ? frame[0] === 4 && frame[2] === c.expect.code : c.expect.kind === 'error-any' ? frame[0] === 4 : false;
    if (!ok) {
      wrongCount++;
      if (wrong.length < 20) wrong.push({ category: c.category, expected: expectedText(c), got, frame: c.text.slice(0, 200) });
    }
    if (c.expect.kind === 'none') unexpected++;
    if (pending.size === 0) waiter?.();
  });

  for (let done = 0; done < options.frames && peer.isOpen(); done += batch) {
    const n = Math.min(batch, options.frames - done);
    const cases = sampleCases(options.target, options.seed + done, n);
    for (const c of cases) {
      const id = `z${(++seq).toString(36)}`;
      byCategory[c.category] = (byCategory[c.category] ?? 0) + 1;
      if (c.expect.kind !== 'none') {
        pending.set(id, c);
        calls++;
      }
      peer.send(c.text.replace('@ID@', id), c.binary === true);
    }
    if (pending.size > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, options.batchTimeoutMs ?? 20_000);
        waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
      waiter = undefined;
    }
    unanswered += pending.size;
    pending.clear();
    rssPeak = Math.max(rssPeak, rssMiB());
  }

  const stillUp = peer.isOpen() && (await healthy(peer));
  await peer.close();
  return {
    target: options.target,
    seed: options.seed,
    frames: options.frames,
    calls,
    byCategory,
    wrong,
    wrongCount,
    unanswered,
    answeredTwice,
    unexpected,
    stillUp,
    rssStartMiB: Math.round(rssStart),
    rssPeakMiB: Math.round(rssPeak),
    wallMs: Math.round(performance.now() - started),
  };
}

function healthy(peer: Peer): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), 10_000);
    peer.onAnswer((frame) => {
      if (frame[1] === 'health-check') {
        clearTimeout(t);
        resolve(frame[0] === 3);
      }
    });
    peer.send(JSON.stringify([2, 'health-check', ...peer.healthCall]), false);
  });
}

/** Our CSMS as the target; the fuzzer is a raw charger that boots first. */
async function csmsPeer(pki: Pki): Promise<Peer> {
  const server = await startCsmsServer({ chargers: { FUZZ: 'fuzz-password' }, cert: pki.server, maxBadFrames: 0, platform: { configureOnBoot: false } });
  const ws = new WebSocket(`${server.url}/FUZZ`, ['ocpp1.6'], {
    ca: pki.ca.cert,
    headers: { Authorization: `Basic ${Buffer.from('FUZZ:fuzz-password').toString('base64')}` },
    perMessageDeflate: false,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const listeners: ((f: unknown[]) => void)[] = [];
  ws.on('message', (data: Buffer) => {
    const frame = parse(data.toString('utf8'));
    if (frame && (frame[0] === 3 || frame[0] === 4)) for (const l of listeners) l(frame);
  });
  const booted = new Promise<void>((resolve) => listeners.push((f) => f[1] === 'boot' && resolve()));
  ws.send(JSON.stringify([2, 'boot', 'BootNotification', { chargePointVendor: 'fuzz', chargePointModel: 'fuzz' }]));
  await booted;
  return {
    send: (data, binary) => ws.send(binary ? Buffer.from(data, 'latin1') : data, { binary }),
    onAnswer: (fn) => void listeners.push(fn),
    isOpen: () => ws.readyState === WebSocket.OPEN,
    healthCall: ['Heartbeat', {}],
    close: async () => {
      ws.close(1000);
      await server.close();
    },
  };
}

/** Our virtual charger as the target; the fuzzer is a raw CSMS that answers the charger's CALLs. */
async function chargerPeer(pki: Pki): Promise<Peer> {
  const https = createServer({ cert: pki.server.cert, key: pki.server.key });
  const wss = new WebSocketServer({ server: https, handleProtocols: () => 'ocpp1.6', perMessageDeflate: false });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  const port = (https.address() as AddressInfo).port;
  const connected = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const host = new ChargerHost({ id: 'FUZZCP', clock: systemClock, csmsUrl: `wss://127.0.0.1:${port}/ocpp`, authorizationKey: 'fuzz-password', ca: pki.ca.cert, maxBadFrames: 0 });
  host.start();
  const ws = await connected;
  const listeners: ((f: unknown[]) => void)[] = [];
  ws.on('message', (data: Buffer) => {
    const frame = parse(data.toString('utf8'));
    if (!frame) return;
    if (frame[0] === 2) {
      ws.send(JSON.stringify([3, frame[1], answerFor(String(frame[2]))]));
      return;
    }
    if (frame[0] === 3 || frame[0] === 4) for (const l of listeners) l(frame);
  });
  return {
    send: (data, binary) => ws.send(binary ? Buffer.from(data, 'latin1') : data, { binary }),
    onAnswer: (fn) => void listeners.push(fn),
    isOpen: () => ws.readyState === WebSocket.OPEN,
    healthCall: ['GetConfiguration', {}],
    close: async () => {
      host.stop();
      ws.terminate();
      wss.close();
      await new Promise((resolve) => https.close(resolve));
    },
  };
}

/** A minimal valid CSMS answer to each CALL the charger sends. */
function answerFor(action: string): Record<string, unknown> {
  const now = new Date().toISOString();
  switch (action) {
    case 'BootNotification':
      return { status: 'Accepted', currentTime: now, interval: 3600 };
    case 'Heartbeat':
      return { currentTime: now };
    case 'Authorize':
      return { idTagInfo: { status: 'Accepted' } };
    case 'StartTransaction':
      return { transactionId: 1, idTagInfo: { status: 'Accepted' } };
    case 'DataTransfer':
      return { status: 'Accepted' };
    default:
      return {};
  }
}
