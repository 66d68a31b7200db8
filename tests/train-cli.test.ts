import { describe, expect, it } from 'vitest';
import { configFromFlags } from '../src/cli/commands/train.ts';
import { parseFlags } from '../src/cli/args.ts';
import { isInputError } from '../src/errors.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runCli } from './_helpers/cli.ts';

const FLAGS = {
  preset: 'string', run: 'string', epochs: 'string', hidden: 'string', 'resnet-width': 'string', n: 'string', lw: 'string', lh: 'string',
  'paper-lw': 'string', 'paper-lh': 'string', wd: 'string', lr: 'string', batch: 'string', optimizer: 'string', seed: 'string',
  subset: 'string', 'test-subset': 'string', data: 'string',
} as const;
const config = (argv: string[]) => configFromFlags(parseFlags(argv, FLAGS));

describe('ncverify train flags', () => {
  it('start from the smoke preset and override fields', () => {
    const c = config(['--epochs', '7', '--hidden', '64,32', '--lr', '0.01', '--optimizer', 'sgd']);
    expect(c.run).toBe('smoke');
    expect(c.epochs).toBe(7);
    expect(c.backbone).toEqual({ kind: 'mlp', hidden: [64, 32] });
    expect(c.optimizer).toEqual({ kind: 'sgd', lr: 0.01, momentum: 0.9 });
  });

  it('convert paper-scaled λ with the batch size and N of the run, and record the conversion', () => {
    const c = config(['--paper-lw', '1e-4', '--paper-lh', '1e-5', '--batch', '100', '--n', '10,10,10,10,10,10,10,10,10,10']);
    expect(c.lambdaW).toBeCloseTo(2e-4, 15);
    expect(c.lambdaH).toBeCloseTo((2 * 100 * 1e-5) / 100, 15);
    expect(c.lambdaConversion).toContain('B=100, N=100');
  });

  it('reject a half-given paper pair, an unknown optimizer and an unknown preset', () => {
    for (const argv of [['--paper-lw', '1e-4'], ['--optimizer', 'rmsprop'], ['--preset', 'huge']]) {
      let err: unknown;
      try {
        config(argv);
      } catch (e) {
        err = e;
      }
      expect(isInputError(err)).toBe(true);
    }
  });

  it('select ResNet18 and the nightly presets', () => {
    expect(config(['--resnet-width', '8']).backbone).toEqual({ kind: 'resnet18', width: 8 });
    expect(config(['--preset', 'nightly-resnet18']).backbone).toEqual({ kind: 'resnet18', width: 64 });
  });
});

describe('ncverify train data flags', () => {
  it('--subset names the class sizes (presets after their papers), --test-subset the test sizes; the smoke preset is Dang et al. 2023', () => {
    expect(config([]).classSizes).toEqual([100, 100, 200, 200, 300, 300, 400, 400, 500, 500]);
    expect(config([]).testClassSizes).toEqual(new Array(10).fill(200));
    expect(config(['--subset', 'dang2024']).classSizes).toEqual([1000, 1000, 2000, 2000, 3000, 3000, 4000, 4000, 5000, 5000]);
    expect(config(['--subset', 'longtail:500:10', '--test-subset', 'balanced:50']).testClassSizes).toEqual(new Array(10).fill(50));
    // the paper-λ conversion uses the subset's N
    expect(config(['--subset', 'dang2024', '--paper-lw', '1e-4', '--paper-lh', '1e-5', '--batch', '256']).lambdaConversion).toContain('N=30000');
    let err: unknown;
    try {
      config(['--subset', 'dang2023', '--n', '1,1,1,1,1,1,1,1,1,1']);
    } catch (e) {
      err = e;
    }
    expect(isInputError(err) && err.message).toContain('cannot be combined with --subset');
  });
});

describe('ncverify train without data (a child process)', () => {
  const root = mkdtempSync(join(tmpdir(), 'ncverify-train-cli-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('without data: exit 2 and one line naming where it looked and where to download, no stack trace', async () => {
    const nowhere = join(root, 'nowhere');
    const r = await runCli(['train', '--data', nowhere, '--epochs', '1', '--out', join(root, 'r2')]);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`--data ${nowhere}`);
    expect(lines[0]).toContain('https://www.cs.toronto.edu/~kriz/cifar.html');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
