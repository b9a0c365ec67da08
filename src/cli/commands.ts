import type { Command } from 'commander';
import { registerCertifyCommand } from './certify.js';
import { registerCertsCommand } from './certs.js';
import { registerCsmsCommand } from './csms.js';
import { registerReportCommand } from './report.js';
import { registerRunCommand } from './run.js';
import { registerSimulateCommand } from './simulate.js';
import { registerSwarmCommand } from './swarm.js';
import { registerValidateCommand } from './validate.js';

/** Every subcommand; each file wires options and calls one function. */
export function registerCommands(program: Command, setExit: (code: number) => void): void {
  registerCertsCommand(program, setExit);
  registerCertifyCommand(program, setExit);
  registerCsmsCommand(program, setExit);
  registerRunCommand(program, setExit);
  registerSimulateCommand(program, setExit);
  registerSwarmCommand(program, setExit);
  registerReportCommand(program, setExit);
  registerValidateCommand(program, setExit);
}
