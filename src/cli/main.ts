import { Command, CommanderError } from 'commander';
import { isChargecheckError } from '../errors.js';
import { VERSION } from '../version.js';
import { registerCommands } from './commands.js';
import { EXIT } from './exit-codes.js';

/**
 * Entry point of the `chargecheck` binary: parse, run one command, return its exit code.
 * Usage errors exit 2 with commander's message; a coded error prints `error CODE: message`.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('chargecheck')
    .description('OCPP 1.6J virtual charge point and conformance harness')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
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
      process.stderr.write(`${err.message}\n`);
      return EXIT.USAGE;
    }
    if (isChargecheckError(err)) {
      process.stderr.write(`error ${err.code}: ${err.message}\n`);
      return exitCodeForError(err.code);
    }
    throw err;
  }
  return exitCode;
}

/** Errors that mean "the peer could not be reached" exit 3; everything else we raise is usage (2). */
function exitCodeForError(code: string): number {
  if (code.startsWith('TRANSPORT_') || code.startsWith('TLS_')) return EXIT.UNREACHABLE;
  return EXIT.USAGE;
}
