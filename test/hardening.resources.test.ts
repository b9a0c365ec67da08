/**
 * Issue 12, resource exhaustion: with the file-descriptor table full, the OCPP validator (a CSMS
 * meeting an action for the first time) and the swarm's RSS sampler must keep working. Real
 * processes under a real `ulimit -n`; dist/ is built by the global setup.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Csms } from '../src/csms/csms.js';
import { systemClock } from '../src/clock/system.js';
import { WheelClock } from '../src/clock/wheel.js';
import { channelPair } from '../src/rpc/channel.js';
import { runSwarm } from '../src/swarm/fleet.js';
import { ROOT } from './helpers/cli.js';

/** Fills the fd table, then validates a StopTransaction (its schema never used before) and samples RSS. */
const SCRIPT = `
import { openSync } from 'node:fs';
const { validatePayload } = await import('./dist/ocpp/validator.js');
const held = [];
try { for (;;) held.push(openSync('/dev/null', 'r')); } catch (e) { if (e.code !== 'EMFILE') throw e; }
const bad = validatePayload('StopTransaction', 'request', { meterStop: 'x', timestamp: '2026-01-01T00:00:00Z', transactionId: 1 });
const good = validatePayload('StopTransaction', 'request', { meterStop: 1, timestamp: '2026-01-01T00:00:00Z', transactionId: 1 });
console.log(JSON.stringify({ held: held.length, bad: bad?.code, good: good === undefined }));
`;

describe('fd exhaustion', () => {
  it('the validator needs no file once loaded: with no fd left it still answers TypeConstraintViolation', () => {
    const r = spawnSync('bash', ['-c', `ulimit -n 64 && exec "${process.execPath}" --input-type=module -e "$0"`, SCRIPT], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { held: number; bad: string; good: boolean };
    expect(out.held).toBeGreaterThan(10);
    expect(out).toMatchObject({ bad: 'TypeConstraintViolation', good: true });
  });

  it('swarm: an RSS sampler failing with EMFILE does not kill the run; the summary is written with the last reading', async () => {
    const csms = new Csms({ clock: systemClock });
    let calls = 0;
    const summary = await runSwarm({
      csms: 'memory://',
      count: 1,
      durationSec: 0.3,
      progressIntervalMs: 50,
      clock: new WheelClock({ resolutionMs: 10 }),
      rss: () => {
        if (++calls > 1) throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
        return 123 * 2 ** 20;
      },
      open: async (id) => {
        const [a, b] = channelPair();
        csms.attach(b, id);
        return { channel: a };
      },
    });
    expect(calls).toBeGreaterThan(1);
    expect(summary.connected).toBe(1);
    expect(summary.rssBytes).toBe(123 * 2 ** 20);
  });
});
