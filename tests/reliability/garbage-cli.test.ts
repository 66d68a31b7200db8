/**
 * Garbage at the CLI, in process: `main([...])` on generated argument lists for every command
 * (flags known and unknown, `--flag=value`, values that are empty, non-numeric, NaN, ±Infinity,
 * hex, subnormal, absurdly large, lists with holes, paths to missing, malformed and valid files,
 * prototype names like `constructor`). Property: main never throws; it returns 2 with exactly one
 * line `error: <parameter>: <rule>` on stderr and no stack trace, or it succeeds (0/1) and then a
 * `--json` output is one parseable JSON line. Where the arguments are valid and would start real
 * work (the solver, the verify suite), the back-end is replaced by a recorder, and the property
 * checks that what reached it is valid input. Plus a table of the bad inputs named in the
 * reliability issue, each with the parameter its message must name, and the size limits.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { MAX_TOTAL_SAMPLES } from '../../src/problem/validate.ts';
import { MAX_SOLVER_BYTES, solverMemoryBytes } from '../../src/solver/limits.ts';
import { MAX_SCALE } from '../../src/runner/settings.ts';
import { type CliResult, npyFile, runMain } from './helpers.ts';

/** Thrown by the replaced back-ends: the arguments got through every check and reached real work. */
const { Reached } = vi.hoisted(() => ({
  Reached: class Reached extends Error {
    constructor(readonly backend: string, readonly args: readonly unknown[]) {
      super(`reached ${backend}`);
    }
  },
}));
vi.mock('../../src/solver/solver.ts', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  solve: (...args: unknown[]) => {
    throw new Reached('solve', args);
  },
}));
vi.mock('../../src/runner/suite.ts', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  runSuite: (...args: unknown[]) => {
    throw new Reached('runSuite', args);
  },
}));
// predict certifies its explicit optimum: covered by tests/cli-predict.test.ts; here a fixed answer keeps each call fast
vi.mock('../../src/certificate/ufmPlus.ts', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  certifyUfmPlus: () => ({ dualNormRatio: 0.5, dualNormRatioUpper: 0.5, exact: true, optimalityGap: 0 }),
}));
// nothing a generated argument list names is ever written
vi.mock('../../src/io/atomicWrite.ts', () => ({ writeFileAtomic: () => undefined }));
// train: the configuration is checked as trainRun does first, then nothing is trained
vi.mock('../../src/train/trainer.ts', async (importOriginal) => {
  const { validateTrainConfig } = await import('../../src/train/config.ts');
  return {
    ...(await importOriginal<object>()),
    trainRun: async (...args: unknown[]) => {
      validateTrainConfig(args[0] as Parameters<typeof validateTrainConfig>[0]);
      throw new Reached('trainRun', args);
    },
  };
});
vi.mock('../../src/reports/html.ts', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  renderHtml: async () => '<!doctype html><title>stub</title>',
}));

