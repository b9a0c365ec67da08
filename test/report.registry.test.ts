import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isChargecheckError } from '../src/errors.js';
import { fanOut } from '../src/report/fan-out.js';
import type { Reporter } from '../src/results/model.js';
import { REPORTER_NAMES, createReporters } from '../src/report/registry.js';
import { CaptureStream } from './fixtures/report/capture-stream.js';
import { replay } from './fixtures/report/replay.js';
import { certifyFixture } from './fixtures/report/runs.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('reporter registry', () => {
  it('knows terminal, json, junit and html', () => {
    expect(REPORTER_NAMES).toEqual(['terminal', 'json', 'junit', 'html']);
  });

  it('creates reporters in the order given, accepting comma lists and dropping duplicates', () => {
    const reporters = createReporters(['junit,terminal', ' json ', 'terminal'], { outDir: '/tmp/x', stream: new CaptureStream() });
    expect(reporters.map((r) => r.name)).toEqual(['junit', 'terminal', 'json']);
  });

  it('rejects an unknown name with REPORT_UNKNOWN_REPORTER and a suggestion', () => {
    const err = thrown(() => createReporters(['terminal', 'junti']));
    expect(isChargecheckError(err, 'REPORT_UNKNOWN_REPORTER')).toBe(true);
    if (!isChargecheckError(err)) return;
    expect(err.details).toMatchObject({ name: 'junti', suggestion: 'junit' });
    expect(err.message).toContain('did you mean "junit"?');
    const far = thrown(() => createReporters(['xml-ish-thing']));
    expect(isChargecheckError(far, 'REPORT_UNKNOWN_REPORTER')).toBe(true);
    expect(isChargecheckError(far) && 'suggestion' in far.details).toBe(false);
  });

  it('does not treat object prototype names as reporters', () => {
    expect(isChargecheckError(thrown(() => createReporters(['constructor'])), 'REPORT_UNKNOWN_REPORTER')).toBe(true);
  });

  it('needs an output directory for the file reporters', () => {
    expect(createReporters(['terminal'], { stream: new CaptureStream() })).toHaveLength(1);
    const err = thrown(() => createReporters(['terminal', 'html']));
    expect(isChargecheckError(err, 'REPORT_OUT_DIR_REQUIRED')).toBe(true);
  });

  it('defaults colour and live redraw from the stream: off for a pipe', async () => {
    const stream = new CaptureStream();
    const [terminal] = createReporters(['terminal'], { stream });
    terminal.onWaiting?.({ name: 's' }, 'x', 1000);
    await replay(terminal, certifyFixture());
    expect(stream.text).not.toContain('\u001b');
  });

  it('writes every file reporter into the output directory through one fanned-out reporter', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'cc-reports-'));
    const stream = new CaptureStream();
    await replay(fanOut(createReporters(['terminal', 'json', 'junit', 'html'], { outDir, stream, color: false, live: false })), certifyFixture());
    expect(JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8'))).toMatchObject({ command: 'certify' });
    expect(await readFile(join(outDir, 'junit.xml'), 'utf8')).toContain('<testsuites');
    expect(await readFile(join(outDir, 'report.html'), 'utf8')).toContain('<!DOCTYPE html>');
    expect(stream.text).toContain('FAILED');
  });

  it('reports a file it cannot write as REPORT_WRITE_FAILED', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cc-reports-'));
    const blocker = join(dir, 'file');
    await writeFile(blocker, 'not a directory');
    const reporters = createReporters(['json'], { outDir: join(blocker, 'out') });
    await expect(fanOut(reporters).onRunEnd?.(certifyFixture())).rejects.toMatchObject({ code: 'REPORT_WRITE_FAILED' });
  });
});

describe('fanOut', () => {
  it('calls every reporter even when one throws, then raises REPORT_HOOK_FAILED', async () => {
    const seen: string[] = [];
    const bad: Reporter = { name: 'bad', onStepEnd: () => { throw new Error('boom'); }, onRunEnd: () => Promise.reject(new Error('late')) };
    const good: Reporter = { name: 'good', onStepEnd: (_s, step) => void seen.push(step.title), onRunEnd: () => void seen.push('end') };
    const both = fanOut([bad, good]);
    const step = certifyFixture().scenarios[0].steps[0];
    const err = thrown(() => both.onStepEnd?.({ name: 's', chargePointId: 'c' }, step));
    expect(isChargecheckError(err, 'REPORT_HOOK_FAILED') && err.details).toEqual({ reporter: 'bad', hook: 'onStepEnd' });
    expect(seen).toEqual([step.title]);
    await expect(both.onRunEnd?.(certifyFixture())).rejects.toMatchObject({ code: 'REPORT_HOOK_FAILED', details: { reporter: 'bad', hook: 'onRunEnd' } });
    expect(seen).toEqual([step.title, 'end']);
  });

  it('skips hooks a reporter does not have', async () => {
    await expect(replay(fanOut([{ name: 'empty' }]), certifyFixture())).resolves.toBeUndefined();
  });
});
