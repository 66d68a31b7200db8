import { expect, test } from 'vitest';
import { readdirSync } from 'node:fs';
import { CLAIMS } from '../properties/index.ts';
import { NIGHTLY_GROUPS } from '../properties/nightly/groups.ts';

test('the nightly groups cover every claim exactly once', () => {
  const grouped = Object.values(NIGHTLY_GROUPS).flat();
  expect([...grouped].sort()).toEqual(CLAIMS.map((c) => c.id).sort());
});

test('every nightly group has its vitest file (the unit of sharding)', () => {
  const files = readdirSync('properties/nightly').filter((f) => f.endsWith('.nightly.ts'));
  expect(files.map((f) => f.replace('.nightly.ts', '')).sort()).toEqual(Object.keys(NIGHTLY_GROUPS).sort());
});
