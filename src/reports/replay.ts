/** What changes the case a failure replays: every setting a run was made with beyond the defaults. */
export interface ReplaySettings {
  /** `small` (default) or `large`. */
  readonly budget?: 'small' | 'large';
  /** The run multiplier (default 1): it changes the number of runs, so the path. */
  readonly scale?: number;
  /** A user theory's file (omitted for the shipped `ufm-plus-ce`). */
  readonly theory?: string;
}

/** A shell word, quoted when it holds anything but safe characters. */
function shellWord(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that replays a failure of a claim: its seed and path, and every setting that changes
 * the case (budget, run multiplier, theory file).
 *
 * @example
 * ```ts
 * replayCommand('class-means-orthogonal', { seed: 1, path: '3:0' }, { budget: 'large' });
 * // "npx ncverify verify --claim class-means-orthogonal --seed 1 --path 3:0 --budget large"
 * ```
 */
export function replayCommand(claimId: string, failure: { seed: number; path: string }, settings: ReplaySettings = {}): string {
  const words = ['npx ncverify verify --claim', claimId, '--seed', String(failure.seed)];
  if (failure.path) words.push('--path', failure.path);
  if (settings.budget !== undefined && settings.budget !== 'small') words.push('--budget', settings.budget);
  if (settings.scale !== undefined && settings.scale !== 1) words.push('--runs', String(settings.scale));
  if (settings.theory !== undefined && settings.theory !== 'ufm-plus-ce') words.push('--theory', shellWord(settings.theory));
  return words.join(' ');
}
