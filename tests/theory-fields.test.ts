/**
 * Every field of the theory interface (src/theory/types.ts) is read by some claim that runs under
 * `verify --theory`: a field no claim reads could be wrong without any claim failing. Each claim is run
 * on a few of its generated inputs against the shipped theory wrapped in a proxy that records which
 * fields of the prediction (and of each class) the claim reads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UFM_PLUS_CLAIMS } from '../properties/index.ts';
import { claimContext } from '../src/runner/suite.ts';
import type { ClassPrediction, UfmPlusPrediction, UfmPlusTheory } from '../src/theory/types.ts';
import { ufmPlusCe } from '../src/theory/ufmPlusCe.ts';

/** Every field of a prediction, and of a class prediction: a field added to the interface must be added here (the type says so). */
const PREDICTION_FIELDS = {
  theory: true, K: true, N: true, lambdaW: true, lambdaH: true, threshold: true, completeCollapse: true, objective: true,
  classes: true, classifierGram: true, featureGram: true, alignment: true,
} satisfies Record<keyof UfmPlusPrediction, true>;
const CLASS_FIELDS = { n: true, alive: true, c: true, margin: true, featureNorm: true, b: true, classifierNorm: true } satisfies Record<keyof ClassPrediction, true>;

/** The fields `claim` reads on 12 of its inputs. */
function fieldsRead(claim: (typeof UFM_PLUS_CLAIMS)[number]): Set<string> {
  const seen = new Set<string>();
  const spy = <T extends object>(o: T, prefix: string): T =>
    new Proxy(o, {
      get(target, key, receiver) {
        if (typeof key === 'string') seen.add(prefix + key);
        const v = Reflect.get(target, key, receiver) as unknown;
        return key === 'classes' && Array.isArray(v) ? v.map((c: ClassPrediction) => spy(c, 'classes[].')) : v;
      },
    });
  const theory: UfmPlusTheory = { name: 'spy', predict: (i) => spy(ufmPlusCe.predict(i), '') };
  const ctx = claimContext(theory);
  for (const input of fc.sample(claim.arbitrary('small'), { seed: 7, numRuns: 12 })) claim.check(input, ctx);
  return seen;
}

describe('the theory interface', () => {
  const claims = UFM_PLUS_CLAIMS.filter((c) => c.usesTheory);
  const read = new Map(claims.map((c) => [c.id, fieldsRead(c)]));
  const readers = (field: string): string[] => [...read].filter(([, s]) => s.has(field)).map(([id]) => id);
  const fields = [...Object.keys(PREDICTION_FIELDS), ...Object.keys(CLASS_FIELDS).map((f) => `classes[].${f}`)];

  it.each(fields)('%s is read by a claim that runs under --theory', (field) => {
    expect(readers(field), `no claim reads ${field}`).not.toEqual([]);
  });

  it('prints which claims read which field (the table of docs/resolution.md)', () => {
    const table = fields.map((f) => `${f}: ${readers(f).join(', ')}`).join('\n');
    process.stdout.write(`\nfields read per claim:\n${table}\n`);
    expect(table.length).toBeGreaterThan(0);
  });
});
