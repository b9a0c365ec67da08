/**
 * The certification report as a charger manufacturer sees it: `chargecheck certify --self
 * --reporter html` (child process) opened in Debian's headless Chromium, which must paint a real
 * page; and the report of a failing run keeps its layout readable (no empty charts, no repeated
 * expected/actual blocks).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certify } from '../src/harness/certify.js';
import { renderHtml } from '../src/report/html/render-html.js';
import { runMain } from './helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !inCi) console.warn(`certify.html.test: ${CHROMIUM} not found — skipping the headless-browser check (apt-get install -y chromium; in CI it is required)`);

/** Width and height from a PNG's IHDR chunk (after checking the signature). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function screenshot(url: string, png: string, profile: string): Promise<{ stdout: string; stderr: string }> {
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, `--screenshot=${png}`, '--window-size=1280,2000', url,
  ];
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, args, { timeout: 60_000 }, (err, stdout, stderr) => (err ? reject(Object.assign(err, { stderr })) : resolve({ stdout, stderr })));
  });
}

describe.skipIf(!haveChromium && !inCi)('report.html in headless Chromium', () => {
  let dir: string;
  beforeAll(() => {
    if (!haveChromium) throw new Error(`CI=${process.env.CI}: ${CHROMIUM} is missing; .ci/run installs Debian's chromium before npm test`);
    dir = mkdtempSync(join(tmpdir(), 'certify-html-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('certify --self --reporter html writes a page Chromium renders to a non-trivial screenshot', async () => {
    const out = join(dir, 'out');
    const res = await runMain(['certify', '--self', '--reporter', 'html', '--out', out], { cwd: dir });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const report = join(out, 'report.html');
    expect(readFileSync(report, 'utf8')).toContain('Charger certification report');

    const png = join(dir, 'report.png');
    await screenshot(pathToFileURL(report).href, png, mkdtempSync(join(dir, 'profile-')));
    expect(existsSync(png)).toBe(true);
    expect(pngSize(readFileSync(png))).toEqual({ width: 1280, height: 2000 });
    // A blank or error page of this size compresses to a few KB; the report's header, cards and
    // requirement table make it well over 40 KB.
    expect(statSync(png).size).toBeGreaterThan(40_000);
  });
});

describe('report.html of a failing certification', () => {
  it('draws charts only where there is power, a limit or a status to show, and states each failure once', async () => {
    const result = await certify({ self: true, quirks: ['ignore-limit'] });
    const html = renderHtml(result);
    const captions = [...html.matchAll(/<figcaption>([^<]*)</g)].map((m) => m[1]);
    // Scenarios 01 and 03 have no transaction and nothing but Available: no empty 0–1 kW chart.
    expect(captions.filter((c) => c.startsWith('Connection over WSS') || c.startsWith('TriggerMessage BootNotification'))).toEqual([]);
    expect(captions).toContain('A transaction with 60-s MeterValues');
    expect(captions).toContain('TxProfile limit 0 switches charging off, a raised limit switches it on');
    // The failed assertPower step carries the same expected/actual as its one failed assertion: shown once.
    const card = html.split('<div class="failure failed"').find((c) => c.includes('power on connector 1 ≤ 50 W'));
    expect(card).toBeDefined();
    expect(card!.split('<div class="diff">').length - 1).toBe(1);
  });
});
