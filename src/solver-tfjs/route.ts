/** How a float64 solve started from a tfjs point reached its answer. */
export type WarmStartRoute = 'tfjs-warm-start' | 'tfjs-escape' | 'float64-restart';

/**
 * The route of a warm-started float64 solve: `tfjs-warm-start` (the float32 basin was the global one),
 * `tfjs-escape` (certificate-guided escapes from there), `float64-restart` (a fresh random start was needed).
 * @example
 * ```ts
 * warmStartRoute({ escapes: 0, restarts: 0 }); // 'tfjs-warm-start'
 * ```
 */
export function warmStartRoute(r: { readonly escapes: number; readonly restarts: number }): WarmStartRoute {
  return r.restarts > 0 ? 'float64-restart' : r.escapes > 0 ? 'tfjs-escape' : 'tfjs-warm-start';
}
