/**
 * End-to-end tests of `ncverify predict --theory seli|mse-deep-linear|mse-bias` (src/cli/theories/seliMse.ts):
 * the real binary in a child process; --json fields must equal the theory functions bit for bit
 * (JSON.stringify prints round-tripping doubles), bad inputs exit 2 with one `error:` line.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/commands/predict.ts';
import { isInputError } from '../src/errors.ts';
import { predictMseBias, predictMseBiasDeep } from '../src/theory/mseBias.ts';
import { predictMseDeepLinear } from '../src/theory/mseDeepLinear.ts';
import { predictSeli, seliStep, stepSizes } from '../src/theory/seli.ts';
import { type CliResult, runCli } from './_helpers/cli.ts';

function predict(...args: string[]): Promise<CliResult> {
  return runCli(['predict', ...args]);
}

async function json(...args: string[]): Promise<Record<string, unknown>> {
  const r = await predict(...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe.concurrent('ncverify predict --theory seli', () => {
  it('--step 10,0.5,10 --json: Grams of the STEP sizes and the step object equal predictSeli / seliStep', async () => {
    const out = await json('--theory', 'seli', '--step', '10,0.5,10');
    const n = stepSizes(10, 0.5, 10, 1);
    const p = predictSeli({ n });
    expect(out.n).toEqual(n);
    expect(out.classifierGram).toEqual(p.classifierGram);
    expect(out.featureGram).toEqual(p.featureGram);
    expect(out.step).toEqual({ K: 10, rho: 0.5, R: 10, m: 1, ...seliStep(10, 0.5, 10) });
    const step = out.step as Record<string, number>;
    for (const key of ['wNormRatio', 'hNormRatio', 'cosWMajMaj', 'cosWMinMin', 'cosWMajMin', 'cosHMajMaj', 'cosHMinMin', 'cosHMajMin']) {
      expect(typeof step[key]).toBe('number');
    }
  });

  it('--step with a non-integer R picks the smallest minority size m with R·m integral (R = 2.5 → m = 2)', async () => {
    const out = await json('--theory', 'seli', '--step', '4,0.5,2.5');
    expect(out.n).toEqual([5, 5, 2, 2]);
    expect((out.step as { m: number }).m).toBe(2);
    expect(out.classifierGram).toEqual(predictSeli({ n: [5, 5, 2, 2] }).classifierGram);
  });

  it('--n --json equals predictSeli and has no step object; the table prints both Grams', async () => {
    const out = await json('--theory', 'seli', '--n', '10,20,40,80');
    expect(out).toEqual({ ...predictSeli({ n: [10, 20, 40, 80] }), n: [10, 20, 40, 80] });
    const r = await predict('--theory', 'seli', '--n', '10,20,40,80');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('classifierGram');
    expect(r.stdout).toContain('featureGram');
  });

  it('a single-minority STEP has null same-kind minority cosines (JSON null)', async () => {
    const out = await json('--theory', 'seli', '--step', '4,0.25,5');
    expect((out.step as { cosWMinMin: unknown }).cosWMinMin).toBeNull();
  });
});

describe.concurrent('ncverify predict --theory mse-deep-linear | mse-bias', () => {
  it('mse-deep-linear --layers 2 --json equals predictMseDeepLinear', async () => {
    const out = await json('--theory', 'mse-deep-linear', '--n', '5,20,40,80', '--lw', '1e-2', '--lh', '1e-2', '--layers', '2');
    const p = predictMseDeepLinear({ n: [5, 20, 40, 80], lambdaW: 1e-2, lambdaH: 1e-2, layers: 2 });
    expect(out).toEqual({ ...p, lambdaW: 1e-2, lambdaH: 1e-2 });
    expect((out.classes as { alive: boolean }[]).map((c) => c.alive)).toEqual([false, true, true, true]);
  });

  it('mse-deep-linear defaults to one layer (threshold N² λ_W λ_H)', async () => {
    const out = await json('--theory', 'mse-deep-linear', '--n', '3,12,20,40', '--lw', '3.6e-2', '--lh', '2.5e-2');
    expect(out.layers).toBe(1);
    expect(out.collapseThreshold).toBe(predictMseDeepLinear({ n: [3, 12, 20, 40], lambdaW: 3.6e-2, lambdaH: 2.5e-2, layers: 1 }).collapseThreshold);
  });

  it('mse-bias --json equals predictMseBias; --layers 2 equals predictMseBiasDeep and says EXPERIMENTAL in the table', async () => {
    const input = { n: [10, 20, 40, 80], lambdaW: 1e-3, lambdaH: 1e-3 };
    expect(await json('--theory', 'mse-bias', '--n', '10,20,40,80', '--lw', '1e-3', '--lh', '1e-3')).toEqual({ ...predictMseBias(input), lambdaW: 1e-3, lambdaH: 1e-3 });
    const deep = await json('--theory', 'mse-bias', '--n', '10,20,40,80', '--lw', '1e-3', '--lh', '1e-3', '--layers', '2');
    expect(deep).toEqual({ ...predictMseBiasDeep({ ...input, layers: 2 }), lambdaW: 1e-3, lambdaH: 1e-3 });
    const r = await predict('--theory', 'mse-bias', '--n', '10,20,40,80', '--lw', '1e-3', '--lh', '1e-3', '--layers', '2');
    expect(r.stdout).toContain('EXPERIMENTAL');
  });
});

describe('bad inputs: InputError naming the flag (in process); exit 2 with one error line (binary)', () => {
  const bad: [string, string, string[]][] = [
    ['seli with neither --n nor --step', '--n', ['--theory', 'seli']],
    ['seli with both --n and --step', '--n', ['--theory', 'seli', '--n', '1,2', '--step', '4,0.5,2']],
    ['seli with --lw', '--lw', ['--theory', 'seli', '--n', '1,2', '--lw', '1e-2']],
    ['seli --step with ρK not an integer', '--step', ['--theory', 'seli', '--step', '10,0.33,10']],
    ['seli --step with two parts', '--step', ['--theory', 'seli', '--step', '10,0.5']],
    ['seli --step with R < 1', '--step', ['--theory', 'seli', '--step', '4,0.5,0.5']],
    ['seli --step with a non-numeric K', '--step K', ['--theory', 'seli', '--step', 'x,0.5,2']],
    ['seli --step with an irrational-looking R', '--step R', ['--theory', 'seli', '--step', '4,0.5,1.0001234567']],
    ['mse-deep-linear without --lh', '--lh', ['--theory', 'mse-deep-linear', '--n', '3,4', '--lw', '1e-2']],
    ['mse-deep-linear --layers 0', '--layers', ['--theory', 'mse-deep-linear', '--n', '3,4', '--lw', '1e-2', '--lh', '1e-2', '--layers', '0']],
    ['mse-deep-linear --layers 1.5', '--layers', ['--theory', 'mse-deep-linear', '--n', '3,4', '--lw', '1e-2', '--lh', '1e-2', '--layers', '1.5']],
    ['mse-bias with --d', '--d', ['--theory', 'mse-bias', '--n', '3,4', '--lw', '1e-2', '--lh', '1e-2', '--d', '4']],
    ['mse-bias with --step', '--step', ['--theory', 'mse-bias', '--n', '3,4', '--lw', '1e-2', '--lh', '1e-2', '--step', '4,0.5,2']],
    ['mse-bias with K = 1', '--n', ['--theory', 'mse-bias', '--n', '3', '--lw', '1e-2', '--lh', '1e-2']],
  ];
  it.each(bad)('%s → InputError naming %s', async (_, flag, args) => {
    let caught: unknown;
    try {
      await run(args);
    } catch (e) {
      caught = e;
    }
    expect(isInputError(caught)).toBe(true);
    expect((caught as { parameter: string }).parameter).toBe(flag);
  });

  // The binary turns InputError into exit 2 and one `error:` line (src/cli/main.ts); two cases suffice.
  it.concurrent.each([bad[0], bad[9]])('binary: %s → exit 2, one line naming %s', async (_, flag, args) => {
    const r = await predict(...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(`error: ${flag}`)).toBe(true);
  });
});
