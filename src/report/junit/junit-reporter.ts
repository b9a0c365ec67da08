import type { Reporter, RunResult } from '../../results/model.js';
import { writeReportFile } from '../write-report-file.js';
import { renderJunit } from './render-junit.js';

export const JUNIT_REPORT_FILE = 'junit.xml';

/** Writes DIR/junit.xml for CI systems when the run ends. */
export function createJunitReporter(options: { outDir: string }): Reporter {
  return {
    name: 'junit',
    async onRunEnd(result: RunResult): Promise<void> {
      await writeReportFile(options.outDir, JUNIT_REPORT_FILE, renderJunit(result));
    },
  };
}
