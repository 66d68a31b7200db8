import { defineConfig } from 'vitest/config';

/**
 * Two projects:
 * - `fast`: unit tests (`src/**\/*.test.ts`, `tests/**\/*.test.ts`) and the theorem properties
 *   (`properties/**\/*.prop.ts`) — this is `npm test`.
 * - `nightly`: every claim at a large budget, one file per group so that `--shard=i/n` splits it
 *   (`npm run test:nightly`);
 * - `slow`: the CIFAR-10 backbone suite (`slow/**\/*.slow.ts`) — `npm run test:slow`.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'fast',
          include: ['src/**/*.test.ts', 'tests/**/*.test.ts', 'properties/**/*.prop.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'nightly',
          include: ['properties/nightly/*.nightly.ts'],
          testTimeout: 86_400_000,
          hookTimeout: 86_400_000,
        },
      },
      {
        test: {
          name: 'slow',
          include: ['slow/**/*.slow.ts'],
          // one clear line and exit 1 when CIFAR-10 is not found (slow/globalSetup.ts)
          globalSetup: ['slow/globalSetup.ts'],
          testTimeout: 3_600_000,
          hookTimeout: 3_600_000,
        },
      },
    ],
  },
});
