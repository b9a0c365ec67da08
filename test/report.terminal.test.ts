import { describe, expect, it } from 'vitest';
import { createTerminalReporter } from '../src/report/terminal/terminal-reporter.js';
import { CaptureStream } from './fixtures/report/capture-stream.js';
import { replay } from './fixtures/report/replay.js';
import { certifyFixture, hostileRun, runFixture } from './fixtures/report/runs.js';
import type { RunResult } from '../src/results/model.js';

async function render(run: RunResult, opts: { color?: boolean; live?: boolean; columns?: number; waiting?: { what: string; msLeft: number } } = {}): Promise<string> {
  const stream = new CaptureStream();
  if (opts.columns !== undefined) stream.columns = opts.columns;
  await replay(createTerminalReporter({ stream, color: opts.color ?? false, live: opts.live ?? false }), run, opts.waiting);
  return stream.text;
}

describe('terminal reporter', () => {
  it('prints step progress, the failure block and the scenario summary for run (snapshot)', async () => {
    await expect(await render(runFixture())).toMatchFileSnapshot('./fixtures/report/run.terminal.txt');
  });

  it('prints the requirement table for certify (snapshot)', async () => {
    await expect(await render(certifyFixture())).toMatchFileSnapshot('./fixtures/report/certify.terminal.txt');
  });

  it('shows what was expected, what came instead and the frames around a failed step', async () => {
    const text = await render(runFixture());
    expect(text).toContain('  ✗ +05:30 assert power below 100 W within 60 s (6 ms)');
    expect(text).toContain('SCENARIO_ASSERT_FAILED power did not fall below 100 W after limit 0');
    expect(text).toContain('expected {"powerW":"< 100"}');
    expect(text).toContain('actual   {"powerW":7250}');
    expect(text).toContain('← +04:00 [2,"a1","SetChargingProfile"');
    expect(text).toContain('→ +04:00 [3,"a1",{"status":"Accepted"}]');
    expect(text).toContain('  error Remote start is accepted CP-003 0/0 steps · 230 ms\n      TRANSPORT_CONNECT_FAILED could not reach');
  });

  it('cuts long frames to the terminal width with a note of what was left out', async () => {
    const text = await render(runFixture(), { columns: 80 });
    const line = text.split('\n').find((l) => l.includes('"SetChargingProfile"'));
    expect(line).toBeDefined();
    expect(line!).toMatch(/… \(\+\d+ chars\)$/);
    expect(Array.from(line!).length).toBeLessThanOrEqual(80);
  });

  it('uses colour only when enabled', async () => {
    expect(await render(runFixture(), { color: false })).not.toContain('\u001b[');
    expect(await render(runFixture(), { color: true })).toContain('\u001b[32m✓');
  });

  it('redraws the waiting line only when live, and clears it before the next line; a log gets a plain line at most every 10 s per scenario', async () => {
    const waiting = { what: 'StatusNotification Charging', msLeft: 41_200 };
    const run = runFixture();
    const quiet = await render(run, { waiting });
    // every step of a scenario reports waiting within the same second: one line per scenario, never redrawn
    const lines = quiet.split('\n').filter((l) => l.includes('waiting for'));
    expect(lines).toHaveLength(new Set(run.scenarios.filter((s) => s.steps.length > 0).map((s) => s.name)).size);
    expect(lines[0]).toBe('  … Boot is accepted · waiting for StatusNotification Charging — 42 s left');
    expect(quiet).not.toContain('\r');
    const live = await render(runFixture(), { live: true, waiting });
    expect(live).toContain('\r\u001b[2K  … Boot is accepted · waiting for StatusNotification Charging — 42 s left');
    expect(live).toContain('42 s left\r\u001b[2K  ✓ +00:00 connect to the CSMS');
  });

  it('never passes control characters from the peer to the terminal', async () => {
    for (const command of ['run', 'certify'] as const) {
      const text = await render(hostileRun(command));
      // eslint-disable-next-line no-control-regex -- asserting control characters are absent
      expect(text).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
      expect(text).toContain('\\u001B[31mred\\u0007');
    }
  });
});