const SEED = 20240813;
const fixture = (p: string): string => fileURLToPath(new URL(`../../fixtures/${p}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ncverify-garbage-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bigLabel = join(dir, 'big-label.npy');
writeFileSync(bigLabel, npyFile('<i4', [3], new Uint8Array(new Int32Array([0, 1, 2 ** 31 - 1]).buffer)));
const textFile = join(dir, 'notes.txt');
writeFileSync(textFile, 'not a file of numbers\n');

// --- vocabularies --------------------------------------------------------------------------------

const NUMBERS = [
  '5e-3', '1e-2', '0.05', '1', '0', '-0', '-1', '1e-300', '1e-320', '1e308', '1e999', 'NaN', 'Infinity', '-Infinity', 'inf',
  '0x10', '1_000', ' 7 ', '.5', '5.', '+3', '1e', 'e5', '--5', '١', '１', '2.5', '3', '8', '1000000', '99999999999999999999', '',
];
const LISTS = [
  '10,10,40,40', '10,40', '3,5', '1', '1,1', '0,5', '-1,3', '1.5,2', '1,,2', ',', '10, 40', '1e3,2', '2,3,4,5,6,7', '999999999999999999999,1',
  '500000000,500000000', '1000000000,1000000000', '5000,5000', 'a,b', '10;40', '',
];
const PATHS = [
  fixture('features/optimum/features.npy'), fixture('features/optimum/labels.npy'), fixture('features/optimum/classifier.npy'),
  fixture('features/random/features.npy'), fixture('features/malformed/truncated.npy'), fixture('features/malformed/bad_dict.npy'),
  fixture('features/formats/labels_u8.npy'), fixture('gate/baseline.json'), fixture('theories/shipped.ts'), bigLabel, textFile,
  dir, join(dir, 'missing.npy'), join(dir, 'missing.json'), '/dev/null', '',
];
const WORDS = [
  'ufm-plus-ce', 'seli', 'mse-deep-linear', 'mse-bias', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'small', 'large',
  'class-means-orthogonal', 'html', 'merge', 'smoke', 'nightly-mlp', 'nightly-resnet18', 'adam', 'sgd', 'wasm', 'cpu', 'tensorflow', 'webgl', 'run_1', '-o', '-h', '--help', '--', '-', '--=', '---n', '--json=1', '10,0.5,10', '2,0.5,1', '3,0.3,2',
  '1e9,0.5,2', '2000,0.5,2', 'x.txt', 'nope.ts',
];

const FLAGS: Record<string, readonly string[]> = {
  predict: ['n', 'lw', 'lh', 'd', 'theory', 'json', 'help', 'step', 'layers'],
  solve: ['n', 'lw', 'lh', 'd', 'seed', 'lb', 'max-seconds', 'unconstrained', 'bias', 'json', 'help'],
  verify: ['theory', 'seed', 'runs', 'budget', 'claim', 'path', 'out', 'json', 'help'],
  'check-features': ['features', 'labels', 'classifier', 'lw', 'lh', 'max-nc1', 'max-nc2', 'max-nc3', 'json', 'help'],
  gate: ['baseline', 'report', 'json', 'all', 'help'],
  report: ['out', 'help'],
  train: [
    'preset', 'run', 'epochs', 'hidden', 'resnet-width', 'n', 'lw', 'lh', 'paper-lw', 'paper-lh', 'wd', 'lr', 'batch', 'optimizer', 'seed',
    'checkpoint-every', 'train-file', 'test-file', 'backend', 'out', 'stop-after', 'fresh', 'help',
  ],
};
const EXTRA_FLAGS = ['bogus', 'N', 'constructor', '__proto__', 'toString', 'train', ''];

const value = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 4, arbitrary: fc.constantFrom(...LISTS) },
  { weight: 3, arbitrary: fc.constantFrom(...PATHS) },
  { weight: 3, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
);

/** One argument group: `--flag value`, `--flag=value`, a bare `--flag`, or a stray word. */
function group(command: string): fc.Arbitrary<string[]> {
  const flag = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FLAGS[command]) }, { weight: 1, arbitrary: fc.constantFrom(...EXTRA_FLAGS) });
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(flag, value).map(([f, v]) => [`--${f}`, v]) },
    { weight: 2, arbitrary: fc.tuple(flag, value).map(([f, v]) => [`--${f}=${v}`]) },
    { weight: 2, arbitrary: flag.map((f) => [`--${f}`]) },
    { weight: 1, arbitrary: value.map((v) => [v]) },
  );
}

/** Valid argument lists of each command (before mutation): so that generated cases also get deep into the command. */
const pick = <T>(...xs: T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);
const opt = (a: fc.Arbitrary<string[]>): fc.Arbitrary<string[]> => fc.option(a, { nil: undefined }).map((x) => x ?? []);
const lambdas = fc.tuple(pick('5e-3', '1e-2', '0.1', '1e-300', '2'), pick('5e-3', '1e-3', '1e2')).map(([w, h]) => ['--lw', w, '--lh', h]);
const sizes = pick('10,10,40,40', '3,5', '1,2,3', '100,1,1', '7,7');
const cat = (...parts: fc.Arbitrary<string[]>[]): fc.Arbitrary<string[]> => fc.tuple(...parts).map((xs) => xs.flat());
const TEMPLATES: Record<string, fc.Arbitrary<string[]>> = {
  predict: cat(sizes.map((n) => ['--n', n]), lambdas, opt(pick(['--d', '8'], ['--d', '4'])), opt(pick(['--theory', 'seli'], ['--theory', 'mse-bias'], ['--theory', 'mse-deep-linear'], ['--layers', '2'])), opt(fc.constant(['--json']))),
  solve: cat(sizes.map((n) => ['--n', n]), lambdas, opt(pick(['--d', '8'], ['--d', '1'])), opt(pick(['--seed', '3'], ['--bias', '--lb', '0.5'], ['--unconstrained'], ['--max-seconds', '5'])), opt(fc.constant(['--json']))),
  verify: cat(opt(pick(['--runs', '0.5'], ['--runs', '1000'])), opt(pick(['--seed', '-3'], ['--budget', 'large'], ['--claim', 'class-means-orthogonal'], ['--theory', fixture('theories/shipped.ts')])), opt(fc.constant(['--json']))),
  'check-features': cat(
    pick(['--features', fixture('features/optimum/features.npy'), '--labels', fixture('features/optimum/labels.npy')], ['--features', fixture('features/random/features.npy'), '--labels', fixture('features/random/labels.npy'), '--classifier', fixture('features/random/classifier.npy')]),
    lambdas, opt(pick(['--max-nc1', '0.1'], ['--max-nc2', '1e-3'], ['--max-nc3', '0.5'])), opt(fc.constant(['--json']))),
  gate: cat(fc.constant(['--baseline', fixture('gate/baseline.json'), '--report', fixture('gate/baseline.json')]), opt(pick(['--json'], ['--all']))),
  report: pick(['html', fixture('gate/baseline.json')], ['html', fixture('gate/baseline.json'), '-o', join(dir, 'r.html')], ['merge', fixture('gate/baseline.json')], ['merge', fixture('gate/baseline.json'), fixture('gate/baseline.json')]),
  train: cat(opt(pick(['--preset', 'smoke'], ['--preset', 'nightly-mlp'])), opt(pick(['--epochs', '2'], ['--hidden', '16,8'], ['--resnet-width', '4'], ['--n', '1,1,1,1,1,1,1,1,1,1'])), opt(pick(['--lw', '1e-2', '--lh', '1e-3'], ['--paper-lw', '5e-4', '--paper-lh', '5e-4'])), opt(pick(['--optimizer', 'sgd', '--lr', '0.1'], ['--backend', 'cpu'], ['--stop-after', '1']))),
};

/** A few edits of a valid argument list: replace a word by garbage, drop one, insert a garbage group. */
function mutated(command: string): fc.Arbitrary<string[]> {
  const editOf = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), value, group(command));
  return fc.tuple(TEMPLATES[command], fc.array(editOf, { maxLength: 2 })).map(([base, edits]) => {
    const out = base.slice();
    for (const [at, op, v, g] of edits) {
      const i = out.length === 0 ? 0 : at % out.length;
      if (op === 0 && out.length > 0) out[i] = v;
      else if (op === 1) out.splice(i, 1);
      else out.splice(i, 0, ...g);
    }
    return out;
  });
}

/** An argument list for a command: a mutated valid one, or its own flags in any order with garbage mixed in. */
function argvFor(command: string): fc.Arbitrary<string[]> {
  const lead = command === 'report' ? fc.constantFrom(['html'], ['merge'], [], ['bogus']) : fc.constant([] as string[]);
  const soup = fc.tuple(lead, fc.array(group(command), { maxLength: 7 })).map(([l, gs]) => [...l, ...gs.flat()]);
  return fc.oneof(soup, mutated(command)).map((args) => [command, ...args]);
}

// --- the property ----------------------------------------------------------------------------------

/** What reached a replaced back-end must be a valid problem (the command's checks let nothing else through). */
function expectValidAtBackend(r: CliResult): void {
  const reached = r.thrown as InstanceType<typeof Reached>;
  if (reached.backend === 'solve') {
    const [p, o] = reached.args as [{ n: number[]; lambdaW: number; lambdaH: number; d: number; lambdaB?: number }, { seed: number; maxSeconds?: number }];
    expect(p.n.length).toBeGreaterThanOrEqual(2);
    expect(p.n.every((x) => Number.isInteger(x) && x > 0)).toBe(true);
    const N = p.n.reduce((a, b) => a + b, 0);
    expect(N).toBeLessThanOrEqual(MAX_TOTAL_SAMPLES);
    for (const l of [p.lambdaW, p.lambdaH]) expect(Number.isFinite(l) && l > 0).toBe(true);
    expect(Number.isInteger(p.d) && p.d >= 1).toBe(true);
    expect(solverMemoryBytes(p.n.length, N, p.d)).toBeLessThanOrEqual(MAX_SOLVER_BYTES);
    if (p.lambdaB !== undefined) expect(Number.isFinite(p.lambdaB) && p.lambdaB >= 0).toBe(true);
    expect(Number.isSafeInteger(o.seed)).toBe(true);
    if (o.maxSeconds !== undefined) expect(Number.isFinite(o.maxSeconds) && o.maxSeconds > 0).toBe(true);
  } else if (reached.backend === 'trainRun') {
    // trainRun's own validation ran in the stand-in; what the CLI adds: a backend name and a stop epoch it parsed
    const [, o] = reached.args as [unknown, { backend?: string; stopAfterEpoch?: number }];
    if (o.backend !== undefined) expect(['tensorflow', 'wasm', 'cpu']).toContain(o.backend);
    if (o.stopAfterEpoch !== undefined) expect(Number.isSafeInteger(o.stopAfterEpoch)).toBe(true);
  } else {
    const [claims, o] = reached.args as [unknown[], { seed: number; scale: number; budget: string; theory: { predict: unknown } }];
    expect(claims.length).toBeGreaterThan(0);
    expect(Number.isSafeInteger(o.seed)).toBe(true);
    expect(o.scale > 0 && o.scale <= MAX_SCALE).toBe(true);
    expect(['small', 'large']).toContain(o.budget);
    expect(typeof o.theory.predict).toBe('function');
  }
}

function expectWellBehaved(argv: readonly string[], r: CliResult): void {
  const context = `argv ${JSON.stringify(argv)}\nstderr ${JSON.stringify(r.stderr)}\nthrown ${r.thrown instanceof Error ? r.thrown.stack : String(r.thrown)}`;
  if (r.thrown !== undefined) {
    expect(r.thrown, context).toBeInstanceOf(Reached);
    expectValidAtBackend(r);
    return;
  }
  expect([0, 1, 2], context).toContain(r.code);
  if (r.code === 2) {
    expect(r.stderr, context).toMatch(/^error: [^\n]+\n$/);
    expect(r.stderr, context).toMatch(/^error: \S[^\n]*: \S/); // parameter: rule
    expect(r.stderr, context).not.toMatch(/\n\s+at /);
  } else if (argv.includes('--json') && r.stdout !== '' && !argv.includes('--help') && !argv.includes('-h')) {
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines, context).toHaveLength(1);
    expect(() => JSON.parse(lines[0]), context).not.toThrow();
  }
}

describe('garbage argument lists: main never throws, refuses with one line, or succeeds cleanly', () => {
  for (const command of Object.keys(FLAGS)) {
    it(`ncverify ${command}`, async () => {
      await fc.assert(
        fc.asyncProperty(argvFor(command), async (argv) => {
          expectWellBehaved(argv, await runMain(main, argv));
        }),
        { seed: SEED, numRuns: command === 'predict' ? 250 : 150 },
      );
    });
  }

  it('no command, an unknown command, or garbage as the command', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constant([] as string[]), fc.array(value, { minLength: 1, maxLength: 3 })), async (argv) => {
        const r = await runMain(main, argv);
        expect(r.thrown).toBeUndefined();
        expect([0, 2]).toContain(r.code);
        if (r.code === 2 && argv.length > 0) expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});

// --- the bad inputs the issue names -------------------------------------------------------------

const LAMBDAS = ['--lw', '5e-3', '--lh', '5e-3'];
const NAMED: [string, string[], string][] = [
  ['empty n', ['predict', '--n', '', ...LAMBDAS], '--n'],
  ['non-numeric n', ['predict', '--n', 'ten,forty', ...LAMBDAS], '--n'],
  ['n_k = 0', ['solve', '--n', '10,0', ...LAMBDAS], '--n'],
  ['n_k < 0', ['predict', '--n', '10,-4', ...LAMBDAS], '--n'],
  ['non-integer n_k', ['solve', '--n', '10,2.5', ...LAMBDAS], '--n'],
  ['K = 1', ['predict', '--n', '10', ...LAMBDAS], '--n'],
  ['λ_W = 0', ['solve', '--n', '10,40', '--lw', '0', '--lh', '5e-3'], '--lw'],
  ['λ_H < 0', ['predict', '--n', '10,40', '--lw', '5e-3', '--lh', '-1'], '--lh'],
  ['λ_W = NaN', ['predict', '--n', '10,40', '--lw', 'NaN', '--lh', '5e-3'], '--lw'],
  ['λ_H = Infinity', ['solve', '--n', '10,40', '--lw', '5e-3', '--lh', 'Infinity'], '--lh'],
  ['λ overflowing to Infinity', ['predict', '--n', '10,40', '--lw', '1e999', '--lh', '5e-3'], '--lw'],
  ['d < K (predict needs d ≥ K)', ['predict', '--n', '10,10,40', ...LAMBDAS, '--d', '2'], '--d'],
  ['d not an integer', ['solve', '--n', '10,40', ...LAMBDAS, '--d', '2.5'], '--d'],
  ['d = 0', ['solve', '--n', '10,40', ...LAMBDAS, '--d', '0'], '--d'],
  ['unknown flag', ['solve', '--n', '10,40', ...LAMBDAS, '--frobnicate'], '--frobnicate'],
  ['a prototype name as a flag', ['predict', '--constructor', '1', ...LAMBDAS], '--constructor'],
  ['a prototype name as a theory', ['verify', '--theory', 'constructor'], '--theory'],
  ['a flag given twice', ['predict', '--n', '1,2', '--n', '1,2', ...LAMBDAS], '--n'],
  ['a stray word', ['solve', 'please', '--n', '10,40', ...LAMBDAS], 'please'],
  ['an unknown command', ['frobnicate'], '"frobnicate"'],
  ['N too large', ['solve', '--n', '1000000000,1000000000', ...LAMBDAS], '--n'],
  ['(d + K)·N too large for the solver', ['solve', '--n', '500000000,500000000', ...LAMBDAS], '--n/--d'],
  ['K too large for predict', ['predict', '--n', Array(1001).fill('1').join(','), ...LAMBDAS], '--n'],
  ['verify --runs 0', ['verify', '--runs', '0'], '--runs'],
  ['verify --runs absurd', ['verify', '--runs', '1e6'], '--runs'],
  ['verify --seed not an integer', ['verify', '--seed', '1.5'], '--seed'],
  ['verify --budget unknown', ['verify', '--budget', 'huge'], '--budget'],
  ['verify --claim unknown', ['verify', '--claim', 'no-such-claim'], '--claim'],
  ['verify --path malformed', ['verify', '--claim', 'class-means-orthogonal', '--path', '1:2:x'], '--path'],
  ['check-features: missing file', ['check-features', '--features', join(dir, 'no.npy'), '--labels', join(dir, 'no.npy'), ...LAMBDAS], join(dir, 'no.npy')],
  ['check-features: a text file as .npy', ['check-features', '--features', textFile, '--labels', textFile, ...LAMBDAS], textFile],
  ['check-features: malformed .npy', ['check-features', '--features', fixture('features/malformed/bad_dict.npy'), '--labels', fixture('features/optimum/labels.npy'), ...LAMBDAS], fixture('features/malformed/bad_dict.npy')],
  ['check-features: a label of 2^31 − 1', ['check-features', '--features', fixture('features/optimum/features.npy'), '--labels', bigLabel, ...LAMBDAS], bigLabel],
  ['check-features: --max-nc1 < 0', ['check-features', '--features', fixture('features/optimum/features.npy'), '--labels', fixture('features/optimum/labels.npy'), ...LAMBDAS, '--max-nc1', '-1'], '--max-nc1'],
  ['gate: unreadable baseline', ['gate', '--baseline', join(dir, 'no.json'), '--report', fixture('gate/baseline.json')], join(dir, 'no.json')],
  ['gate: a .npy file as a report', ['gate', '--baseline', fixture('gate/baseline.json'), '--report', fixture('features/optimum/labels.npy')], fixture('features/optimum/labels.npy')],
  ['a stray word with blanks is quoted', ['gate', ' 7 '], '" 7 "'],
  ['a newline in a value stays on one line', ['solve', '--n', '1\n2', ...LAMBDAS], '--n'],
  ['a prototype name as the command', ['hasOwnProperty'], '"hasOwnProperty"'],
  ['train: absurd MLP width', ['train', '--hidden', '1000000000'], 'backbone.hidden'],
  ['train: learning rate 0', ['train', '--lr', '0'], 'optimizer.lr'],
  ['report without a subcommand', ['report'], 'report'],
  ['report html with two files', ['report', 'html', 'a.json', 'b.json'], 'report html'],
  ['report -o without a path', ['report', 'merge', fixture('gate/baseline.json'), '-o'], '-o'],
];

describe('the bad inputs named in the reliability issue: exit 2, one line naming the parameter', () => {
  for (const [name, argv, parameter] of NAMED) {
    it(`${name}: ${argv.slice(0, 6).join(' ').slice(0, 80)}`, async () => {
      const started = performance.now();
      const r = await runMain(main, argv);
      expect(r.thrown).toBeUndefined();
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
      expect(r.stderr.startsWith(`error: ${parameter}`), r.stderr).toBe(true);
      // refused before any work: absurd sizes allocate nothing (the checks run on the flags alone)
      expect(performance.now() - started).toBeLessThan(2000);
    });
  }
});
