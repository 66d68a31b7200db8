import { CLAIMS } from '../index.ts';
import { registerClaims } from '../_internals/registerClaims.ts';
import { NIGHTLY_GROUPS } from './groups.ts';

/** Registers one nightly group's claims; its verify report goes to reports/nightly/<group>.json. */
export function nightlyGroup(group: string): void {
  const ids = NIGHTLY_GROUPS[group];
  if (ids === undefined) throw new Error(`unknown nightly group '${group}'`);
  const claims = ids.map((id) => {
    const claim = CLAIMS.find((c) => c.id === id);
    if (claim === undefined) throw new Error(`nightly group '${group}' names an unknown claim '${id}'`);
    return claim;
  });
  registerClaims(`nightly ${group}`, claims, `reports/nightly/${group}.json`);
}
