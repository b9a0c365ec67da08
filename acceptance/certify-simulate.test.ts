/**
 * Must-show of issue 10: a real-time certification of `chargecheck simulate` running in another
 * process, its physical acts performed through `certify --act-hook` by a script that types console
 * commands into simulate's stdin (a FIFO). The conformant charger must pass every required
 * requirement in ≤ 12 minutes; with each real-mode quirk (docs/quirks.md, "Real-mode quirks")
 * exactly its documented requirements fail. The six runs go concurrently, each on its own port.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, startCli } from '../test/helpers/cli.js';

const PASSWORD = '00112233445566778899aabbccddeeff';
const HOOK = join(ROOT, 'acceptance', 'fixtures', 'act-hook.mjs');

interface Row {
  quirk: string;
  breaks: string[];
}

/** docs/quirks.md "Real-mode quirks": quirk → breaks. */
function realModeRows(): Row[] {
  const text = readFileSync(join(ROOT, 'docs', 'quirks.md'), 'utf8').split('## Real-mode quirks')[1];
  return text
    .split('\n')
    .filter((l) => /^\| `[a-z-]+` \|/.test(l))
    .map((l) => {
      const [q, b] = l.split('|').slice(1, -1).map((c) => c.trim());
      return { quirk: q.replace(/`/g, ''), breaks: b === 'none' ? [] : b.split(',').map((s) => s.trim()) };
    });
}

interface Outcome {
  quirk: string;
  exit: number | null;
  wallMs: number;
  verdicts: { id: string; verdict: string; level: string; evidence: { text: string }[] }[];
  stderr: string;
}

async function certifySimulate(quirk: string | undefined): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), `certify-sim-${quirk ?? 'conformant'}-`));
  const fifo = join(dir, 'simulate.stdin');
  spawnSync('mkfifo', [fifo]);
  const id = `SIM-${(quirk ?? 'ok').toUpperCase()}`;
  const t0 = performance.now();
  const certify = startCli(
    [
      'certify', '--listen', '127.0.0.1:0', '--charger', `${id}:${PASSWORD}`, '--cert-dir', join(dir, 'certs'),
      '--act-hook', `SIMULATE_FIFO=${fifo} node ${HOOK}`, '--act-timeout', '150', '--reboot-timeout', '90',
      '--connect-timeout', '60', '--reporter', 'terminal,json,junit,html', '--out', join(dir, 'report'),
    ],
    dir,
  );
  const [, url] = await certify.waitForLine(/^certify listener: (\S+)$/);
  // O_RDWR: the open does not wait for a writer, and simulate never sees end of input.
  const stdin = openSync(fifo, 'r+');
  const sim = spawn(process.execPath, [BIN, 'simulate', '--csms', url.slice(0, url.lastIndexOf('/')), '--id', id, '--password', PASSWORD, '--ca', join(dir, 'certs', 'ca.pem'), '--no-frames', ...(quirk ? ['--quirk', quirk] : [])], { cwd: dir, stdio: [stdin, 'ignore', 'pipe'] });
  let simErr = '';
  sim.stderr!.on('data', (d: Buffer) => (simErr += d.toString()));
  const exit = await certify.exited;
  const wallMs = performance.now() - t0;
  sim.kill('SIGTERM');
  closeSync(stdin);
  const report = JSON.parse(readFileSync(join(dir, 'report', 'report.json'), 'utf8')) as { requirements: Outcome['verdicts'] };
  return { quirk: quirk ?? 'conformant', exit, wallMs, verdicts: report.requirements, stderr: certify.stderr() + simErr };
}

const failing = (o: Outcome) => o.verdicts.filter((v) => v.verdict === 'fail').map((v) => v.id).sort();
const detail = (o: Outcome) => o.verdicts.map((v) => `${v.id}: ${v.verdict} — ${v.evidence[0]?.text ?? ''}`).join('\n');

describe('certify --listen against chargecheck simulate in another process, acts through --act-hook (real time)', () => {
  const rows = realModeRows();
  const runs = Promise.all([certifySimulate(undefined), ...rows.map((r) => certifySimulate(r.quirk))]);

  it('summary', async () => {
    const all = await runs;
    for (const o of all) {
      console.log(`certify simulate${o.quirk === 'conformant' ? '' : ` --quirk ${o.quirk}`}: exit ${o.exit} in ${(o.wallMs / 60_000).toFixed(1)} min; fail: ${failing(o).join(', ') || 'none'}; pass ${o.verdicts.filter((v) => v.verdict === 'pass').length}/${o.verdicts.length}`);
    }
  });

  it('the conformant charger: every required requirement passes, nothing fails, in ≤ 12 minutes', async () => {
    const [ok] = await runs;
    expect(failing(ok), detail(ok)).toEqual([]);
    const required = ok.verdicts.filter((v) => v.level === 'required' || v.level === 'conditional');
    expect(required.filter((v) => v.verdict !== 'pass').map((v) => v.id), detail(ok)).toEqual([]);
    expect(ok.exit, ok.stderr.slice(-3000)).toBe(0);
    expect(ok.wallMs).toBeLessThanOrEqual(12 * 60_000);
  });

  it('each real-mode quirk fails exactly its documented requirements', async () => {
    const [, ...quirky] = await runs;
    for (const [i, row] of rows.entries()) {
      const o = quirky[i];
      expect(failing(o), `${row.quirk}\n${detail(o)}`).toEqual([...row.breaks].sort());
    }
  });
});
