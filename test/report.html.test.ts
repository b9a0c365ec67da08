import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHtmlReporter } from '../src/report/html/html-reporter.js';
import { escapeHtml } from '../src/report/html/escape-html.js';
import { renderPowerChart } from '../src/report/html/power-chart.js';
import { renderHtml } from '../src/report/html/render-html.js';
import { findAll, parseXml } from './fixtures/report/mini-xml.js';
import { HOSTILE, T0, certifyFixture, hostileRun, runFixture } from './fixtures/report/runs.js';

/** Tag names that may appear in the report; anything else (script, iframe, img, link…) is a bug. */
const ALLOWED_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'main', 'footer', 'nav', 'section', 'div', 'span', 'small',
  'h1', 'h2', 'h3', 'p', 'a', 'dl', 'dt', 'dd', 'ul', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'pre',
  'details', 'summary', 'figure', 'figcaption', 'svg', 'g', 'rect', 'line', 'path', 'polyline', 'text',
]);

function tagsOf(html: string): string[] {
  return [...html.matchAll(/<\/?([A-Za-z][\w-]*)/g)].map((m) => m[1].toLowerCase());
}

function svgsOf(html: string): string[] {
  return [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
}

describe('html reporter', () => {
  it('renders a run report (snapshot)', async () => {
    await expect(renderHtml(runFixture())).toMatchFileSnapshot('./fixtures/report/run.report.html');
  });

  it('renders a certify report (snapshot)', async () => {
    await expect(renderHtml(certifyFixture())).toMatchFileSnapshot('./fixtures/report/certify.report.html');
  });

  it('is self-contained: no external URLs, imports, scripts or fonts', () => {
    for (const run of [runFixture(), certifyFixture(), hostileRun('run'), hostileRun('certify')]) {
      const html = renderHtml(run);
      expect(html).not.toMatch(/src\s*=\s*["']?\s*(https?:)?\/\//i);
      expect(html).not.toMatch(/href\s*=\s*["']?\s*(https?:)?\/\//i);
      expect(html).not.toMatch(/@import/i);
      expect(html).not.toMatch(/url\(/i);
      expect(html).not.toMatch(/@font-face/i);
      expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed/i);
      for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^#[A-Za-z0-9_-]+$/);
    }
  });

  it('has the header, requirement table, scenario table, failures and charts', () => {
    const html = renderHtml(certifyFixture());
    expect(html).toContain('<title>Charger certification report — ACME-WB-7 (serial 0042) — failed</title>');
    expect(html).toContain('<dt>Date</dt><dd>2024-06-01 12:00:00 UTC</dd>');
    expect(html).toContain('<div class="overall failed">FAILED<small>2 of 6 requirements pass</small></div>');
    expect(html).toContain('<tr id="req-PLT-FW-1" class="not-applicable">');
    expect(html).toContain('<span class="badge needs-operator">needs operator</span>');
    expect(html).toContain('<a href="#failure-1">Limit 0 suspends charging</a>');
    expect(html).toContain('id="failure-1"');
    expect(html).toContain('<span class="code">SCENARIO_ASSERT_FAILED</span>');
    expect(svgsOf(html)).toHaveLength(1);
    const run = renderHtml(runFixture());
    expect(run).toContain('<a href="#failure-3">Remote start is accepted</a>');
    expect(run).toMatch(/<div class="failure error" id="failure-3"><h3>Remote start is accepted<\/h3>.*TRANSPORT_CONNECT_FAILED/);
  });

  it('escapes hostile strings everywhere and emits only known tags', () => {
    for (const command of ['run', 'certify'] as const) {
      const html = renderHtml(hostileRun(command));
      expect(new Set(tagsOf(html)).size).toBeGreaterThan(10);
      for (const tag of tagsOf(html)) expect(ALLOWED_TAGS.has(tag), `unexpected <${tag}>`).toBe(true);
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; ]]&gt;');
      expect(html).not.toContain('<![CDATA[');
      // eslint-disable-next-line no-control-regex -- asserting control characters are absent
      expect(html).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
      expect(html).toContain('\\u001B[31mred\\u0007 \\uD800 \\uFFFE');
      expect(html).not.toMatch(/<!--|-->/);
      // the inline SVG is XML and must stay well-formed
      for (const svg of svgsOf(html)) parseXml(svg);
    }
  });

  it('escapeHtml covers the five markup characters and invalid characters', () => {
    expect(escapeHtml(`<a href='x'>"&"</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;');
    expect(escapeHtml('\u0000\uDFFF')).toBe('\\u0000\\uDFFF');
    expect(escapeHtml(HOSTILE)).not.toMatch(/[<>"']/);
  });

  it('draws power as steps between samples, the limit as a step line with gaps, status as bands with a legend', () => {
    const svg = renderPowerChart({
      title: 'demo',
      origin: T0,
      end: T0 + 10 * 60_000,
      points: [
        { clockTime: T0, connectorId: 1, powerW: 0, status: 'Preparing' },
        { clockTime: T0 + 2 * 60_000, connectorId: 1, powerW: 11_000, limitW: 11_000, status: 'Charging' },
        { clockTime: T0 + 4 * 60_000, connectorId: 1, powerW: 0, limitW: 0, status: 'SuspendedEVSE' },
        { clockTime: T0 + 6 * 60_000, connectorId: 1, powerW: 5000, status: 'Charging' },
      ],
    });
    const root = parseXml(svg);
    // 4 samples, 3 changes: each change adds the corner where the earlier value meets the new time
    const pts = findAll(root, 'polyline')[0].attrs.points.split(' ');
    expect(pts).toHaveLength(7);
    expect(pts[1].split(',')[0]).toBe(pts[2].split(',')[0]);
    expect(pts[1].split(',')[1]).toBe(pts[0].split(',')[1]);
    const d = findAll(root, 'path')[0].attrs.d;
    expect(d.match(/M/g)).toHaveLength(1);
    expect(d.match(/L/g)).toHaveLength(3);
    const bands = findAll(findAll(root, 'g').find((g) => g.attrs.class === 'bands')!, 'rect');
    expect(bands.map((b) => findAll(b, 'title')[0].text)).toEqual(['Preparing', 'Charging', 'SuspendedEVSE', 'Charging']);
    const legend = findAll(root, 'g').find((g) => g.attrs.class === 'legend')!;
    expect(findAll(legend, 'text').map((t) => t.text)).toEqual(['Power (kW)', 'Limit (kW)', 'Preparing', 'Charging', 'SuspendedEVSE']);
    const xLabels = findAll(findAll(root, 'g').find((g) => g.attrs.class === 'x-axis')!, 'text').map((t) => t.text);
    expect(xLabels).toEqual(['0', '2', '4', '6', '8', '10']);
    const yLabels = findAll(findAll(root, 'g').find((g) => g.attrs.class === 'y-axis')!, 'text').map((t) => t.text);
    expect(yLabels).toEqual(['0', '5', '10', '15']);
  });

  it('does not look up status colours on the object prototype', () => {
    const svg = renderPowerChart({ title: 't', origin: 0, end: 60_000, points: [{ clockTime: 0, connectorId: 1, powerW: 0, status: 'constructor' }] });
    expect(svg).not.toContain('function');
    expect(svg).toMatch(/fill="#[0-9a-f]{6}"/);
  });

  it('writes DIR/report.html', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cc-html-'));
    await createHtmlReporter({ outDir: dir }).onRunEnd?.(certifyFixture());
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toBe(renderHtml(certifyFixture()));
  });
});
