/**
 * A user's theory file loads from anywhere (issue: "Cannot require() ES Module … in a cycle" outside an
 * ESM package): `.ts`, `.mts` and `.js` files in a temporary folder with no package.json, default or
 * named `theory` export, each predicting what the shipped theory predicts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTheory } from '../src/runner/loadTheory.ts';
import { predictUfmPlus } from '../src/theory/ufmPlusCe.ts';

const dir = mkdtempSync(join(tmpdir(), 'ncverify-theory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const shipped = resolve('src/theory/ufmPlusCe.ts');
const instance = { n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3 };

const files: [string, string][] = [
  ['mine.ts', `import { predictUfmPlus } from ${JSON.stringify(shipped)};\nconst t: { name: string; predict: typeof predictUfmPlus } = { name: 'ts-default', predict: (i) => predictUfmPlus(i) };\nexport default t;\n`],
  ['mine.mts', `import { predictUfmPlus } from ${JSON.stringify(shipped)};\nexport const theory = { name: 'mts-named', predict: (i: Parameters<typeof predictUfmPlus>[0]) => predictUfmPlus(i) };\n`],
  ['mine.js', `import { predictUfmPlus } from ${JSON.stringify(shipped)};\nexport default { name: 'js-default', predict: (i) => predictUfmPlus(i) };\n`],
];

describe('a theory file outside the project', () => {
  it.each(files)('%s loads and predicts', async (name, source) => {
    const file = join(dir, name);
    writeFileSync(file, source);
    const theory = await loadTheory(file);
    expect(theory.name).toMatch(/^(ts-default|mts-named|js-default)$/);
    expect(theory.predict(instance)).toEqual(predictUfmPlus(instance));
  });

  it('a file without a theory export is a usage error naming --theory', async () => {
    const file = join(dir, 'empty.ts');
    writeFileSync(file, 'export const x = 1;\n');
    await expect(loadTheory(file)).rejects.toThrow(/--theory: the module must export/);
  });
});
