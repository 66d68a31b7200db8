import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import { InputError } from '../errors.ts';
import type { UfmPlusTheory } from '../theory/types.ts';
import { ufmPlusCe } from '../theory/ufmPlusCe.ts';

/** The theories shipped with ncverify that the UFM+ claims apply to, by name. */
export const BUILT_IN_THEORIES: Readonly<Record<string, UfmPlusTheory>> = { 'ufm-plus-ce': ufmPlusCe };

/**
 * The theory a module exports: `default` or `theory`, also through the CommonJS wrapper tsx gives a file
 * outside an ESM package (`{ default: { default: theory } }`).
 */
function exported(mod: Record<string, unknown>): Partial<UfmPlusTheory> | undefined {
  const inner = (x: unknown): Record<string, unknown> | undefined => (typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : undefined);
  for (const m of [mod, inner(mod.default)]) {
    if (m === undefined) continue;
    for (const c of [m.default, m.theory]) if (typeof inner(c)?.predict === 'function') return c as Partial<UfmPlusTheory>;
  }
  return inner(mod.default ?? mod.theory) as Partial<UfmPlusTheory> | undefined;
}

/**
 * Loads the theory to verify: a built-in name (`ufm-plus-ce`) or a module file anywhere (`.ts`, `.mts`, `.js`,
 * `.mjs`) whose default export, or export named `theory`, is a {@link UfmPlusTheory}:
 * `{ name: string, predict(instance) → UfmPlusPrediction }` (src/theory/types.ts documents every field).
 *
 * @example
 * ```ts
 * const theory = await loadTheory('./my-theory.ts');
 * theory.predict({ n: [10, 40], lambdaW: 1e-2, lambdaH: 1e-2 }).threshold;
 * ```
 */
export async function loadTheory(spec: string): Promise<UfmPlusTheory> {
  const builtIn = Object.hasOwn(BUILT_IN_THEORIES, spec) ? BUILT_IN_THEORIES[spec] : undefined; // not 'constructor'
  if (builtIn !== undefined) return builtIn;
  const path = resolve(spec);
  if (!/\.(ts|mts|js|mjs)$/.test(path)) {
    throw new InputError('--theory', `must be a built-in theory (${Object.keys(BUILT_IN_THEORIES).join(', ')}) or a .ts/.js module file`, `got '${spec}'`);
  }
  if (!existsSync(path)) throw new InputError('--theory', 'the theory file does not exist', `got '${spec}'`);
  let mod: Record<string, unknown>;
  try {
    // tsx compiles the file whatever package (if any) it sits in: a theory in ~/ or /tmp, outside an ESM
    // package, loads like one inside (native import would treat its `.ts`/`.js` as CommonJS and fail)
    mod = (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
  } catch (e) {
    throw new InputError('--theory', 'the theory module failed to load', `${spec}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const candidate = exported(mod);
  if (candidate === undefined || typeof candidate !== 'object' || typeof candidate.predict !== 'function') {
    throw new InputError('--theory', 'the module must export (default, or as `theory`) an object { name, predict(instance) } — see src/theory/types.ts', `in '${spec}'`);
  }
  return { name: typeof candidate.name === 'string' ? candidate.name : spec, predict: candidate.predict.bind(candidate) };
}
