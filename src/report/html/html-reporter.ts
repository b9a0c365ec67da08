import type { Reporter, RunResult } from '../../results/model.js';
import { writeReportFile } from '../write-report-file.js';
import { renderHtml } from './render-html.js';

export const HTML_REPORT_FILE = 'report.html';

/** Writes the self-contained DIR/report.html when the run ends. */
export function createHtmlReporter(options: { outDir: string }): Reporter {
  return {
    name: 'html',
    async onRunEnd(result: RunResult): Promise<void> {
      await writeReportFile(options.outDir, HTML_REPORT_FILE, renderHtml(result));
    },
  };
}
