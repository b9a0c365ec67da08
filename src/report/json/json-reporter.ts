import type { Reporter, RunResult } from '../../results/model.js';
import { writeReportFile } from '../write-report-file.js';
import { renderJson } from './canonical-run.js';

export const JSON_REPORT_FILE = 'report.json';

/** Writes the canonical record, DIR/report.json, when the run ends. */
export function createJsonReporter(options: { outDir: string }): Reporter {
  return {
    name: 'json',
    async onRunEnd(result: RunResult): Promise<void> {
      await writeReportFile(options.outDir, JSON_REPORT_FILE, renderJson(result));
    },
  };
}
