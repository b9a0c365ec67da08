import { compileDist } from './build.js';

/**
 * Runs once per `vitest run`, before any test file: builds dist/ for the few tests that start the
 * real binary (bin/chargecheck.js imports dist/). Every other CLI test calls main() in-process.
 */
export default function setup(): void {
  // `npm test` has just built dist/ (its typecheck needs the package's own .d.ts files, which the
  // public-API tests import as 'chargecheck'); a bare `vitest run` builds here.
  if (process.env.npm_lifecycle_event === 'test') return;
  compileDist();
}
