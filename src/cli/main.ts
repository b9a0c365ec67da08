import { Command, CommanderError } from 'commander';
import { exitCodeOf, isChargecheckError } from '../errors.js';
import { VERSION } from '../version.js';
import { registerCommands } from './commands.js';
import { EXIT } from './exit-codes.js';
import { processIo, withCliIo, type CliIo } from './io.js';

/**
 * Entry point of the `chargecheck` binary: parse, run one command, return its exit code. Never
 * exits the process itself: `bin/chargecheck.js` sets process.exitCode from the result, tests call
 * it in-process with captured streams (`io`). Usage errors exit 2 with commander's message; a coded
 * error prints `error CODE: message` and exits with its code's category (src/errors.ts).
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return withCliIo(io, async () => {
    const program = new Command('chargecheck')
      .description('OCPP 1.6J virtual charge point and conformance harness')
      .version(VERSION)
      .showHelpAfterError('(run with --help for usage)')
      .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
      .exitOverride();
    let exitCode: number = EXIT.OK;
    registerCommands(program, (code) => {
      exitCode = code;
    });
    try {
      await program.parseAsync([...argv]);
    } catch (err) {
      if (err instanceof CommanderError) {
        return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
      }
      if (isChargecheckError(err, 'SCENARIO_INVALID')) {
        io.stderr.write(`${err.message}\n`);
        return EXIT.USAGE;
      }
      if (isChargecheckError(err)) {
        io.stderr.write(`error ${err.code}: ${err.message}\n`);
        return exitCodeOf(err);
      }
      throw err;
    }
    return exitCode;
  });
}
