// Mutation testing of the closed forms (src/theory) and the certificate (src/certificate):
// `npx stryker run` (npm run test:mutation). Reports: reports/mutation/ (HTML + JSON); summary,
// score, run time and the equivalent mutants explained: docs/mutation.md.
// `npx stryker run --incremental` reuses reports/mutation/stryker-incremental.json: only mutants
// whose code or covering tests changed are run again.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/theory/**/*.ts',
    'src/certificate/**/*.ts',
  ],
  ignorePatterns: ['/reports', '/scratch', '/scratch-tfjs', '/.scratch-train', '/slow', '/bench'],
  concurrency: 2,
  timeoutMS: 5_000,
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
