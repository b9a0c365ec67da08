/**
 * Fuzz: thousands of random and malformed OCPP-J frames over a real WSS connection into our CSMS.
 * Deterministic (seeded PRNG below), so a failure reproduces with the same seed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCsmsServer, type CsmsServer } from '../src/csms/server.js';
import { ACTIONS } from '../src/ocpp/catalogue.js';
import { parseFrame } from '../src/rpc/parse.js';
import { createPki, type Pki } from '../src/transport/pki.js';
import { answerTo, openRaw, type RawClient } from './helpers/raw-ws.js';

/** FUZZ_SEED=<n> npx vitest run test/fuzz.csms-frames.test.ts tries another seed. */
const SEED = Number(process.env.FUZZ_SEED ?? 0x0c99_1601);
const FRAMES = 3000;

/** mulberry32: a tiny 32-bit PRNG, good enough to pick fuzz cases reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One frame to send, and the message id an answer must carry (undefined: no answer expected). */
interface Case {
  kind: string;
  data: string | Buffer;
  binary?: boolean;
  expectId?: string;
}

const ACTION_NAMES = [...ACTIONS.keys()];
const FIELD_NAMES = ['connectorId', 'idTag', 'status', 'errorCode', 'chargePointVendor', 'chargePointModel', 'meterStart', 'meterStop', 'timestamp', 'transactionId', 'vendorId', 'key', 'value', 'meterValue', 'reason', '__proto__', 'constructor'];
const UNICODE = ['é', 'ß', '中文', '🔌⚡', '\u0000', '\u200b', '\ud800', '\udfff', '\u202e', 'Ω', '\n', '"', '\\'];

