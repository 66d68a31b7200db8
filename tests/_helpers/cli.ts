import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (where bin/ncverify.js lives). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What a CLI run printed and returned. */
export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/ncverify.js <args>` in a child process (asynchronously, so that many cases can run
 * side by side) and collects its output.
 *
 * @example
 * ```ts
 * const r = await runCli(['predict', '--n', '10,40', '--lw', '1e-2', '--lh', '1e-2', '--json']);
 * ```
 */
export function runCli(args: readonly string[], timeoutMs = 60_000, env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/ncverify.js', ...args], { cwd: ROOT, timeout: timeoutMs, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
