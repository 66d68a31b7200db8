import { readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import type { VerifyReport } from './verifyReport.ts';

/** A shape check: throws a {@link ShapeError} naming the JSON path at fault. */
type Check = (v: unknown, at: string) => void;

class ShapeError extends Error {
  constructor(
    readonly at: string,
    readonly rule: string,
    readonly got: string,
  ) {
    super(`${at}: ${rule}`);
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v).slice(0, 40)}`;
}

const num: Check = (v, at) => {
  if (typeof v !== 'number') {
    const hint = v === null ? ' — JSON.stringify writes NaN and ±Infinity as null' : '';
    throw new ShapeError(at, 'must be a number', `${describe(v)}${hint}`);
  }
};
const str: Check = (v, at) => {
  if (typeof v !== 'string') throw new ShapeError(at, 'must be a string', describe(v));
};
const bool: Check = (v, at) => {
  if (typeof v !== 'boolean') throw new ShapeError(at, 'must be true or false', describe(v));
};
const anything: Check = () => {};

function literal(...values: readonly (string | number)[]): Check {
  return (v, at) => {
    if (!values.includes(v as string | number)) {
      throw new ShapeError(at, `must be ${values.map((x) => JSON.stringify(x)).join(' or ')}`, describe(v));
    }
  };
}

function arrayOf(item: Check): Check {
  return (v, at) => {
    if (!Array.isArray(v)) throw new ShapeError(at, 'must be an array', describe(v));
    v.forEach((x, i) => item(x, `${at}[${i}]`));
  };
}

function nullable(check: Check): Check {
  return (v, at) => {
    if (v !== null) check(v, at);
  };
}

function recordOf(value: Check): Check {
  return (v, at) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ShapeError(at, 'must be an object', describe(v));
    for (const [k, x] of Object.entries(v)) value(x, `${at}.${k}`);
  };
}

/** An object with the given required fields (and optional ones, checked when present). */
function object(required: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  return (v, at) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ShapeError(at, 'must be an object', describe(v));
    const o = v as Record<string, unknown>;
    for (const [k, check] of Object.entries(required)) {
      if (!(k in o)) throw new ShapeError(`${at}.${k}`, 'is a required field', 'missing');
      check(o[k], `${at}.${k}`);
    }
    for (const [k, check] of Object.entries(optional)) if (o[k] !== undefined) check(o[k], `${at}.${k}`);
  };
}

const slowMetric = object({ id: str, value: num, better: literal('lower', 'higher'), tolerance: num });

/** The shape of src/reports/verifyReport.ts, field by field. */
const verifyReport: Check = object(
  {
    tool: literal('ncverify'),
    schemaVersion: literal(1),
    theory: str,
    backend: str,
    budget: object({ seed: num, runsPerProperty: num, scale: num }, { size: literal('small', 'large') }),
    properties: arrayOf(
      object({
        id: str,
        title: str,
        source: str,
        verdict: literal('pass', 'fail', 'inconclusive', 'recorded'),
        runs: num,
        passes: num,
        failures: arrayOf(object({ seed: num, path: str, counterexample: anything, message: str })),
        largestError: nullable(object({ value: num, tolerance: num, ratio: num })),
      }, { inconclusive: num, inconclusiveExamples: arrayOf(object({ input: anything, reason: str })) }),
    ),
    solver: object({
      instances: num,
      certified: num,
      escapes: num,
      restarts: num,
      landscape: arrayOf(object({ K: num, d: num, imbalanceRatio: num, escapes: num, restarts: num, certified: bool }, { family: str, route: str })),
    }, {
      families: recordOf(object({ instances: num, certified: num, outsideAssumptions: num, certifiedInside: num, certifiable: bool, escapes: num, restarts: num })),
      routes: recordOf(num),
      retried: num,
      tfjsStage: object({ instances: num, seconds: num }),
    }),
    samples: arrayOf(
      object({ quantity: literal('featureNorm', 'classifierNorm', 'margin', 'classifierCosine'), predicted: num, measured: num }),
    ),
    summary: object({ properties: num, passed: num, failed: num, instances: num }, { inconclusiveClaims: num, inconclusive: num }),
    timings: object({ seconds: num, perProperty: recordOf(num) }),
  },
  { slowSuite: object({ metrics: arrayOf(slowMetric) }), adapter: str },
);

/**
 * Checks that a parsed JSON value has the shape of a {@link VerifyReport} (every required field
 * present with the right type; the optional `slowSuite` checked when present) and returns it typed.
 * `file` names the report in the error, which also names the first field at fault.
 *
 * @example
 * ```ts
 * const report = validateVerifyReport(JSON.parse(text), 'reports/verify.json');
 * // InputError "reports/verify.json: field report.solver.certified is a required field (missing)"
 * ```
 */
export function validateVerifyReport(value: unknown, file: string): VerifyReport {
  try {
    verifyReport(value, 'report');
  } catch (e) {
    if (e instanceof ShapeError) throw new InputError(file, `is not a verify report: field ${e.at} ${e.rule}`, `got ${e.got}`);
    throw e;
  }
  return value as VerifyReport;
}

/**
 * Reads and validates a verify report (reports/verify.json). Unreadable files, invalid JSON and
 * wrong shapes are InputErrors naming the file (the CLI exits 2).
 *
 * @example
 * ```ts
 * const baseline = readVerifyReport('fixtures/gate/baseline.json');
 * ```
 */
export function readVerifyReport(path: string): VerifyReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(path, 'cannot be read', (e as NodeJS.ErrnoException).code ?? String(e));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(path, 'is not valid JSON', (e as Error).message);
  }
  return validateVerifyReport(value, path);
}
