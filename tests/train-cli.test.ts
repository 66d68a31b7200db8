import { describe, expect, it } from 'vitest';
import { configFromFlags } from '../src/cli/commands/train.ts';
import { parseFlags } from '../src/cli/args.ts';
import { isInputError } from '../src/errors.ts';

const FLAGS = {
  preset: 'string', run: 'string', epochs: 'string', hidden: 'string', 'resnet-width': 'string', n: 'string', lw: 'string', lh: 'string',
  'paper-lw': 'string', 'paper-lh': 'string', wd: 'string', lr: 'string', batch: 'string', optimizer: 'string', seed: 'string',
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
