import { defineConfig } from 'vitest/config';

/**
 * The vitest configuration Stryker runs (stryker.config.mjs, `npm run test:mutation`): only the
 * fast in-process unit tests of the mutated modules — src/theory (UFM+ closed form, double-double,
 * SELI, MSE) and src/certificate. The CLI tests are left out (they spawn processes: slow, and every
 * formula they reach is already covered in-process).
 */
export default defineConfig({
  test: {
    include: [
      'tests/theory-ufmplus.test.ts',
      'tests/theory-mutation-killers.test.ts',
      'tests/theory-seli.test.ts',
      'tests/theory-mse.test.ts',
      'tests/certificate.test.ts',
      'tests/certificate-search.test.ts',
      'tests/certificate-mutation-killers.test.ts',
      'tests/certificate-killers-*.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
