import { compileDist } from './build.js';

/**
 * Runs once per `vitest run`, before any test file: builds dist/ for the few tests that start the
 * real binary (bin/chargecheck.js imports dist/). Every other CLI test calls main() in-process.
 */
export default function setup(): void {
  compileDist();
}
