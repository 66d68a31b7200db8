/**
 * `ncverify predict` — the closed-form prediction of a theory for given class sizes and
 * regularisers, as a table (default) or one JSON object (`--json`). The theories are the handlers of
 * src/cli/theories (name → handler).
 */
import { InputError } from '../../errors.ts';
import { type FlagSpec, type ParsedFlags, parseFlags } from '../args.ts';
import { finiteJson } from '../json.ts';
import { DEFAULT_THEORY, THEORIES } from '../theories/index.ts';

/** The flags `predict` accepts (shared by every theory; a theory reads the ones it needs). */
export const FLAGS: FlagSpec = {
  n: 'string', lw: 'string', lh: 'string', d: 'string', theory: 'string', json: 'boolean', help: 'boolean',
  step: 'string', layers: 'string',
};


function usage(): string {
  return [
    'usage: ncverify predict --n 10,10,40,40 --lw 5e-3 --lh 5e-3 [--d 8] [--theory ufm-plus-ce] [--json]',
    '',
    'flags:',
    '  --n N1,N2,...   class sizes n_k (positive integers, K ≥ 2)',
    '  --lw X          λ_W > 0, weight decay on the classifier W',
    '  --lh X          λ_H > 0, weight decay on the features H',
    '  --d D           feature dimension (integer ≥ K) of the explicit optimum that is certified; default K',
    '  --step K,rho,R  seli only, instead of --n: (R, ρ)-STEP sizes, ρK minorities of size m, the rest R·m',
    '  --layers M      mse-deep-linear, mse-bias: number of weight matrices (default 1)',
    `  --theory NAME   which theory (default ${DEFAULT_THEORY}):`,
    ...Object.entries(THEORIES).map(([name, t]) => `                    ${name}: ${t.summary}`),
    '  --json          print one JSON object (doubles in full precision) instead of a table',
    '  --help          print this help',
    '',
    'exit codes: 0 success, 2 usage error',
  ].join('\n');
}

/**
 * Runs `ncverify predict`. Returns the exit code (0; usage errors throw InputError → exit 2).
 *
 * @example
 * ```ts
 * await run(['--n', '10,10,40,40', '--lw', '5e-3', '--lh', '5e-3', '--json']); // prints one JSON object
 * ```
 */
export async function run(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const flags = parseFlags(argv, FLAGS);
  const name = typeof flags.theory === 'string' ? flags.theory : DEFAULT_THEORY;
  const handler = Object.hasOwn(THEORIES, name) ? THEORIES[name] : undefined;
  if (handler === undefined) {
    throw new InputError('--theory', `must be one of ${Object.keys(THEORIES).join(', ')}`, `got '${name}'`);
  }
  refuseAbsurdClassCount(flags);
  const report = await handler.predict(flags);
  process.stdout.write(flags.json === true ? `${finiteJson(report.json)}\n` : `${report.text}\n`);
  return 0;
}

/**
 * The most classes `predict` takes (any theory): the output holds K×K Gram matrices (K = 1000:
 * ≈ 25 MB of JSON) and the ufm-plus-ce certificate costs about a minute of CPU at K = 1000.
 */
export const MAX_PREDICT_CLASSES = 1000;

/** Refuses K > {@link MAX_PREDICT_CLASSES} (from --n, or the K of seli's --step) before any work. */
function refuseAbsurdClassCount(flags: ParsedFlags): void {
  const fromN = typeof flags.n === 'string';
  const K = fromN ? (flags.n as string).split(',').length : typeof flags.step === 'string' ? Number(flags.step.split(',')[0]) : 0;
  if (K > MAX_PREDICT_CLASSES) {
    throw new InputError(fromN ? '--n' : '--step', `at most K = ${MAX_PREDICT_CLASSES} classes (the output holds K×K Gram matrices)`, `got K = ${K}`);
  }
}

