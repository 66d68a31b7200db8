import type { SolverSummary } from './verifyReport.ts';

/**
 * The optima a certificate must cover, and how many it did: the families that have a certificate,
 * inside their theorem's assumptions (deep-linear MSE has no certificate; UFM+ with d < K is only
 * recorded). Reports made before the optimum layer have no family counts: all their optima count.
 *
 * @example
 * ```ts
 * certificationOf(report.solver); // { certified: 1794, required: 1794 }
 * ```
 */
export function certificationOf(solver: SolverSummary): { certified: number; required: number } {
  if (solver.families === undefined) return { certified: solver.certified, required: solver.instances };
  let certified = 0;
  let required = 0;
  for (const c of Object.values(solver.families)) {
    if (!c.certifiable) continue;
    required += c.instances - c.outsideAssumptions;
    certified += c.certifiedInside;
  }
  return { certified, required };
}
