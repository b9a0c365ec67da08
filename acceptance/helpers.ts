import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPki } from '../src/transport/pki.js';
import { BIN, ROOT } from '../test/helpers/cli.js';

const TSX = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
const PEER = fileURLToPath(new URL('./peers/platform-csms.ts', import.meta.url));

export interface Peer {
  readonly url: string;
  readonly admin?: string;
  readonly caFile: string;
  /** JSON event lines the peer printed. */
  readonly events: Record<string, unknown>[];
  stop(): Promise<void>;
}

/** Starts acceptance/peers/platform-csms.ts (ocpp-rpc) in its own process with a fresh test PKI. */
export async function startPeer(options: { password: string; behaviour: 'platform' | 'answer-only'; admin?: boolean; dropDuplicateWithinMs?: number }): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-peer-'));
  const pki = await createPki();
  writeFileSync(join(dir, 'cert.pem'), pki.server.cert);
  writeFileSync(join(dir, 'key.pem'), pki.server.key);
  writeFileSync(join(dir, 'ca.pem'), pki.ca.cert);
  const child: ChildProcess = spawn(process.execPath, [TSX, PEER, JSON.stringify({ ...options, cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') })], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const events: Record<string, unknown>[] = [];
  let partial = '';
  const ready = new Promise<{ url: string; admin?: string }>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`peer exited ${code}`)));
    child.stdout!.on('data', (d: Buffer) => {
      const parts = (partial + d.toString()).split('\n');
      partial = parts.pop()!;
      for (const line of parts) {
        const event = JSON.parse(line) as Record<string, unknown>;
        events.push(event);
        if (typeof event.url === 'string') resolve({ url: event.url, admin: event.admin as string | undefined });
      }
    });
  });
  const { url, admin } = await ready;
  return {
    url,
    admin,
    caFile: join(dir, 'ca.pem'),
    events,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface RunOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  readonly report: RunReport;
}

export interface RunReport {
  exitCode: number;
  scenarios: { name: string; file: string; status: string; chargePointId: string; failure?: { code: string; message: string }; steps: { title: string; status: string; failure?: { code: string; message: string } }[] }[];
  requirements: { id: string; title: string; verdict: string; evidence: { text: string }[] }[];
}

/** `node bin/chargecheck.js run ARGS --reporter terminal,json` in its own process, with its JSON report. */
export async function runChargecheck(args: readonly string[], env: Record<string, string> = {}): Promise<RunOutcome> {
  const out = mkdtempSync(join(tmpdir(), 'cc-run-'));
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'run', ...args, '--reporter', 'terminal,json', '--out', out], { cwd: ROOT, env: { ...process.env, ...env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallMs = performance.now() - started;
  let report: RunReport;
  try {
    report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
  } catch {
    throw new Error(`no report (exit ${code}):\n${stdout}\n${stderr}`);
  }
  return { code, stdout, stderr, wallMs, report };
}

/** One line per scenario and requirement, for the acceptance summary. */
export function summary(label: string, r: RunOutcome): string {
  const count = (s: string) => r.report.scenarios.filter((x) => x.status === s).length;
  const req = (v: string) => r.report.requirements.filter((x) => x.verdict === v).length;
  const failures = r.report.scenarios
    .filter((s) => s.status !== 'passed')
    .map((s) => {
      const step = s.steps.find((x) => x.failure);
      return `\n  ${s.status}: ${s.name} [${s.chargePointId}] — ${step ? `${step.title}: ${step.failure!.message}` : (s.failure?.message ?? '')}`;
    });
  return `${label}: exit ${r.code}, ${Math.round(r.wallMs / 1000)} s real time, scenarios ${count('passed')} passed / ${count('failed')} failed / ${count('error')} error / ${count('skipped')} skipped, requirements ${req('pass')} pass / ${req('fail')} fail / ${req('not-tested')} not tested${failures.join('')}`;
}
