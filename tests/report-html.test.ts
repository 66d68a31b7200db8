import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../src/cli/commands/report.ts';
import { isInputError } from '../src/errors.ts';
import { loadChartRenderer } from '../src/reports/charts.ts';
import { renderHtml } from '../src/reports/html.ts';
import { mergeReports } from '../src/reports/merge.ts';
import { readVerifyReport, validateVerifyReport } from '../src/reports/validateReport.ts';
import type { PropertyReport, Sample, VerifyReport } from '../src/reports/verifyReport.ts';

const dir = mkdtempSync(join(tmpdir(), 'ncverify-html-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A synthetic verify report (seeded): 5 properties, one failing with an HTML-hostile message. */
function syntheticReport(seed: string): VerifyReport {
  const rng = seedrandom(seed);
  const quantities: Sample['quantity'][] = ['featureNorm', 'classifierNorm', 'margin', 'classifierCosine'];
  const samples: Sample[] = [];
  for (let i = 0; i < 300; i++) {
    const q = quantities[i % 4];
    const predicted = q === 'classifierCosine' ? -rng() : 0.1 + 3 * rng();
    samples.push({ quantity: q, predicted, measured: predicted * (1 + 1e-7 * (rng() - 0.5)) });
  }
  const landscape = Array.from({ length: 60 }, () => {
    const K = 3 + Math.floor(6 * rng());
    const d = K * (1 + Math.floor(5 * rng()));
    const escapes = rng() < 0.4 ? 1 + Math.floor(3 * rng()) : 0;
    return { K, d, imbalanceRatio: 10 ** (3 * rng()), escapes, restarts: rng() < 0.1 ? 1 : 0, certified: rng() < 0.98 };
  });
  const property = (id: string, verdict: PropertyReport['verdict'], ratio: number): PropertyReport => ({
    id, title: `Title of ${id}`, source: 'Dang et al. ICML 2024, THEORY.md §1', verdict, runs: 50,
    passes: verdict === 'fail' ? 49 : 50, failures: [], largestError: { value: ratio * 1e-6, tolerance: 1e-6, ratio },
  });
  const properties: PropertyReport[] = [
    property('class-means-orthogonal', 'pass', 0.01),
    property('classifier-norms', 'pass', 0.2),
    {
      ...property('margins', 'fail', 3.5),
      failures: [{ seed: 42, path: '17:3:0', counterexample: { n: [5, 40], lambdaW: 1e-3, lambdaH: 2e-3, d: 2 }, message: 'margin <s_k> & "gap" off by 3.5×tol' }],
    },
    property('class-mean-norm-unimodal', 'recorded', 0.1),
    { ...property('collapse-threshold', 'pass', 0), largestError: null },
  ];
  const certified = landscape.filter((l) => l.certified).length;
  return {
    tool: 'ncverify', schemaVersion: 1, theory: 'ufm-plus-ce', backend: 'cpu-float64',
    budget: { seed: 1, runsPerProperty: 50, scale: 1 },
    properties,
    solver: {
      instances: landscape.length, certified,
      escapes: landscape.reduce((s, l) => s + l.escapes, 0), restarts: landscape.reduce((s, l) => s + l.restarts, 0), landscape,
    },
    samples,
    summary: { properties: 5, passed: 4, failed: 1, instances: 250 },
    timings: { seconds: 12.3, perProperty: Object.fromEntries(properties.map((p) => [p.id, 2.4])) },
  };
}

const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);

/**
 * Checks the page is well-formed XML apart from the DOCTYPE (every element closed in order,
 * attributes quoted, no bare `&` or `<` in text); returns the element names in order.
 */
function wellFormedElements(html: string): string[] {
  const body = html.replace(/^<!DOCTYPE html>\s*/, '');
  const stack: string[] = [];
  const names: string[] = [];
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|(<)|(&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-f]+);))/gi;
  for (let m = token.exec(body); m !== null; m = token.exec(body)) {
    if (m[5] !== undefined) throw new Error(`stray '<' at ${m.index}: ${body.slice(m.index, m.index + 40)}`);
    if (m[6] !== undefined) throw new Error(`bare '&' at ${m.index}: ${body.slice(m.index, m.index + 40)}`);
    if (m[2] === undefined) continue; // a comment
    const [, close, name, , selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}> at ${m.index}`);
    } else {
      names.push(name);
      if (selfClose) continue;
      if (VOID.has(name)) throw new Error(`void element <${name}> must be written <${name}/>`);
      stack.push(name);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed elements: ${stack.join(' > ')}`);
  return names;
}

