/**
 * `ncverify check-features` — NC metrics of trained (or solved) features read from NumPy files,
 * measured against the UFM+ prediction for their class sizes (src/reports/featureCheck.ts).
 */
import { InputError, isInputError } from '../../errors.ts';
import type { Dense } from '../../linalg/dense.ts';
import { type NpyArray, readNpy } from '../../io/npy.ts';
import { type FeatureCheck, featureCheck } from '../../reports/featureCheck.ts';
import { validateRegulariser } from '../../problem/validate.ts';
import { parseFlags, parseNumber, requireFlag } from '../args.ts';
import { formatNumber, formatTable } from '../format/table.ts';

const FLAGS = {
  features: 'string', labels: 'string', classifier: 'string', lw: 'string', lh: 'string',
  'max-nc1': 'string', 'max-nc2': 'string', 'max-nc3': 'string', json: 'boolean', help: 'boolean',
} as const;

const HELP = `usage: ncverify check-features --features FEATS.npy --labels LABELS.npy [--classifier W.npy]
                               --lw X --lh X [--max-nc1 X] [--max-nc2 X] [--max-nc3 X] [--json]
Measures neural collapse of features against the UFM+ closed form (THEORY.md §1, §5).
  --features F.npy    N×d float features (<f4 or <f8), ONE SAMPLE PER ROW (transpose a d×N array first)
  --labels L.npy      N integer labels 0…K−1 (K = max + 1; every class must occur)
  --classifier W.npy  optional K×d classifier (rows w_k): adds NC3 and the classifier norms
  --lw, --lh          λ_W, λ_H > 0 of the UFM objective (1/N)ΣCE + (λ_W/2)‖W‖² + (λ_H/2)‖H‖²
                      (convert a training run's weight decay to this scaling first: THEORY.md §5)
  --max-nc1 X         fail (exit 1) when NC1 > X
  --max-nc2 X         fail when the NC2 distance ‖G/‖G‖ − G*/‖G*‖‖_F > X (G = H̄ᵀH̄, G* predicted)
  --max-nc3 X         fail when the NC3 distance ‖W/‖W‖ − A/‖A‖‖_F > X (needs --classifier)
  --json              one JSON object (non-finite numbers as strings "Infinity"/"NaN")
Exit 0 when every given threshold holds, 1 when one is exceeded, 2 for usage and file errors.`;

function readFloatMatrix(path: string, flag: string): Dense {
  const a = readNpy(path);
  if (a.kind !== 'float') throw new InputError(path, `(${flag}) must hold floating-point values (<f4 or <f8)`, `dtype ${a.descr}`);
  if (a.shape.length !== 2) throw new InputError(path, `(${flag}) must be a 2-D array`, `shape (${a.shape.join(', ')})`);
  const [rows, cols] = a.shape;
  if (rows === 0 || cols === 0) throw new InputError(path, `(${flag}) must have at least one row and one column`, `shape (${a.shape.join(', ')})`);
  for (let i = 0; i < a.data.length; i++) {
    if (!Number.isFinite(a.data[i])) {
      throw new InputError(path, `(${flag}) every entry must be a finite number`, `${a.data[i]} at row ${Math.floor(i / cols)}, column ${i % cols}`);
    }
  }
  return { rows, cols, data: a.data };
}

function readLabels(path: string): Int32Array {
  const a: NpyArray = readNpy(path);
  if (a.kind !== 'int') {
    throw new InputError(path, '(--labels) must hold integer labels — convert with labels.astype(np.int64)', `dtype ${a.descr}`);
  }
  if (a.shape.length !== 1) throw new InputError(path, '(--labels) must be a 1-D array — flatten it with labels.ravel()', `shape (${a.shape.join(', ')})`);
  return a.data;
}

interface Threshold {
  readonly metric: 'nc1' | 'nc2' | 'nc3';
  readonly max: number;
}

function thresholds(flags: Record<string, string | true>): Threshold[] {
  const out: Threshold[] = [];
  for (const metric of ['nc1', 'nc2', 'nc3'] as const) {
    const v = flags[`max-${metric}`];
    if (typeof v !== 'string') continue;
    const max = parseNumber(v, `--max-${metric}`);
    if (max < 0) throw new InputError(`--max-${metric}`, 'must be ≥ 0', `got ${v}`);
    out.push({ metric, max });
  }
  if (out.some((t) => t.metric === 'nc3') && typeof flags.classifier !== 'string') {
    throw new InputError('--max-nc3', 'needs --classifier (NC3 compares the classifier with the class means)');
  }
  return out;
}

function value(check: FeatureCheck, metric: Threshold['metric']): number {
  if (metric === 'nc1') return check.nc1;
  if (metric === 'nc2') return check.nc2.distance;
  return check.nc3!.distance;
}

const f = (x: number): string => formatNumber(x, 4);

