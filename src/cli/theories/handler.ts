import type { ParsedFlags } from '../args.ts';

/** What a theory handler returns: the `--json` object and the human-readable text. */
export interface TheoryReport {
  readonly json: Record<string, unknown>;
  readonly text: string;
}

/** One theory of `predict --theory <name>`: a one-line summary and a function of the parsed flags. */
export interface TheoryHandler {
  /** One line for `--help`: the paper and the THEORY.md section. */
  readonly summary: string;
  /** Reads and validates its flags (InputError naming the flag), returns the report. Pure but for time. */
  predict(flags: ParsedFlags): TheoryReport | Promise<TheoryReport>;
}
