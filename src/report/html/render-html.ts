import { formatDuration, formatWallDate } from '../format-time.js';
import type { RunResult } from '../../results/model.js';
import { REQUIREMENT_VERDICTS, summariseRun, type RunSummary } from '../run-summary.js';
import { chartSection } from './chart-section.js';
import { escapeHtml } from './escape-html.js';
import { failureSection } from './failure-section.js';
import { PAGE_STYLE } from './page-style.js';
import { profileSection } from './profile-section.js';
import { requirementSection } from './requirement-section.js';
import { scenarioSection } from './scenario-section.js';

/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts, no fonts, no links out)
 * with the header and overall verdict, the requirement table (certify), the scenario table, every
 * failure with its evidence frames, and the power / limit / status charts.
 */

function heading(run: RunResult): string {
  return run.command === 'certify' ? 'Charger certification report' : 'Scenario run report';
}

function overallBox(summary: RunSummary): string {
  const sub = summary.requirements
    ? `${summary.requirements.pass} of ${summary.requirements.total} requirements pass`
    : `${summary.scenarios.passed} of ${summary.scenarios.total} scenarios pass`;
  return `<div class="overall ${summary.overall}">${summary.overall.toUpperCase()}<small>${escapeHtml(sub)}</small></div>`;
}

/** certify: the device under test, the session and the listener, as the certificate names them. */
function certificateMeta(run: RunResult): [string, string][] {
  const c = run.certificate;
  if (!c) return [];
  const d = c.device;
  const out: [string, string][] = [
    ['Device', [d.vendor, d.model].filter(Boolean).join(' ') || 'unknown (no BootNotification)'],
    ['Charge point id', d.id],
  ];
  if (d.serialNumber) out.push(['Serial number', d.serialNumber]);
  if (d.firmwareVersion) out.push(['Firmware', d.firmwareVersion]);
  if (d.meterType) out.push(['Meter', [d.meterType, d.meterSerialNumber].filter(Boolean).join(' · ')]);
  if (c.sessionStart !== undefined) out.push(['Session', `${formatWallDate(c.sessionStart)} – ${formatWallDate(c.sessionEnd ?? c.sessionStart)}`]);
  const tls = [c.listener.tlsVersions.join(', '), c.listener.ciphers.join(', ')].filter(Boolean).join(' · ');
  out.push(['Listener', `${c.listener.url} (${c.listener.certificate === 'given' ? 'given certificate' : 'generated test certificate'})${tls ? ` · ${tls}` : ''}${c.listener.authForms.length ? ` · Basic auth key as ${c.listener.authForms.join(', ')}` : ''}`]);
  if (c.interrupted) out.push(['Interrupted', `${c.interrupted.reason} at ${formatWallDate(c.interrupted.at)}: what followed is not tested`]);
  return out;
}

function header(run: RunResult, summary: RunSummary): string {
  const meta: [string, string][] = [
    ['Command', `chargecheck ${run.command}`],
    ['Target', run.target],
    ...certificateMeta(run),
    ['Mode', run.mode === 'virtual' ? 'virtual (simulated clock)' : 'real time'],
    ['Date', formatWallDate(run.wallStart)],
    ['Duration', formatDuration(run.wallDurationMs)],
    ['Tool', `${run.tool.name} ${run.tool.version}`],
  ];
  return [
    '<header class="top"><div class="inner"><div>',
    '<div class="brand">chargecheck · OCPP 1.6J</div>',
    `<h1>${escapeHtml(heading(run))}</h1>`,
    `<dl class="meta">${meta.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`,
    '</div>',
    overallBox(summary),
    '</div></header>',
  ].join('\n');
}

function cards(summary: RunSummary): string {
  const items: [string, number][] = [];
  if (summary.requirements) {
    const r = summary.requirements;
    const labels = { pass: 'requirements pass', fail: 'requirements fail', 'not-applicable': 'not applicable', 'needs-operator': 'need an operator', 'not-tested': 'not tested' } as const;
    for (const v of REQUIREMENT_VERDICTS) {
      if (v === 'pass' || v === 'fail' || r[v] > 0) items.push([labels[v], r[v]]);
    }
  }
  const s = summary.scenarios;
  items.push(['scenarios passed', s.passed], ['scenarios failed', s.failed + s.error]);
  if (s.skipped > 0) items.push(['scenarios skipped', s.skipped]);
  return `<div class="cards">${items.map(([l, n]) => `<div class="card"><div class="n">${n}</div><div class="l">${escapeHtml(l)}</div></div>`).join('')}</div>`;
}

function toc(sections: readonly [string, string][]): string {
  return `<nav class="toc">${sections.map(([id, label]) => `<a href="#${id}">${escapeHtml(label)}</a>`).join('')}</nav>`;
}

export function renderHtml(run: RunResult): string {
  const summary = summariseRun(run);
  const parts: [string, string, string][] = [];
  if (run.profiles !== undefined && run.profiles.length > 0) parts.push(['profiles', 'Profiles', profileSection(run.profiles)]);
  if (run.requirements !== undefined && run.requirements.length > 0) parts.push(['requirements', run.cases ? 'Cases' : 'Requirements', requirementSection(run.requirements)]);
  if (run.scenarios.length > 0) parts.push(['scenarios', 'Scenarios', scenarioSection(run.scenarios)]);
  const failures = failureSection(run.scenarios);
  if (failures !== '') parts.push(['failures', 'Failures', failures]);
  const charts = chartSection(run.scenarios);
  if (charts !== '') parts.push(['charts', 'Power and status', charts]);
  const title = `${heading(run)} — ${run.target} — ${summary.overall}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${escapeHtml(`${run.tool.name} ${run.tool.version}`)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    header(run, summary),
    '<main>',
    toc(parts.map(([id, label]) => [id, label])),
    cards(summary),
    ...parts.map(([, , html]) => html),
    `<footer>Generated by ${escapeHtml(`${run.tool.name} ${run.tool.version}`)} on ${escapeHtml(formatWallDate(run.wallStart))}. Frame times are clock offsets from the start of their scenario or evidence; → marks frames chargecheck sent, ← frames it received.</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
