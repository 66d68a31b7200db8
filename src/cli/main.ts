import { isInputError } from '../errors.ts';

/** A CLI command: takes its own argv (after the command name) and returns the exit code. */
export type Command = (argv: readonly string[]) => Promise<number>;

/** The commands, loaded lazily so that one command's dependencies never slow another's start. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: Command }> }> = {
  predict: { summary: 'closed-form prediction of a theory for given n, λ_W, λ_H', load: () => import('./commands/predict.ts') },
  solve: { summary: 'certified numerical optimum of the UFM / UFM+ problem', load: () => import('./commands/solve.ts') },
  verify: { summary: 'run the theorem properties and write reports/verify.json', load: () => import('./commands/verify.ts') },
  power: { summary: 'the suite\'s resolution: smallest perturbation of each predicted quantity each claim detects', load: () => import('./commands/power.ts') },
  'check-features': { summary: 'NC metrics of .npy features from any backbone against the UFM+ prediction', load: () => import('./commands/checkFeatures.ts') },
  gate: { summary: 'CI gate: compare a verify report with a baseline (exit 1 on regression)', load: () => import('./commands/gate.ts') },
  train: { summary: 'train a backbone on CIFAR-10 and measure NC every epoch (the slow suite)', load: () => import('./commands/train.ts') },
  report: { summary: 'report html REPORT.json | report merge SHARD.json… (sharded runs)', load: () => import('./commands/report.ts') },
};

const USAGE = [
  'usage: ncverify <command> [flags]',
  '',
  'commands:',
  ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(16)}${c.summary}`),
  '',
  'Run `ncverify <command> --help` for a command\'s flags.',
].join('\n');

/** A message on one line: control characters (a newline in a file name or a flag value) escaped. */
function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/**
 * Runs the CLI. Exit codes: 0 success, 1 a check failed (or a solve ran out of budget),
 * 2 a usage error (one line on stderr naming the parameter and the rule, no stack trace).
 *
 * @example
 * ```ts
 * process.exitCode = await main(['predict', '--n', '10,10,40,40', '--lw', '5e-3', '--lh', '5e-3']);
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined; // not 'constructor', 'hasOwnProperty'
  if (entry === undefined) {
    process.stderr.write(`error: ${oneLine(`${JSON.stringify(name)}: unknown command; commands are ${Object.keys(COMMANDS).join(', ')}`)}\n`);
    return 2;
  }
  try {
    const { run } = await entry.load();
    return await run(rest);
  } catch (e) {
    if (isInputError(e)) {
      process.stderr.write(`error: ${oneLine(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}