describe('renderHtml', () => {
  const report = syntheticReport('html');
  let page = '';
  beforeAll(async () => {
    expect(await loadChartRenderer(), 'vega and vega-lite must be installed for this test').not.toBeNull();
    page = await renderHtml(report);
  }, 60_000);

  it('is a well-formed, self-contained page with one <svg> per plot (4 quantities + landscape)', () => {
    const names = wellFormedElements(page);
    expect(names.filter((n) => n === 'svg')).toHaveLength(5);
    // Each plot has drawn marks: the points/bars are <path> elements inside the SVGs.
    expect(names.filter((n) => n === 'path').length).toBeGreaterThan(300);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|href="http/i);
  });

  it('shows every property with its verdict, runs and largest error against tolerance', () => {
    for (const p of report.properties) expect(page).toContain(`<b>${p.id}</b>`);
    expect(page).toContain('<span class="fail">fail</span>');
    expect(page).toContain('3.50e+0'); // the failing property's ratio
    expect(page).toContain('1.00e-6'); // its tolerance
  });

  it('gives the replay data of the failure, escaped', () => {
    expect(page).toContain('margins — seed 42, path 17:3:0');
    expect(page).toContain('npx ncverify verify --claim margins --seed 42 --path 17:3:0');
    expect(page).toContain('margin &lt;s_k&gt; &amp; &quot;gap&quot; off by 3.5×tol');
    expect(page).toContain('&quot;lambdaW&quot;: 0.001');
  });

  it('tabulates the landscape cells: instance counts add up to the solver instances', () => {
    const section = page.slice(page.indexOf('<h2>Solver landscape</h2>'));
    const rows = [...section.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td class="num">(\d+)<\/td>/g)];
    expect(rows.reduce((s, r) => s + Number(r[3]), 0)).toBe(report.solver.instances);
  });

  it('without vega (charts: null) still builds, with tables and a note instead of plots', async () => {
    const plain = await renderHtml(report, { charts: null });
    const names = wellFormedElements(plain);
    expect(names).not.toContain('svg');
    expect(plain.match(/Plot unavailable/g)).toHaveLength(5);
    expect(plain).toContain('max relative deviation');
  });

  it('is deterministic: the same report renders to the same page', async () => {
    expect(await renderHtml(report)).toBe(page);
  });
});

/** Decodes an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes) to its pixels. */
function decodePng(png: Buffer): { width: number; height: number; channels: number; pixels: Uint8Array } {
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8); // bit depth
      expect(data[12]).toBe(0); // not interlaced
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      expect(channels).toBeGreaterThan(0);
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? pixels[y * stride + x - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter];
      pixels[y * stride + x] = (v + pred) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`report-html.test.ts: SKIPPING the headless-browser test: ${CHROMIUM} is absent (apt-get install -y chromium)`);

