import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual.js';
import { channelPair } from '../src/rpc/channel.js';
import { RpcEndpoint } from '../src/rpc/endpoint.js';
import { createTraceWriter } from '../src/rpc/trace.js';

describe('trace writer', () => {
  it('stores every frame in either direction as a JSON line, bad frames with their problem', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const [a, b] = channelPair();
    const cp = new RpcEndpoint({ channel: a, clock, label: 'CP7', role: 'ChargePoint' });
    const cs = new RpcEndpoint({ channel: b, clock, label: 'CP7', role: 'Csms' });
    cs.handle('Heartbeat', () => ({ currentTime: '2026-01-01T00:00:00.000Z' }));
    const file = join(mkdtempSync(join(tmpdir(), 'cc-trace-')), 'trace.jsonl');
    const trace = createTraceWriter(file);
    cs.onFrame(trace.listener);
    await cp.call('Heartbeat', {});
    cp.sendRaw('[2,"zz","Heartbeat"');
    await new Promise((r) => setImmediate(r));
    await trace.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.direction)).toEqual(['in', 'out', 'in', 'out']);
    expect(JSON.parse(lines[0].raw)[2]).toBe('Heartbeat');
    expect(lines[2].problem).toBe('not valid JSON');
    expect(JSON.parse(lines[3].raw)).toEqual([4, 'zz', 'FormationViolation', 'not valid JSON', {}]);
    expect(lines[0].clockTime).toBe('2026-01-01T00:00:00.000Z');
  });
});
