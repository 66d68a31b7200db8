import { defineConfig } from 'vitest/config';

/**
 * Two projects:
 * - `fast`: unit tests (`src/**\/*.test.ts`, `tests/**\/*.test.ts`) and the theorem properties
 *   (`properties/**\/*.prop.ts`) — this is `npm test`.
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
          name: 'slow',
          include: ['slow/**/*.slow.ts'],
          testTimeout: 3_600_000,
          hookTimeout: 3_600_000,
        },
      },
    ],
  },
});
