import { defineConfig } from 'vitest/config';

// `npm run acceptance`: long runs in real time against peers in other processes (minutes each).
// Kept out of `npm test`, which stays fast; run before resolving an issue that touches how
// chargecheck meets a peer.
export default defineConfig({
  test: {
    include: ['acceptance/**/*.test.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 5 * 60_000,
    pool: 'forks',
    // Every file at once: they spend their minutes waiting on real time, not on the CPU, so the
    // whole run takes as long as its longest file (certify-simulate, about 21 min).
    fileParallelism: true,
    poolOptions: { forks: { minForks: 1, maxForks: 8 } },
  },
});
