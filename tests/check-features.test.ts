import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run } from '../src/cli/commands/checkFeatures.ts';
import { isInputError } from '../src/errors.ts';
import { fromRows, toRows } from '../src/linalg/dense.ts';
import { readNpy } from '../src/io/npy.ts';
import { ncMetrics } from '../src/metrics/nc.ts';
import { featureCheck, groupByLabel } from '../src/reports/featureCheck.ts';

const FIX = fileURLToPath(new URL('../fixtures/features/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ncverify-cf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Computed by fixtures/features/make.py in NumPy: explicit d×d Σ_W, Σ_B and eigh (another route than src/metrics). */
const EXPECTED = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8'));

/**
 * Both sides are float64 on N ≤ 36 samples, d ≤ 8: they differ only by summation order and by the
 * algorithm (QR/SVD of the centred means vs eigh of the d×d Σ_B), ~1e-15 relative for these
 * well-conditioned inputs (Σ_B's kept eigenvalues are far above the 1e-10 cut-off). 1e-10 relative to
 * max(1, |expected|) leaves five orders of margin and still catches any formula or convention slip.
 */
const TOL = 1e-10;
function close(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs NumPy ${expected}`).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(expected)));
}
function closeAll(actual: readonly number[], expected: readonly number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((a, i) => close(a, expected[i], `${what}[${i}]`));
}

/** Runs the command as src/cli/main.ts does (an InputError is exit 2) and captures stdout. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; error: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  try {
    return { code: await run(argv), out, error: '' };
  } catch (e) {
    if (isInputError(e)) return { code: 2, out, error: e.message };
    throw e;
  } finally {
    spy.mockRestore();
  }
}

const files = (name: string, classifier = true): string[] => [
  '--features', join(FIX, name, 'features.npy'), '--labels', join(FIX, name, 'labels.npy'),
  ...(classifier ? ['--classifier', join(FIX, name, 'classifier.npy')] : []),
  '--lw', String(EXPECTED[name].lambdaW), '--lh', String(EXPECTED[name].lambdaH),
];

describe('check-features against an independent NumPy computation (1e-10)', () => {
  for (const name of ['optimum', 'random']) {
    it(`${name}: every metric, distance and prediction`, async () => {
      const e = EXPECTED[name];
      const r = await cli(...files(name), '--json');
      expect(r.code, r.error).toBe(0);
      const got = JSON.parse(r.out);
      expect([got.K, got.N, got.d, got.n]).toEqual([e.K, e.N, e.d, e.n]);
      close(got.nc1, e.nc1, 'nc1');
      close(got.nc2.distance, e.nc2Distance, 'nc2 distance');
      close(got.nc2.maxClassMeanCosine, e.maxClassMeanCosine, 'max class-mean cosine');
      close(got.nc3.distance, e.nc3Distance, 'nc3 distance');
      close(got.nc3.classifierGramDistance, e.classifierGramDistance, 'W Wᵀ distance');
      close(got.nc3.logitsDistance, e.logitsDistance, 'W H̄ distance');
      close(got.nc3.classifierRowSum, e.classifierRowSum, '‖Σ w_k‖');
      close(got.threshold, e.prediction.threshold, 'threshold T');
      const classes = got.classes as any[];
      closeAll(classes.map((c) => c.withinClassVariation), e.withinClassVariation, 'within-class variation');
      closeAll(classes.map((c) => c.featureNorm.measured), e.classMeanNorms, '‖h̄_k‖');
      closeAll(classes.map((c) => c.featureNorm.predicted), e.prediction.featureNorm, 'predicted ‖h̄_k‖');
      closeAll(classes.map((c) => c.classifierNorm.measured), e.classifierNorms, '‖w_k‖');
      closeAll(classes.map((c) => c.classifierNorm.predicted), e.prediction.classifierNorm, 'predicted ‖w_k‖');
      closeAll(classes.map((c) => c.alignment), e.classifierAlignment, 'cos(w_k, a_k)');
      expect(classes.map((c) => c.predictedAlive)).toEqual(e.prediction.alive);
      expect(classes.flatMap((c) => (c.measuredZeroMean ? [c.k] : []))).toEqual(e.zeroClassMeans);
    });

    it(`${name}: regrouped features give NumPy's Gram, W Wᵀ and W H̄ (via ncMetrics)`, () => {
      const e = EXPECTED[name];
      const F = readNpy(join(FIX, name, 'features.npy'));
      const y = readNpy(join(FIX, name, 'labels.npy'));
      const W = readNpy(join(FIX, name, 'classifier.npy'));
      const { H, layout } = groupByLabel({ rows: F.shape[0], cols: F.shape[1], data: F.data as Float64Array }, y.data as Int32Array);
      const m = ncMetrics(H, layout, { rows: W.shape[0], cols: W.shape[1], data: W.data as Float64Array });
      closeAll(m.classMeanGram.flat(), e.classMeanGram.flat(), 'H̄ᵀH̄');
      closeAll(m.classifierGram!.flat(), e.classifierGram.flat(), 'W Wᵀ');
      closeAll(m.classMeanLogits!.flat(), e.classMeanLogits.flat(), 'W H̄');
    });
  }

  it('the optimum fixture is near collapse and the random one is not: thresholds pass and fail', async () => {
    const limits = ['--max-nc1', '0.01', '--max-nc2', '0.05', '--max-nc3', '0.05'];
    const good = await cli(...files('optimum'), ...limits);
    expect(good.code).toBe(0);
    expect(good.out).toContain('NC1 = (1/K) tr(Σ_W Σ_B†) = 1.392e-5');
    expect(good.out).toContain('convention: NC1 = (1/K)');
    const bad = await cli(...files('random'), ...limits);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/FAILED: NC1 = 2\.042 exceeds --max-nc1 0\.01/);
    expect(bad.out).toContain('FAILED: NC2');
    expect(bad.out).toContain('FAILED: NC3');
    // Only the exceeded threshold is named.
    const one = await cli(...files('random'), '--max-nc1', '3', '--max-nc2', '0.5', '--json');
    expect(one.code).toBe(1);
    expect(JSON.parse(one.out).exceeded.map((x: { metric: string }) => x.metric)).toEqual(['nc2']);
    // No thresholds: report only, exit 0; no classifier: no NC3.
    const plain = await cli(...files('random', false));
    expect(plain.code).toBe(0);
    expect(plain.out).toContain('NC3: no classifier given');
  });
});

