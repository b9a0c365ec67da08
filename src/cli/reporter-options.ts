import { createReporters } from '../report/registry.js';
import type { Reporter } from '../results/model.js';
import { cliIo, wantsColor } from './io.js';

export interface ReporterFlags {
  reporter: string;
  out?: string;
}

/** `--reporter terminal,json,junit,html --out DIR`; file reporters default to ./chargecheck-report. */
export function reportersFrom(flags: ReporterFlags): Reporter[] {
  const names = flags.reporter.split(',').map((s) => s.trim()).filter(Boolean);
  const needsDir = names.some((n) => n !== 'terminal');
  const io = cliIo();
  return createReporters(names, { outDir: flags.out ?? (needsDir ? 'chargecheck-report' : undefined), stream: io.stdout, color: wantsColor(io.stdout, io.env) });
}
