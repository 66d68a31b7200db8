import { InputError } from '../../errors.ts';
import { writeFileAtomic } from '../../io/atomicWrite.ts';
import { renderHtml } from '../../reports/html.ts';
import { mergeReports } from '../../reports/merge.ts';
import { readVerifyReport } from '../../reports/validateReport.ts';
import { finiteJson } from '../json.ts';

const HELP = `usage: ncverify report html reports/verify.json [-o reports/verify.html]
       ncverify report merge reports/a.json reports/b.json ... [-o reports/verify.json]
html:  one self-contained HTML page (inline SVG plots, no scripts) from a verify report;
       default output: the report's path with .html.
merge: joins the reports of a sharded verify run (the shards split the properties) into one report
       with the same summary totals as an unsharded run; default output: stdout.
Exit 0 on success, 2 for usage errors and unreadable or malformed reports.`;

/** Splits `[files…] [-o|--out PATH]` (flags anywhere). */
function filesAndOut(argv: readonly string[]): { files: string[]; out: string | undefined } {
  const files: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i];
    if (w === '-o' || w === '--out') {
      if (out !== undefined) throw new InputError(w, 'may be given only once');
      out = argv[++i];
      if (out === undefined || out === '') throw new InputError(w, 'needs a file path');
    } else if (w.startsWith('-')) {
      throw new InputError(w, 'unknown flag; this command takes -o PATH (or --out PATH)');
    } else files.push(w);
  }
  return { files, out };
}

async function html(argv: readonly string[]): Promise<number> {
  const { files, out } = filesAndOut(argv);
  if (files.length !== 1) throw new InputError('report html', 'takes exactly one verify report', `got ${files.length}`);
  const target = out ?? files[0].replace(/(\.json)?$/i, '.html');
  writeFileAtomic(target, await renderHtml(readVerifyReport(files[0])));
  process.stderr.write(`wrote ${target}\n`);
  return 0;
}

async function merge(argv: readonly string[]): Promise<number> {
  const { files, out } = filesAndOut(argv);
  if (files.length < 1) throw new InputError('report merge', 'takes one or more verify reports');
  const merged = mergeReports(files.map((file) => ({ file, report: readVerifyReport(file) })));
  const text = `${finiteJson(merged, 2)}\n`;
  if (out === undefined) process.stdout.write(text);
  else {
    writeFileAtomic(out, text);
    process.stderr.write(`wrote ${out}: ${merged.summary.properties} properties from ${files.length} reports\n`);
  }
  return 0;
}

/**
 * `ncverify report html|merge`: renders a verify report as HTML, or merges sharded verify reports.
 *
 * @example
 * ```ts
 * await run(['html', 'reports/verify.json', '-o', 'reports/verify.html']); // 0
 * await run(['merge', 'reports/a.json', 'reports/b.json', '-o', 'reports/verify.json']); // 0
 * ```
 */
export async function run(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (sub === 'html') return html(rest);
  if (sub === 'merge') return merge(rest);
  throw new InputError('report', "needs a subcommand: 'html' or 'merge'", sub === undefined ? 'none given' : `got '${sub}'`);
}