function text(check: FeatureCheck, exceeded: readonly (Threshold & { value: number })[]): string {
  const withW = check.nc3 !== undefined;
  const header = ['k', 'n_k', 'alive (pred)', 'zero mean (meas)', '‖h̄_k‖/max meas', 'pred', 'within-class var'];
  if (withW) header.push('‖w_k‖/max meas', 'pred', 'cos(w_k, a_k)');
  const rows = check.classes.map((c) => {
    const r = [String(c.k), String(c.n), c.predictedAlive ? 'yes' : 'no', c.measuredZeroMean ? 'yes' : 'no',
      f(c.featureNorm.measuredNormalised), f(c.featureNorm.predictedNormalised), f(c.withinClassVariation)];
    if (withW) r.push(f(c.classifierNorm!.measuredNormalised), f(c.classifierNorm!.predictedNormalised), f(c.alignment!));
    return r;
  });
  const lines = [
    `check-features: N = ${check.N} samples, d = ${check.d}, K = ${check.K} classes; λ_W = ${check.lambdaW}, λ_H = ${check.lambdaH}; ` +
      `UFM+ threshold T = ${f(check.threshold)} (class k alive iff n_k > T)`,
    ...check.notes.map((n) => `note: ${n}`),
    formatTable(header, rows, { align: header.map((_, j) => (j === 2 || j === 3 ? 'left' : 'right')) }),
    '',
    `NC1 = (1/K) tr(Σ_W Σ_B†) = ${f(check.nc1)}   (Σ_B† rank ${check.betweenClassRank})`,
    `NC2 distance ‖G/‖G‖ − G*/‖G*‖‖_F = ${f(check.nc2.distance)}   (G = H̄ᵀH̄, G* = predicted diag(‖h̄_k‖²); max |cos(h̄_j, h̄_k)| = ${f(check.nc2.maxClassMeanCosine)})`,
    withW
      ? `NC3 distance ‖W/‖W‖ − A/‖A‖‖_F = ${f(check.nc3!.distance)}   (A = rows K sqrt(n_k) h̄_k − Σ_m sqrt(n_m) h̄_m); ` +
        `W Wᵀ distance ${f(check.nc3!.classifierGramDistance)}, W H̄ distance ${f(check.nc3!.logitsDistance)}, ‖Σ_k w_k‖ = ${f(check.nc3!.classifierRowSum)}`
      : 'NC3: no classifier given (--classifier W.npy)',
    `convention: ${check.convention}`,
    ...exceeded.map((e) => `FAILED: ${e.metric.toUpperCase()} = ${f(e.value)} exceeds --max-${e.metric} ${e.max}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** JSON with non-finite numbers written as strings (JSON has no Infinity/NaN). */
function toJson(x: unknown): string {
  return JSON.stringify(x, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

/**
 * `ncverify check-features`: reads features, labels and an optional classifier from .npy files and
 * prints their NC metrics against the UFM+ prediction; exit 1 when a given threshold is exceeded.
 *
 * @example
 * ```ts
 * await run(['--features', 'f.npy', '--labels', 'y.npy', '--lw', '5e-3', '--lh', '5e-3', '--max-nc1', '0.1']); // 0 or 1
 * ```
 */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const lambdaW = validateRegulariser(parseNumber(requireFlag(flags, 'lw'), '--lw'), '--lw');
  const lambdaH = validateRegulariser(parseNumber(requireFlag(flags, 'lh'), '--lh'), '--lh');
  const limits = thresholds(flags);
  const featuresPath = requireFlag(flags, 'features');
  const labelsPath = requireFlag(flags, 'labels');
  const features = readFloatMatrix(featuresPath, '--features');
  const labels = readLabels(labelsPath);
  if (labels.length !== features.rows) {
    throw new InputError(labelsPath, `must hold one label per row of ${featuresPath} (features are N×d, one sample per row)`, `${labels.length} labels, ${features.rows} rows`);
  }
  const classifier = typeof flags.classifier === 'string' ? readFloatMatrix(flags.classifier, '--classifier') : undefined;
  let check: FeatureCheck;
  try {
    check = featureCheck({ features, labels, lambdaW, lambdaH, ...(classifier === undefined ? {} : { classifier }) });
  } catch (e) {
    if (isInputError(e) && e.parameter === 'labels') throw new InputError(labelsPath, e.rule, e.got);
    if (isInputError(e) && e.parameter === 'classifier') throw new InputError(String(flags.classifier), e.rule, e.got);
    throw e;
  }
  const exceeded = limits.map((t) => ({ ...t, value: value(check, t.metric) })).filter((t) => !(t.value <= t.max));
  if (flags.json) process.stdout.write(`${toJson({ ...check, thresholds: limits, exceeded, ok: exceeded.length === 0 })}\n`);
  else process.stdout.write(text(check, exceeded));
  return exceeded.length === 0 ? 0 : 1;
}
