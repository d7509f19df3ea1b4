import { defineConfig } from 'vitest/config';

// Interop tests start Java drivers: keep parallelism to the 2 cores CI has and give hooks generous deadlines.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'bench/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
