/**
 * Issue 14 "must show": the package entry point, imported the way a user imports it ('chargecheck',
 * resolved through package.json's exports map to dist/ — so `npm run build` first), drives a
 * virtual charger against a CSMS: boot, a transaction, a limit, waitFor, close.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinSteps, defineStep, isChargecheckError, runSuite, startCharger, startCsms, VirtualClock, type FakeCsms, type FrameEvent, type VirtualCharger } from 'chargecheck';

const ID = 'CP-API';
const PASSWORD = 'public-api-password';

async function closeAll(...handles: (AsyncDisposable | undefined)[]): Promise<void> {
  for (const h of handles) await h?.[Symbol.asyncDispose]();
}

describe('the public API (startCharger, startCsms) from the package entry', () => {
  it('on virtual time: boot, a transaction, a limit, waitFor (and its timeout), close', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 5, 8));
    let csms: FakeCsms | undefined;
    let cp: VirtualCharger | undefined;
    try {
      csms = await startCsms({ chargers: { [ID]: PASSWORD }, clock });
      expect(csms.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/ocpp$/);
      cp = await startCharger({ csms: csms.url, id: ID, password: PASSWORD, ca: csms.ca, clock, ev: { socPercent: 20, maxPowerW: 11_000 } });
      expect(cp.connected).toBe(true);

      // boot: both ends agree (boot is a state, so this holds even if it came already)
      expect(await cp.waitFor('boot', (b) => b.status === 'Accepted')).toMatchObject({ status: 'Accepted' });
      expect(await csms.waitFor('boot', (b) => b.id === ID)).toMatchObject({ id: ID, status: 'Accepted', boot: { chargePointVendor: 'chargecheck' } });
      // the platform configures every accepted charger
      const configured = (f: FrameEvent) => f.direction === 'in' && f.frame?.[0] === 2 && f.frame[2] === 'ChangeConfiguration' && f.frame[3].key === 'MeterValueSampleInterval';
      if (!cp.frames.some(configured)) await cp.waitFor('frame', configured);
      expect(cp.configuration('MeterValueSampleInterval')).toBe('60');
      expect(cp.configuration()).toMatchObject({ MeterValueSampleInterval: '60' });

      // a transaction
      const started = csms.waitFor('transaction', (t) => t.id === ID && t.phase === 'started');
      cp.plug(1);
      await cp.presentIdTag('RFID-API', 1);
      const { transaction } = await started;
      expect(transaction).toMatchObject({ chargePointId: ID, connectorId: 1, idTag: 'RFID-API' });
      expect(await cp.waitFor('status', (s) => s.connectorId === 1 && s.status === 'Charging')).toMatchObject({ status: 'Charging' });
      expect(await csms.waitFor('status', (s) => s.id === ID && s.connectorId === 1 && s.status === 'Charging')).toMatchObject({ status: 'Charging' });
      expect(cp.power(1)).toBeGreaterThan(10_000);
      expect(cp.transactions()).toEqual([expect.objectContaining({ connectorId: 1, id: transaction.id, idTag: 'RFID-API' })]);
      expect(cp.transactions()[0].reason).toBeUndefined();

      // a limit: the charger obeys at once, and its next MeterValues tell the CSMS
      expect(await csms.setLimit(ID, 1, 7_000)).toEqual({ status: 'Accepted' });
      expect(cp.limit(1)).toBe(7_000);
      const sample = await cp.waitFor('meter', (m) => m.connectorId === 1, { timeout: 120_000 });
      expect(sample.powerW).toBeGreaterThan(6_000);
      expect(sample.powerW).toBeLessThanOrEqual(7_000);
      const seen = await csms.waitFor('transaction', (t) => t.phase === 'meter' && t.transaction.readings.some((r) => r.powerW !== undefined && r.powerW <= 7_000), { timeout: 120_000 });
      expect(seen.transaction.id).toBe(transaction.id);

      // waitFor's timeout, on the virtual clock: a minute passes in no real time
      const before = clock.now();
      const timedOut = await cp.waitFor('transactionStopped', () => true, { timeout: 60_000 }).catch((err: unknown) => err);
      expect(isChargecheckError(timedOut, 'API_WAIT_TIMEOUT')).toBe(true);
      expect(clock.now() - before).toBeGreaterThanOrEqual(60_000);

      // the end of the transaction, seen from both sides
      const stopped = csms.waitFor('transaction', (t) => t.phase === 'stopped');
      cp.unplug(1);
      const end = (await stopped).transaction;
      expect(end.stopReason).toBe('EVDisconnected');
      expect(end.meterStop! - end.meterStart).toBeGreaterThan(0);
      expect(cp.transactions()[0]).toMatchObject({ id: transaction.id, reason: 'EVDisconnected', meterStop: end.meterStop });
      expect(csms.transactions(ID)).toHaveLength(1);
      // both ends saw the same StopTransaction frame
      const stopText = (frames: readonly FrameEvent[]) => frames.find((f) => f.frame?.[0] === 2 && f.frame[2] === 'StopTransaction')?.raw;
      expect(stopText(csms.frames)).toBeDefined();
      expect(stopText(csms.frames)).toBe(stopText(cp.frames));

      // close: idempotent, and the CSMS sees the charger go
      const gone = csms.waitFor('disconnected', (d) => d.id === ID);
      await cp.close();
      await cp.close();
      expect(await gone).toMatchObject({ id: ID, code: 1000 });
      expect(cp.connected).toBe(false);
      expect(csms.charger(ID)?.connected).toBe(false);
      await expect(csms.call(ID, 'GetConfiguration', {})).rejects.toMatchObject({ code: 'API_UNKNOWN_CHARGER' });
    } finally {
      await closeAll(cp, csms);
    }
  });

  it('in real time by default (no waiting on timers): boot with a scripted CSMS reply, a CSMS call, an unreachable CSMS', async () => {
    let csms: FakeCsms | undefined;
    let cp: VirtualCharger | undefined;
    try {
      csms = await startCsms({ listen: '127.0.0.1:0', chargers: { [ID]: PASSWORD }, admin: '127.0.0.1:0' });
      // a reply scripted before the charger exists is used on its first connection
      csms.overrideNextReply(ID, 'BootNotification', { kind: 'result', payload: { status: 'Accepted', interval: 42 } });
      cp = await startCharger({ csms: csms.url, id: ID, password: PASSWORD, ca: csms.ca });
      expect(await cp.waitFor('boot', undefined, { timeout: 10_000 })).toMatchObject({ status: 'Accepted' });
      expect(cp.configuration('HeartbeatInterval')).toBe('42');
      const conf = await csms.call(ID, 'GetConfiguration', { key: ['HeartbeatInterval'] });
      expect(conf.configurationKey?.[0]).toMatchObject({ key: 'HeartbeatInterval' });
      expect(csms.chargers().map((c) => c.id)).toEqual([ID]);
      // the admin API, as `chargecheck csms --admin` serves it
      expect(await (await fetch(`${csms.adminUrl}/chargers`)).json()).toEqual([{ id: ID, connected: true }]);
      const viaAdmin = await fetch(`${csms.adminUrl}/chargers/${ID}/call`, { method: 'POST', body: JSON.stringify({ action: 'GetConfiguration', payload: { key: ['HeartbeatInterval'] } }) });
      expect(viaAdmin.status).toBe(200);
      expect(await viaAdmin.json()).toMatchObject({ result: { configurationKey: [{ key: 'HeartbeatInterval', value: '42' }] } });
      await cp.close();
      // `await using`: leaving the block closes the charger (its socket is closed when the block ends)
      let disposed: VirtualCharger | undefined;
      {
        await using second = await startCharger({ csms: csms.url, id: ID, password: PASSWORD, ca: csms.ca });
        disposed = second;
        expect(second.connected).toBe(true);
      }
      expect(disposed.connected).toBe(false);
      await csms.close();
      // nothing listens there any more: startCharger rejects with the transport's code
      await expect(startCharger({ csms: csms.url, id: ID, password: PASSWORD, ca: csms.ca })).rejects.toMatchObject({ code: 'TRANSPORT_UNREACHABLE' });
    } finally {
      await closeAll(cp, csms);
    }
  });

  it('listens on IPv6 loopback when asked; rejects bad options with a code', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 5, 8));
    const csms = await startCsms({ listen: '[::1]:0', chargers: { [ID]: PASSWORD }, clock });
    try {
      expect(csms.url).toMatch(/^wss:\/\/\[::1\]:\d+\/ocpp$/);
      const cp = await startCharger({ csms: csms.url, id: ID, password: PASSWORD, ca: csms.ca, clock });
      expect(await cp.waitFor('boot')).toMatchObject({ status: 'Accepted' });
      await cp.close();
    } finally {
      await csms.close();
    }
    await expect(startCharger({ csms: '', id: ID })).rejects.toMatchObject({ code: 'API_BAD_OPTION' });
    await expect(startCsms({ listen: 'nowhere', chargers: {} })).rejects.toMatchObject({ code: 'API_BAD_OPTION' });
    await expect(startCsms({ listen: '127.0.0.1:70000', chargers: {} })).rejects.toMatchObject({ code: 'API_BAD_OPTION' });
  });

  it('runSuite with a step of the user\'s own, registered in the step registry', async () => {
    const registry = builtinSteps().register(
      defineStep<{ count: number }>({
        name: 'expectTransactionCount',
        description: 'The charger sent exactly this many StartTransaction CALLs so far',
        args: { type: 'object', required: ['count'], properties: { count: { type: 'integer', minimum: 0 } }, additionalProperties: false },
        example: { count: 1 },
        title: (a) => `${a.count} transaction(s) started`,
        run: async (ctx, a, step) => {
          const starts = ctx.frames.list().filter((f) => f.sender === 'chargepoint' && f.frame?.[0] === 2 && f.frame[2] === 'StartTransaction').length;
          step.check({ description: `StartTransaction sent ${a.count} time(s)`, passed: starts === a.count, expected: a.count, actual: starts });
        },
      }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'chargecheck-api-steps-'));
    try {
      const scenario = (name: string, count: number) =>
        [`name: ${name}`, 'requirements: [PLT-CORE-1]', 'role: chargepoint', 'steps:', '  - connect', '  - expectCall: { action: BootNotification, from: chargepoint, within: 30s }', '  - plug: { connector: 1 }', '  - presentIdTag: { tag: RFID-STEP, connector: 1 }', '  - expectCall: { action: StartTransaction, from: chargepoint, within: 30s }', `  - expectTransactionCount: { count: ${count} }`, ''].join('\n');
      writeFileSync(join(dir, 'one.yaml'), scenario('one transaction', 1));
      writeFileSync(join(dir, 'two.yaml'), scenario('two transactions', 2));
      const result = await runSuite({ paths: [dir], registry });
      const byName = Object.fromEntries(result.scenarios.map((r) => [r.name, r]));
      expect(byName['one transaction'].status).toBe('passed');
      expect(byName['two transactions'].status).toBe('failed');
      expect(byName['two transactions'].steps.at(-1)).toMatchObject({ status: 'failed', failure: { expected: 2, actual: 1 } });
      // without the registry the step is unknown: the files are invalid
      await expect(runSuite({ paths: [dir] })).rejects.toMatchObject({ code: 'SCENARIO_INVALID' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
