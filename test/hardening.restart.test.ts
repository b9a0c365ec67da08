/**
 * Issue 12, restarts: message ids are never reused by a new process (a charger restarted from its
 * state file), and queued transaction messages go before the new StatusNotification of their
 * connector.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MemoryState, rig } from './chargepoint.harness.js';
import { ROOT } from './helpers/cli.js';

/** A fresh process's first outgoing CALL id (dist/ is built by the global setup). */
const FIRST_ID = `
const { VirtualClock } = await import('./dist/clock/virtual.js');
const { channelPair } = await import('./dist/rpc/channel.js');
const { RpcEndpoint } = await import('./dist/rpc/endpoint.js');
const clock = new VirtualClock(0);
const [a, b] = channelPair();
const cp = new RpcEndpoint({ channel: a, clock, label: 'CP', role: 'ChargePoint' });
const csms = new RpcEndpoint({ channel: b, clock, label: 'CP', role: 'Csms' });
const ids = [];
csms.onFrame((f) => { if (f.frame?.[0] === 2) ids.push(f.frame[1]); });
csms.handle('Heartbeat', () => ({ currentTime: new Date(0).toISOString() }));
await cp.call('Heartbeat', {});
await cp.call('Heartbeat', {});
console.log(JSON.stringify(ids));
`;

function firstIds(): string[] {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', FIRST_ID], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as string[];
}

describe('message ids across restarts', () => {
  it('two processes (a charger before and after a restart) never send the same id', () => {
    const before = firstIds();
    const after = firstIds();
    expect(before).toHaveLength(2);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    for (const id of [...before, ...after]) expect(id.length).toBeLessThanOrEqual(36);
  });
});

describe('after a restart from the state file', () => {
  it('the queued transaction messages reach the CSMS before the connector\'s new StatusNotification', async () => {
    const state = new MemoryState();
    const r = await rig({ state, config: { MeterValueSampleInterval: '60', LocalPreAuthorize: 'true', LocalAuthorizeOffline: 'true', AllowOfflineTxForUnknownId: 'true' } });
    await r.disconnect();
    r.cp.plug(1);
    await r.cp.presentIdTag('TAG');
    await r.run(2 * 60_000 + 500);
    expect(r.cp.queueLength).toBeGreaterThanOrEqual(2);
    const before = r.received.length;
    await r.restart();
    await r.run(1000);
    const after = r.received.slice(before);
    const order = after.filter((m) => m.action !== 'BootNotification' && m.action !== 'Heartbeat').map((m) => (m.action === 'StatusNotification' ? `Status ${String(m.payload.connectorId)}` : m.action));
    const lastTx = Math.max(order.lastIndexOf('StopTransaction'), order.lastIndexOf('MeterValues'), order.lastIndexOf('StartTransaction'));
    expect(lastTx, order.join(", ")).toBeGreaterThan(0);
    expect(order.indexOf("Status 1"), order.join(", ")).toBeGreaterThan(lastTx);
    expect(order).toContain('Status 0');
  });
});
