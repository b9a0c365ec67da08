/**
 * The report's only stylesheet, inlined into report.html: system fonts (no web fonts), no external
 * resources, readable printed (the report goes to charger manufacturers and may end up on paper).
 */
export const PAGE_STYLE = `
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --brand: #1f2a44;
  --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9;
  --error: #8250df; --error-bg: #fbefff; --skip: #59636e; --skip-bg: #eff2f5;
  --warn: #9a6700; --warn-bg: #fff8c5;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: #fff;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 1120px; margin: 0 auto; padding: 0 28px 48px; }
header.top { background: var(--brand); color: #fff; }
header.top .inner { max-width: 1120px; margin: 0 auto; padding: 28px; display: flex; gap: 24px; align-items: flex-start; justify-content: space-between; flex-wrap: wrap; }
header.top .brand { font-size: 12px; letter-spacing: .12em; text-transform: uppercase; opacity: .75; }
header.top h1 { margin: 4px 0 14px; font-size: 24px; font-weight: 600; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; font-size: 13px; }
dl.meta dt { opacity: .7; }
dl.meta dd { margin: 0; word-break: break-all; }
.overall { min-width: 180px; padding: 14px 22px; border-radius: 8px; text-align: center; font-weight: 700; font-size: 22px; letter-spacing: .06em; }
.overall small { display: block; font-size: 12px; font-weight: 500; letter-spacing: 0; opacity: .85; }
.overall.passed { background: var(--pass-bg); color: var(--pass); }
.overall.failed { background: var(--fail-bg); color: var(--fail); }
.overall.error { background: var(--error-bg); color: var(--error); }
nav.toc { margin: 18px 0 0; font-size: 13px; }
nav.toc a { color: var(--muted); margin-right: 18px; text-decoration: none; border-bottom: 1px dotted var(--line); }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 22px 0 6px; }
.card { flex: 1 1 120px; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .n { font-size: 22px; font-weight: 600; }
.card .l { color: var(--muted); font-size: 12px; }
h2 { font-size: 18px; margin: 34px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 0 0 6px; }
p.note { color: var(--muted); margin: 4px 0 12px; }
table.grid { width: 100%; border-collapse: collapse; font-size: 13px; }
table.grid th { text-align: left; font-weight: 600; color: var(--muted); background: var(--soft); border-bottom: 1px solid var(--line); padding: 7px 10px; white-space: nowrap; }
table.grid td { border-bottom: 1px solid var(--line); padding: 7px 10px; vertical-align: top; overflow-wrap: anywhere; }
table.grid td.sub { white-space: nowrap; }
table.grid td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.grid tr.failed td, table.grid tr.fail td { background: #fffafa; }
.id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; white-space: nowrap; }
.sub { color: var(--muted); font-size: 12px; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.pass, .badge.passed { background: var(--pass-bg); color: var(--pass); }
.badge.fail, .badge.failed { background: var(--fail-bg); color: var(--fail); }
.badge.error { background: var(--error-bg); color: var(--error); }
.badge.skipped, .badge.not-applicable, .badge.not-tested { background: var(--skip-bg); color: var(--skip); }
.badge.needs-operator { background: var(--warn-bg); color: var(--warn); }
ul.evidence { margin: 0; padding: 0; list-style: none; }
ul.evidence li { display: grid; grid-template-columns: 96px minmax(0, 1fr); column-gap: 8px; }
ul.evidence li + li { margin-top: 4px; }
ul.evidence li > details { grid-column: 2; }
.kind { display: inline-block; min-width: 84px; color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .04em; }
ul.evidence .kind { min-width: 0; padding-top: 1px; }
ul.evidence .ev-fail { color: #b3261e; }
ul.evidence .ev-ok { color: #1b7f3b; }
details { margin-top: 4px; }
summary { cursor: pointer; color: var(--muted); font-size: 12px; }
pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
pre { margin: 0; white-space: pre-wrap; word-break: break-all; }
.failure { border: 1px solid var(--line); border-left: 4px solid var(--fail); border-radius: 6px; padding: 14px 16px; margin: 14px 0; page-break-inside: avoid; }
.failure.error { border-left-color: var(--error); }
.failure .code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 600; color: var(--fail); }
.diff { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; margin: 10px 0; }
.diff > div { border-radius: 6px; padding: 8px 10px; background: var(--soft); min-width: 0; }
.diff .label { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin-bottom: 4px; }
.diff .expected { border-left: 3px solid var(--pass); }
.diff .actual { border-left: 3px solid var(--fail); }
table.frames { width: 100%; border-collapse: collapse; margin-top: 8px; }
table.frames td { padding: 4px 8px; border-top: 1px solid var(--line); vertical-align: top; }
table.frames td.dir { width: 1%; white-space: nowrap; font-weight: 700; }
table.frames td.dir.out { color: #0969da; }
table.frames td.dir.in { color: #8250df; }
table.frames td.t { width: 1%; white-space: nowrap; color: var(--muted); font-variant-numeric: tabular-nums; }
figure.chart { margin: 18px 0 26px; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px 6px; page-break-inside: avoid; }
figure.chart figcaption { font-weight: 600; margin-bottom: 6px; }
figure.chart figcaption .sub { font-weight: 400; margin-left: 8px; }
svg.chart { width: 100%; height: auto; display: block; font-family: inherit; }
svg.chart .grid { stroke: #e6eaef; }
svg.chart .axis { stroke: #8c959f; }
svg.chart .tick, svg.chart .legend text { fill: var(--muted); }
svg.chart .axis-label { fill: var(--muted); font-size: 11px; }
footer { color: var(--muted); font-size: 12px; margin-top: 40px; border-top: 1px solid var(--line); padding-top: 10px; }
@media print {
  header.top { background: #fff; color: var(--ink); border-bottom: 2px solid var(--brand); }
  nav.toc, summary { display: none; }
  details > * { display: block; }
  main { padding: 0; }
}
`;
