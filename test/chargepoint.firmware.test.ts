import { describe, expect, it } from 'vitest';
import { versionFromName } from '../src/chargepoint/firmware.js';
import type { FileTransfer } from '../src/chargepoint/types.js';
import { DriftingClock } from '../src/clock/drifting.js';
import { rig } from './chargepoint.harness.js';

function files(fail = 0): FileTransfer & { uploads: string[] } {
  let failures = fail;
  const uploads: string[] = [];
  return {
    uploads,
    async download(url) {
      if (failures-- > 0) throw new Error('404');
      return { bytes: 1024, name: url.split('/').pop()! };
    },
    async upload(_url, name, content) {
      uploads.push(`${name}:${content.length}`);
    },
  };
}

describe('firmware and diagnostics', () => {
  it('Downloading → Downloaded → Installing → reboot → boot with the new version → Installed', async () => {
    const r = await rig({ files: files() });
    const retrieve = new Date(r.clock.now() + 60_000).toISOString();
    await r.csms.call('UpdateFirmware', { location: 'https://fw.example/chargecheck-2.1.0.bin', retrieveDate: retrieve });
    await r.run(30_000);
    expect(r.of('FirmwareStatusNotification')).toHaveLength(0); // respects retrieveDate
    await r.run(60_000);
    expect(r.of('FirmwareStatusNotification').map((m) => m.payload.status)).toEqual(['Downloading', 'Downloaded', 'Installing', 'Installed']);
    const boots = r.of('BootNotification');
    expect(boots).toHaveLength(2);
    expect(boots[1].payload.firmwareVersion).toBe('2.1.0');
    expect(r.cp.firmwareVersion).toBe('2.1.0');
    const order = r.received.map((m) => m.action).filter((a) => a === 'BootNotification' || a === 'FirmwareStatusNotification');
    expect(order.slice(-2)).toEqual(['BootNotification', 'FirmwareStatusNotification']);
  });

  it('retries a failed download and ends in DownloadFailed', async () => {
    const r = await rig({ files: files(5) });
    await r.csms.call('UpdateFirmware', { location: 'https://fw.example/x-3.0.bin', retrieveDate: new Date(r.clock.now()).toISOString(), retries: 2, retryInterval: 30 });
    await r.run(120_000);
    expect(r.of('FirmwareStatusNotification').map((m) => m.payload.status)).toEqual(['Downloading', 'Downloading', 'Downloading', 'DownloadFailed']);
  });

  it('uploads diagnostics: Uploading → Uploaded', async () => {
    const f = files();
    const r = await rig({ files: f });
    const res = await r.csms.call('GetDiagnostics', { location: 'https://diag.example/upload/' });
    expect(res.fileName).toMatch(/^CP1-diagnostics-.*\.log$/);
    await r.run(1000);
    expect(r.of('DiagnosticsStatusNotification').map((m) => m.payload.status)).toEqual(['Uploading', 'Uploaded']);
    expect(f.uploads).toHaveLength(1);
  });

  it('takes the version from the image name', () => {
    expect(versionFromName('https://x/fw/acme-1.4.2-rc1.bin')).toBe('1.4.2-rc1');
    expect(versionFromName('image.bin')).toBe('image');
  });
});

describe('clock', () => {
  it('syncs its clock from BootNotification currentTime unless told not to', async () => {
    const synced = await rig({}, true, (run) => new DriftingClock(run, { offsetMs: -3600_000 }));
    expect(Math.abs(synced.cp.clockNow() - synced.clock.now())).toBeLessThan(1000);
    const drifts = await rig({ syncClockFromCsms: false }, true, (run) => new DriftingClock(run, { offsetMs: -3600_000, ppm: 100 }));
    const stamp = Date.parse(drifts.of('StatusNotification')[0].payload.timestamp as string);
    expect(stamp - drifts.clock.now()).toBeLessThan(-3_500_000);
    await drifts.run(3600_000);
    expect(drifts.cp.clockNow() - drifts.clock.now()).toBeGreaterThan(-3600_000); // runs fast
  });
});
