import type { Command } from 'commander';
import { QUIRK_NAMES } from '../chargepoint/quirks.js';
import { OCPP16_CASE_IDS } from '../conformance/profiles/ocpp16-cases.js';
import { REQUIREMENT_IDS } from '../conformance/requirements.js';
import { formatErrors } from '../scenario/format.js';
import { validateScenarioFiles } from '../scenario/validate-files.js';
import { EXIT } from './exit-codes.js';
import { cliIo, wantsColor } from './io.js';

export function registerValidateCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('check scenario files and folders; every error with file:line:col (exit 2 if any is invalid)')
    .argument('<paths...>', 'scenario files or folders')
    .action(async (paths: string[]) => {
      const report = await validateScenarioFiles(paths, { requirementIds: [...REQUIREMENT_IDS, ...OCPP16_CASE_IDS], quirkNames: QUIRK_NAMES });
      const io = cliIo();
      if (report.errors.length) {
        io.stderr.write(formatErrors(report.errors, { color: wantsColor(io.stderr, io.env) }) + '\n');
        io.stderr.write(`${report.errors.length} error(s) in ${report.files.length} file(s)\n`);
        setExit(EXIT.USAGE);
        return;
      }
      io.stdout.write(`${report.files.length} scenario file(s) valid\n`);
      setExit(EXIT.OK);
    });
}