describe('the page in a real browser', () => {
  const title = HAS_CHROMIUM
    ? 'renders in headless Chromium: the DOM holds the 5 SVGs and the plots are painted'
    : `renders in headless Chromium — SKIPPED: ${CHROMIUM} is absent (apt-get install -y chromium)`;
  it.skipIf(!HAS_CHROMIUM)(title, async () => {
    const page = join(dir, 'page.html');
    writeFileSync(page, await renderHtml(syntheticReport('browser')));
    const chromium = (...extra: string[]) =>
      spawnSync(CHROMIUM, [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', `--user-data-dir=${mkdtempSync(join(dir, 'profile-'))}`,
        ...extra, `file://${page}`,
      ], { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 << 20 });
    const dom = chromium('--dump-dom');
    expect(dom.status, dom.stderr).toBe(0);
    expect(dom.stdout.match(/<svg\b/g)).toHaveLength(5);
    expect(dom.stdout).toContain('ncverify verify report');
    // The screenshot shows the plots: Vega's default blue (#4c78a8) bars/points and orange (#f58518) bars.
    const shot = join(dir, 'shot.png');
    const s = chromium(`--screenshot=${shot}`, '--window-size=1400,4000', '--hide-scrollbars');
    expect(s.status, s.stderr).toBe(0);
    const { pixels, channels } = decodePng(readFileSync(shot));
    const count = (r: number, g: number, b: number): number => {
      let n = 0;
      for (let i = 0; i < pixels.length; i += channels) {
        if (Math.abs(pixels[i] - r) < 8 && Math.abs(pixels[i + 1] - g) < 8 && Math.abs(pixels[i + 2] - b) < 8) n++;
      }
      return n;
    };
    expect(count(0x4c, 0x78, 0xa8)).toBeGreaterThan(500);
    expect(count(0xf5, 0x85, 0x18)).toBeGreaterThan(500);
  }, 180_000);
});

describe('report merge', () => {
  /** Splits a report into shards by property, as a sharded verify run would produce them. */
  function shard(r: VerifyReport, ids: readonly string[], landscapeRows: [number, number]): VerifyReport {
    const properties = r.properties.filter((p) => ids.includes(p.id));
    const landscape = r.solver.landscape.slice(...landscapeRows);
    return {
      ...r,
      properties,
      solver: {
        instances: landscape.length, certified: landscape.filter((l) => l.certified).length,
        escapes: landscape.reduce((s, l) => s + l.escapes, 0), restarts: landscape.reduce((s, l) => s + l.restarts, 0), landscape,
      },
      summary: {
        properties: properties.length, passed: properties.filter((p) => p.verdict !== 'fail').length,
        failed: properties.filter((p) => p.verdict === 'fail').length, instances: properties.reduce((s, p) => s + p.runs, 0),
      },
      timings: { seconds: 6, perProperty: Object.fromEntries(properties.map((p) => [p.id, 2.4])) },
    };
  }
  const whole = syntheticReport('merge');
  const ids = whole.properties.map((p) => p.id);
  const a = shard(whole, ids.slice(0, 2), [0, 25]);
  const b = shard(whole, ids.slice(2), [25, 60]);

  it('gives the totals of the unsharded run', () => {
    const merged = validateVerifyReport(mergeReports([{ file: 'a', report: a }, { file: 'b', report: b }]), 'merged');
    expect(merged.summary).toEqual(whole.summary);
    expect(merged.solver).toEqual(whole.solver);
    expect(merged.properties).toEqual(whole.properties);
    expect(merged.timings.seconds).toBe(12);
  });

  it('via the CLI: writes the merged file; refuses overlapping shards and different budgets (exit 2)', async () => {
    const pa = join(dir, 'a.json');
    const pb = join(dir, 'b.json');
    const out = join(dir, 'out/merged.json');
    writeFileSync(pa, JSON.stringify(a));
    writeFileSync(pb, JSON.stringify(b));
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await run(['merge', pa, pb, '-o', out])).toBe(0);
      expect(readVerifyReport(out).summary).toEqual(whole.summary);
      const code = (argv: string[]) => run(argv).catch((e) => (isInputError(e) ? 2 : -1));
      expect(await code(['merge', pa, pa])).toBe(2);
      writeFileSync(pb, JSON.stringify({ ...b, budget: { ...b.budget, seed: 2 } }));
      expect(await code(['merge', pa, pb])).toBe(2);
      expect(await code(['html'])).toBe(2);
      expect(await code(['frobnicate'])).toBe(2);
      expect(await run(['html', pa, '-o', join(dir, 'a.html')])).toBe(0);
      expect(readFileSync(join(dir, 'a.html'), 'utf8')).toContain('<svg');
    } finally {
      spy.mockRestore();
    }
  }, 60_000);
});
