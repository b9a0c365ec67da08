/**
 * Issue 14, acceptance: the library API as a CSMS developer uses it — `startCharger` imported from
 * 'chargecheck', real time, no clock given — against a CSMS in another process that we did not
 * write (ocpp-rpc strict behind TLS 1.2 + Basic auth): boot, a transaction with 60-s MeterValues,
 * a TxProfile limit obeyed and reported, a remote stop, close. Takes about 2½ minutes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, ROOT } from '../test/helpers/cli.js';

type Line = Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'acceptance-library-api-'));
let peer: ChildProcess | undefined;

beforeAll(() => buildDist());
afterAll(() => {
  peer?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!pred()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function power(line: Line): number | undefined {
  const values = (line.params as { meterValue?: { sampledValue: { measurand?: string; value: string }[] }[] }).meterValue ?? [];
  const v = values.flatMap((mv) => mv.sampledValue).find((s) => s.measurand === 'Power.Active.Import');
  return v ? Number(v.value) : undefined;
}

describe('acceptance: startCharger (real time) ↔ ocpp-rpc CSMS in another process', () => {
  it('boots, charges with 60-s MeterValues, obeys a TxProfile, stops remotely, closes', async () => {
    // imported after the build, through the package's exports map, as a user imports it
    const { createPki, startCharger } = await import('chargecheck');
    const t0 = performance.now();
    const id = 'CP-ACC-LIB';
    const password = 'acceptance-library-password';
    const pki = await createPki();
    writeFileSync(join(dir, 'server.pem'), pki.server.cert);
    writeFileSync(join(dir, 'server.key'), pki.server.key);

    const lines: Line[] = [];
    peer = spawn(process.execPath, ['--import', 'tsx', 'acceptance/peers/library-api-csms.ts', JSON.stringify({ cert: join(dir, 'server.pem'), key: join(dir, 'server.key'), password })], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    let buf = '';
    peer.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        lines.push(JSON.parse(buf.slice(0, i)) as Line);
        buf = buf.slice(i + 1);
      }
    });
    let ref = 0;
    const csmsCall = async (method: string, params: unknown): Promise<unknown> => {
      const r = ++ref;
      peer!.stdin!.write(`${JSON.stringify({ ref: r, id, method, params })}\n`);
      await until(() => lines.some((l) => l.ref === r), 30_000, `${method} answer`);
      const answer = lines.find((l) => l.ref === r)!;
      if (answer.error) throw new Error(String(answer.error));
      return answer.result;
    };
    await until(() => lines.some((l) => l.url), 20_000, 'the peer listening');
    const url = String(lines.find((l) => l.url)!.url);
    const calls = (method: string) => lines.filter((l) => l.call === method);

    const cp = await startCharger({
      csms: url,
      id,
      password,
      passwordForm: 'text',
      ca: pki.ca.cert,
      config: { MeterValueSampleInterval: '60', MeterValuesSampledData: 'Energy.Active.Import.Register,Power.Active.Import' },
    });
    try {
      await cp.waitFor('boot', (b) => b.status === 'Accepted', { timeout: 20_000 });
      const tBoot = performance.now();

      cp.plug(1);
      await cp.presentIdTag('RFID-ACC', 1);
      const confirmed = await cp.waitFor('transactionConfirmed', (t) => t.connectorId === 1, { timeout: 20_000 });
      expect(confirmed.transactionId).toBeGreaterThan(7000);
      await cp.waitFor('status', (s) => s.connectorId === 1 && s.status === 'Charging', { timeout: 20_000 });
      const before = await cp.waitFor('meter', (m) => m.connectorId === 1, { timeout: 70_000 });
      await until(() => calls('MeterValues').length >= 1, 10_000, 'MeterValues at the peer');
      const peerBefore = power(calls('MeterValues').at(-1)!);
      expect(before.powerW).toBeGreaterThan(10_000);

      const profile = { chargingProfileId: 11, transactionId: confirmed.transactionId, stackLevel: 1, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 4_000 }] } };
      expect(await csmsCall('SetChargingProfile', { connectorId: 1, csChargingProfiles: profile })).toEqual({ status: 'Accepted' });
      expect(cp.limit(1)).toBe(4_000);
      const after = await cp.waitFor('meter', (m) => m.connectorId === 1, { timeout: 70_000 });
      expect(after.powerW).toBeLessThanOrEqual(4_000);
      expect(after.powerW).toBeGreaterThan(3_000);
      const meterCount = calls('MeterValues').length;
      await until(() => calls('MeterValues').length > 1, 10_000, 'a second MeterValues at the peer');
      const peerAfter = power(calls('MeterValues').at(-1)!);
      expect(peerAfter).toBeLessThanOrEqual(4_000);

      const stopped = cp.waitFor('transactionStopped', (t) => t.connectorId === 1, { timeout: 30_000 });
      expect(await csmsCall('RemoteStopTransaction', { transactionId: confirmed.transactionId })).toEqual({ status: 'Accepted' });
      expect(await stopped).toMatchObject({ reason: 'Remote', transactionId: confirmed.transactionId });
      await until(() => calls('StopTransaction').length === 1, 20_000, 'StopTransaction at the peer');
      const stop = calls('StopTransaction')[0].params as { meterStop: number; reason: string };
      const start = calls('StartTransaction')[0].params as { meterStart: number };
      expect(stop.reason).toBe('Remote');
      expect(stop.meterStop).toBeGreaterThan(start.meterStart);

      await cp.close();
      await until(() => lines.some((l) => l.closed), 10_000, 'the peer seeing the close');
      expect(lines.find((l) => l.closed)!.code).toBe(1000);
      expect(lines.filter((l) => l.badMessage || l.strictValidationFailure)).toEqual([]);

      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      process.stdout.write(
        `library API acceptance: boot after ${s(tBoot - t0)}; ${meterCount} MeterValues before the limit (peer saw ${peerBefore} W), ` +
          `${calls('MeterValues').length - meterCount} after (peer saw ${peerAfter} W, limit 4000 W); energy ${stop.meterStop - start.meterStart} Wh; ` +
          `${lines.filter((l) => l.call).length} charger CALLs, 0 strict-mode failures; total ${s(performance.now() - t0)}\n`,
      );
    } finally {
      await cp.close();
    }
  });
});
