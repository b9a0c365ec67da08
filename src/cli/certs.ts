import type { Command } from 'commander';
import { generateCerts } from '../transport/certs.js';
import { EXIT } from './exit-codes.js';
import { cliIo } from './io.js';

export function registerCertsCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('certs')
    .description('write a test PKI: CA, server certificate (localhost, 127.0.0.1, ::1 + --host) and client certificates')
    .requiredOption('--out <dir>', 'directory to write into')
    .option('--host <name...>', 'extra server names (DNS names or IP addresses)', [])
    .option('--client <id...>', 'charge point ids to issue client certificates for (Security Profile 3)', [])
    .option('--ecdsa', 'also write an ECDSA server certificate (server-ecdsa.pem)', false)
    .action(async (opts: { out: string; host: string[]; client: string[]; ecdsa: boolean }) => {
      const result = await generateCerts({ outDir: opts.out, hosts: opts.host, clients: opts.client, ecdsa: opts.ecdsa });
      for (const item of result.items) {
        const why = item.reason ? ` (${item.reason})` : '';
        cliIo().stdout.write(`${item.action.padEnd(8)} ${item.certFile}${why}\n`);
      }
      setExit(EXIT.OK);
    });
}