function fuzzer(seed: number) {
  const r = prng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  let seq = 0;
  const id = () => `f${(++seq).toString(36)}`;

  const ascii = (n: number) => Array.from({ length: n }, () => String.fromCharCode(32 + int(95))).join('');
  const unicode = (n: number) => Array.from({ length: n }, () => (r() < 0.5 ? pick(UNICODE) : String.fromCharCode(int(0xffff)))).join('');
  const scalar = (): unknown =>
    pick<() => unknown>([
      () => int(3),
      () => -1,
      () => r() * 1e6,
      () => 2 ** 53 + 1,
      () => null,
      () => true,
      () => 'Available',
      () => 'NoError',
      () => 'TAG-1',
      () => '2026-01-01T08:00:00.000Z',
      () => 'not-a-date',
      () => ascii(int(30)),
      () => unicode(int(8)),
      () => 'x'.repeat(500 + int(2000)),
    ])();
  const value = (depth: number): unknown => {
    if (depth <= 0 || r() < 0.6) return scalar();
    if (r() < 0.5) return Array.from({ length: int(4) }, () => value(depth - 1));
    return object(depth - 1);
  };
  const object = (depth: number): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (let i = int(5); i > 0; i--) o[r() < 0.8 ? pick(FIELD_NAMES) : unicode(1 + int(4))] = value(depth);
    return o;
  };
  /** JSON text nested `depth` levels (built as text: JSON.stringify itself recurses). */
  const nested = (depth: number): string => {
    let open = '';
    let close = '';
    for (let i = 0; i < depth; i++) {
      const obj = r() < 0.5;
      open += obj ? '{"a":' : '[';
      close = (obj ? '}' : ']') + close;
    }
    return open + (r() < 0.5 ? '{}' : '[]') + close;
  };
  const action = () => (r() < 0.75 ? pick(ACTION_NAMES) : pick([ascii(1 + int(20)), unicode(1 + int(6)), '', 'bootnotification', 'BootNotification ']));
  const call = (msgId: string): unknown[] => [2, msgId, action(), r() < 0.2 ? {} : object(3)];
  /** A value of another JSON type than position `pos` of a CALL needs (number, string, string, object). */
  const wrongType = (pos: number) => pick<unknown>(pos === 0 ? [null, true, 2.5, '2', {}, [2]] : pos === 3 ? [null, true, 2.5, '2', [], [{}]] : [null, true, 2, 2.5, {}, [], ['a']]);

  const cases: (() => Case)[] = [
    // random bytes, as a binary frame (a text frame of invalid UTF-8 is a WebSocket error, not an OCPP one)
    () => ({ kind: 'bytes', data: Buffer.from(Array.from({ length: 1 + int(200) }, () => int(256))), binary: true }),
    () => ({ kind: 'ascii', data: ascii(int(100)).replace(/^\s*\[/, '') }),
    () => ({ kind: 'unicode', data: unicode(1 + int(40)).replace(/^\s*\[/, '') }),
    () => ({ kind: 'json-non-array', data: JSON.stringify(pick<unknown>([{}, null, 2, 'CALL', { 0: 2, 1: 'id' }, true])) }),
    () => ({ kind: 'empty-array', data: pick(['[]', ' [ ] ', '[[]]']) }),
    // a CALL cut short: answered only if the id (and its closing quote) made it
    () => {
      // ids with characters JSON escapes ("\\, \u0001, é as \u00e9) must be echoed decoded
      const msgId = r() < 0.3 ? `${id()}${pick(['"q', '\\b', '\u0001', 'é'])}` : id();
      const text = JSON.stringify(call(msgId)).replace('é', '\\u00e9');
      const cut = 1 + int(text.length - 1);
      const idEnd = 3 + JSON.stringify(msgId).replace('é', '\\u00e9').length;
      return { kind: 'truncated-call', data: text.slice(0, cut), expectId: cut >= idEnd ? msgId : undefined };
    },
    // each position of a CALL given the wrong type
    () => {
      const msgId = id();
      const frame = call(msgId);
      const pos = int(4);
      frame[pos] = wrongType(pos);
      // a bad type number or id makes the frame unanswerable; a bad action or payload is answered
      return { kind: `wrong-type-${pos}`, data: JSON.stringify(frame), expectId: pos >= 2 ? msgId : undefined };
    },
    // a CALL with too few or too many elements
    () => {
      const msgId = id();
      const frame = call(msgId);
      if (r() < 0.5) frame.splice(2 + int(2));
      else frame.push(...Array.from({ length: 1 + int(3) }, () => value(1)));
      return { kind: 'wrong-length', data: JSON.stringify(frame), expectId: msgId };
    },
    // ids longer than OCPP-J's 36 characters: still a CALL whose id can be read, so answered
    () => {
      const msgId = id() + '-' + 'i'.repeat(36 + int(r() < 0.05 ? 100_000 : 3000));
      return { kind: 'huge-id', data: JSON.stringify(call(msgId)), expectId: msgId };
    },
    // unknown message types: ignored in 1.6, never answered
    () => ({ kind: 'unknown-type', data: JSON.stringify([pick([0, 1, 5, 6, -2, 99, 2 ** 31]), id(), action(), {}]) }),
    // answers to calls the CSMS never made: recorded, not answered
    () => ({ kind: 'stray-result', data: JSON.stringify(r() < 0.5 ? [3, id(), object(2)] : [4, id(), 'GenericError', '', {}]) }),
    () => ({ kind: 'bad-result', data: JSON.stringify([pick([3, 4]), id(), ...Array.from({ length: int(5) }, () => value(1))]) }),
    // random actions with random payloads: a CALLERROR, or a CALLRESULT when the payload happens to be valid
    () => {
      const msgId = id();
      return { kind: 'random-call', data: JSON.stringify(call(msgId)), expectId: msgId };
    },
    // deeply nested payloads (and actions we handle, so validation really walks into them)
    () => {
      const msgId = id();
      const payload = `{"connectorId":1,"meterValue":${nested(r() < 0.1 ? 20_000 : 1 + int(500))}}`;
      return { kind: 'deep', data: `[2,${JSON.stringify(msgId)},${JSON.stringify(pick(['MeterValues', 'DataTransfer', 'BootNotification']))},${payload}]`, expectId: msgId };
    },
    // unicode in ids, actions and payloads; escapes of lone surrogates included
    () => {
      const msgId = `u${(++seq).toString(36)}${unicode(1 + int(10))}`.slice(0, 36);
      return { kind: 'unicode-call', data: JSON.stringify([2, msgId, pick([action(), unicode(3)]), { [unicode(3)]: unicode(5) }]), expectId: msgId };
    },
  ];
  return () => pick(cases)();
}

let pki: Pki;
let csms: CsmsServer;

beforeAll(async () => {
  pki = await createPki();
  csms = await startCsmsServer({ chargers: { FUZZ1: 'fuzz', FUZZ2: 'fuzz', STRICT: 'fuzz' }, cert: pki.server, maxBadFrames: 1_000_000, platform: { configureOnBoot: false } });
});

afterAll(async () => {
  await csms?.close();
});

const open = (server: CsmsServer, id: string): Promise<RawClient> => openRaw(`${server.url}/${id}`, { ca: pki.ca.cert, auth: { user: id, password: 'fuzz' } });

describe(`fuzz: ${FRAMES} random and malformed frames into the CSMS (seed ${SEED.toString(16)})`, () => {
  it('answers every readable CALL exactly once, answers nothing else, stays up and still boots', async () => {
    const next = fuzzer(SEED);
    const client = await open(csms, 'FUZZ1');
    const expected = new Set<string>();
    const kinds = new Map<string, number>();
    for (let i = 0; i < FRAMES; i++) {
      const c = next();
      kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
      if (c.expectId !== undefined) {
        expect(expected.has(c.expectId), `duplicate fuzz id ${c.expectId}`).toBe(false);
        expected.add(c.expectId);
      }
      client.send(c.data, c.binary);
    }
    // every generator ran (15, wrong-type counted per position), and a good share were answerable CALLs
    expect(kinds.size).toBe(18);
    expect(expected.size).toBeGreaterThan(FRAMES / 3);

    // a well-formed BootNotification afterwards: answered last, and normally
    client.send(JSON.stringify([2, 'boot-after-fuzz', 'BootNotification', { chargePointVendor: 'fuzz', chargePointModel: 'after' }]));
    const bootAnswer = JSON.parse(await client.waitFor(answerTo('boot-after-fuzz'))) as unknown[];
    expect(bootAnswer[0]).toBe(3);
    expect(bootAnswer[2]).toMatchObject({ status: 'Accepted', interval: 300 });

    const answers = new Map<string, number>();
    const unexpected: string[] = [];
    let results = 0;
    for (const text of client.received) {
      const f = JSON.parse(text) as unknown[];
      expect([3, 4]).toContain(f[0]);
      if (f[0] === 3) results++;
      if (f[0] === 4) {
        expect(f).toHaveLength(5);
        expect(typeof f[2] === 'string' && typeof f[3] === 'string' && (f[3] as string).length <= 255).toBe(true);
      }
      const msgId = String(f[1]);
      if (msgId === 'boot-after-fuzz') continue;
      answers.set(msgId, (answers.get(msgId) ?? 0) + 1);
      if (!expected.has(msgId)) unexpected.push(msgId.slice(0, 60));
    }
    expect(unexpected).toEqual([]);
    const missing = [...expected].filter((x) => !answers.has(x)).map((x) => x.slice(0, 60));
    expect(missing).toEqual([]);
    const twice = [...answers].filter(([, n]) => n !== 1).map(([x]) => x.slice(0, 60));
    expect(twice).toEqual([]);
    // some random payloads were valid (CALLRESULT), most were not
    expect(results).toBeGreaterThan(0);
    expect(results).toBeLessThan(expected.size / 2);

    const session = csms.csms.session('FUZZ1')!;
    expect(session.isOpen).toBe(true);
    expect(session.endpoint.badFrames).toBeGreaterThan(FRAMES / 4);
    await client.close();

    // and the listener still takes new chargers
    const fresh = await open(csms, 'FUZZ2');
    fresh.send(JSON.stringify([2, 'b1', 'BootNotification', { chargePointVendor: 'fuzz', chargePointModel: 'fresh' }]));
    expect(JSON.parse(await fresh.waitFor(answerTo('b1')))[2]).toMatchObject({ status: 'Accepted' });
    await fresh.close();
  });

  it('the same seed produces the same frames', () => {
    const a = fuzzer(SEED);
    const b = fuzzer(SEED);
    for (let i = 0; i < 200; i++) expect(a()).toEqual(b());
  });
});

describe('maxBadFrames', () => {
  it('closes the socket with 1002 on the first malformed frame past the limit; ignorable frames do not count', async () => {
    const strict = await startCsmsServer({ chargers: { STRICT: 'fuzz' }, cert: pki.server, maxBadFrames: 5, platform: { configureOnBoot: false } });
    try {
      const client = await open(strict, 'STRICT');
      // unknown message types are ignored by 1.6, not counted
      for (let i = 0; i < 50; i++) client.send(JSON.stringify([7, `x${i}`, 'Nope', {}]));
      for (let i = 0; i < 5; i++) client.send(i % 2 ? '{not json' : JSON.stringify([2, `bad${i}`, 'Heartbeat', 'payload is not an object']));
      client.send(JSON.stringify([2, 'still-open', 'BootNotification', { chargePointVendor: 'v', chargePointModel: 'm' }]));
      expect(JSON.parse(await client.waitFor(answerTo('still-open')))[0]).toBe(3);
      expect(strict.csms.session('STRICT')!.endpoint.badFrames).toBe(5);
      client.send('[[[');
      const closed = await client.closed;
      expect(closed.code).toBe(1002);
      expect(strict.csms.session('STRICT')!.isOpen).toBe(false);
    } finally {
      await strict.close();
    }
  });
});

describe('regression found by the fuzz: the id of a broken CALL is echoed decoded', () => {
  it.each([
    ['[2,"a\\"b","Heartbeat",{', 'a"b'],
    ['[2,"caf\\u00e9","Heart', 'café'],
    ['[2, "x\\\\y" ,', 'x\\y'],
    ['[2,"plain"', 'plain'],
  ])('%s → id %s', (raw, id) => {
    expect(parseFrame(raw)).toMatchObject({ ok: false, messageType: 2, messageId: id });
  });

  it('an id with an invalid escape is not readable (no CALLERROR can be addressed to it)', () => {
    expect(parseFrame('[2,"bad\\q","Heartbeat"')).toMatchObject({ ok: false, messageId: undefined });
  });
});
