#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`); process.exitCode = 4; },
);
