/**
 * The layout shows the pipeline (README "Layout"): no import cycle among src/ and properties/, src/
 * never imports properties/ by relative path (the claim registry is the package import `#claims`), the
 * solver and the optimum layer know no theorem, and theory is pure (no I/O, no solver).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** file → the files it imports (relative specifiers resolved; `#claims` → properties/index.ts). */
function importGraph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of [...tsFiles('src'), ...tsFiles('properties')]) {
    const specs = [...readFileSync(f, 'utf8').matchAll(/^(?:import|export)[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
    g.set(normalize(f), specs.flatMap((s) => (s === '#claims' ? ['properties/index.ts'] : s.startsWith('.') ? [normalize(join(dirname(f), s))] : [])));
  }
  return g;
}

function cycles(g: Map<string, string[]>): string[][] {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (n: string): void => {
    state.set(n, 1);
    stack.push(n);
    for (const m of g.get(n) ?? []) {
      if (state.get(m) === 1) found.push([...stack.slice(stack.indexOf(m)), m]);
      else if (state.get(m) === undefined) visit(m);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of g.keys()) if (state.get(n) === undefined) visit(n);
  return found;
}

describe('the layout', () => {
  const g = importGraph();

  it('has no import cycle', () => {
    expect(cycles(g).map((c) => c.join(' → '))).toEqual([]);
  });

  it('src/ imports properties/ by no relative path', () => {
    const bad = [...g.keys()].filter((f) => f.startsWith('src')).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/from\s+'(\.[^']*properties\/[^']*)'/g)].map((m) => `${f}: ${m[1]}`));
    expect(bad).toEqual([]);
  });

  it('the solver and the optimum layer import no theory; the theory imports no solver, optimum layer or I/O', () => {
    const reaches = (prefix: string, target: RegExp): string[] =>
      [...g].filter(([f]) => f.startsWith(prefix)).flatMap(([f, ds]) => ds.filter((d) => target.test(d)).map((d) => `${f} → ${d}`));
    expect(reaches('src/solver', /^src\/theory\//)).toEqual([]);
    expect(reaches('src/optima', /^src\/theory\//)).toEqual([]);
    expect(reaches('src/theory', /^src\/(solver|optima|io|runner|cli)\//)).toEqual([]);
  });
});
