import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // dist/ is built once here, not in each file's beforeAll (they raced on the same folder).
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Several test files wait on real time (a swarm's seconds, an external CSMS, child processes):
    // more forks than cores let them overlap with the CPU-bound ones.
    maxWorkers: 4,
    minWorkers: 1,
  },
});