describe('check-features input errors (exit 2, naming the file and the rule)', () => {
  const lam = ['--lw', '0.05', '--lh', '0.05'];
  it('labels length ≠ N', async () => {
    const r = await cli('--features', join(FIX, 'optimum/features.npy'), '--labels', join(FIX, 'random/labels.npy'), ...lam);
    expect(r.code).toBe(2);
    expect(r.error).toContain('random/labels.npy: must hold one label per row');
    expect(r.error).toContain('20 labels, 36 rows');
  });
  it('a class with no samples', async () => {
    const r = await cli('--features', join(FIX, 'mislabelled/features.npy'), '--labels', join(FIX, 'mislabelled/labels.npy'), ...lam);
    expect(r.code).toBe(2);
    expect(r.error).toContain('mislabelled/labels.npy: every class 0 … K−1 (K = max label + 1 = 3) must have at least one sample (no samples of class 1)');
  });
  it('float labels, a classifier of the wrong shape, --max-nc3 without a classifier, a malformed file, bad λ', async () => {
    const opt = (p: string) => join(FIX, 'optimum', p);
    expect((await cli('--features', opt('features.npy'), '--labels', opt('features.npy'), ...lam)).error).toContain('must hold integer labels');
    expect((await cli(...files('optimum', false), '--classifier', join(FIX, 'random/classifier.npy'))).error).toContain('must be K×d = 4×8');
    expect((await cli(...files('optimum', false), '--max-nc3', '0.1')).error).toContain('--max-nc3: needs --classifier');
    expect((await cli('--features', join(FIX, 'malformed/truncated.npy'), '--labels', opt('labels.npy'), ...lam)).error).toContain('truncated');
    expect((await cli('--features', opt('features.npy'), '--labels', opt('labels.npy'), '--lw', '-1', '--lh', '1')).error).toContain('--lw: must be a finite number > 0');
    expect((await cli('--features', opt('features.npy'), '--labels', opt('labels.npy'), '--lh', '1')).error).toContain('--lw: is required');
  });
  it('a non-finite feature', async () => {
    const dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), }";
    const header = dict + ' '.repeat(64 - ((10 + dict.length + 1) % 64)) + '\n';
    const bytes = new Uint8Array(10 + header.length + 16);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
    bytes.set(new TextEncoder().encode(header), 10);
    new DataView(bytes.buffer).setFloat64(10 + header.length + 8, Number.NaN, true);
    const path = join(dir, 'nan.npy');
    writeFileSync(path, bytes);
    const r = await cli('--features', path, '--labels', join(FIX, 'formats/labels_i8.npy'), ...lam);
    expect(r.error).toContain('nan.npy: (--features) every entry must be a finite number (NaN at row 1, column 0)');
  });
});

describe('groupByLabel', () => {
  it('groups columns by class, class 0 first, keeping each class in input order', () => {
    const { H, layout } = groupByLabel(fromRows([[1, 2], [3, 4], [5, 6], [7, 8]]), Int32Array.from([1, 0, 1, 0]));
    expect(layout.sizes).toEqual([2, 2]);
    expect(toRows(H)).toEqual([[3, 7, 1, 5], [4, 8, 2, 6]]);
  });

  it('metrics do not depend on the order of the samples (fast-check, seeded)', () => {
    const F = readNpy(join(FIX, 'random/features.npy'));
    const y = readNpy(join(FIX, 'random/labels.npy')).data as Int32Array;
    const [N, d] = F.shape;
    const base = featureCheck({ features: { rows: N, cols: d, data: F.data as Float64Array }, labels: y, lambdaW: 1e-2, lambdaH: 2e-2 });
    fc.assert(
      fc.property(fc.shuffledSubarray([...Array(N).keys()], { minLength: N, maxLength: N }), (perm) => {
        const data = new Float64Array(N * d);
        perm.forEach((src, i) => data.set((F.data as Float64Array).subarray(src * d, (src + 1) * d), i * d));
        const c = featureCheck({ features: { rows: N, cols: d, data }, labels: Int32Array.from(perm, (src) => y[src]), lambdaW: 1e-2, lambdaH: 2e-2 });
        // Only the summation order within a class changes: rounding-level differences (N = 20 terms).
        close(c.nc1, base.nc1, 'nc1');
        close(c.nc2.distance, base.nc2.distance, 'nc2');
        c.classes.forEach((k, i) => close(k.withinClassVariation, base.classes[i].withinClassVariation, 'wcv'));
      }),
      { seed: 11, numRuns: 50 },
    );
  });
});
