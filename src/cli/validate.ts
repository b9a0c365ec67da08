import type { Command } from 'commander';
import { QUIRK_NAMES } from '../chargepoint/quirks.js';
import { OCPP16_CASE_IDS } from '../conformance/profiles/ocpp16-cases.js';
import { REQUIREMENT_IDS } from '../conformance/requirements.js';
import { formatErrors } from '../scenario/format.js';
import { validateScenarioFiles } from '../scenario/validate-files.js';
import { EXIT } from './exit-codes.js';

export function registerValidateCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('check scenario files and folders; every error with file:line:col (exit 2 if any is invalid)')
    .argument('<paths...>', 'scenario files or folders')
    .action(async (paths: string[]) => {
      const report = await validateScenarioFiles(paths, { requirementIds: [...REQUIREMENT_IDS, ...OCPP16_CASE_IDS], quirkNames: QUIRK_NAMES });
      if (report.errors.length) {
        process.stderr.write(formatErrors(report.errors, { color: process.stderr.isTTY === true }) + '\n');
        process.stderr.write(`${report.errors.length} error(s) in ${report.files.length} file(s)\n`);
        setExit(EXIT.USAGE);
        return;
      }
      process.stdout.write(`${report.files.length} scenario file(s) valid\n`);
      setExit(EXIT.OK);
    });
}
