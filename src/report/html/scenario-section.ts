import { formatDuration } from '../format-time.js';
import type { ScenarioResult } from '../../results/model.js';
import { stepCounts } from '../run-summary.js';
import { escapeHtml } from './escape-html.js';

/** The scenario table: what ran, on which charger, how many steps passed, verdict and durations. */

function row(s: ScenarioResult, index: number): string {
  const steps = stepCounts(s);
  const failed = s.status === 'failed' || s.status === 'error';
  const name = failed ? `<a href="#failure-${index}">${escapeHtml(s.name)}</a>` : escapeHtml(s.name);
  const reqs = s.requirements.map((r) => `<span class="id">${escapeHtml(r)}</span>`).join(' ');
  return [
    `<tr class="${s.status}">`,
    `<td class="num">${index + 1}</td>`,
    `<td>${name}<div class="sub">${escapeHtml(s.file)} · ${escapeHtml(s.role === 'csms' ? 'we play the platform' : 'we play the charger')}</div></td>`,
    `<td class="id">${escapeHtml(s.chargePointId)}</td>`,
    `<td>${reqs}</td>`,
    `<td class="num">${steps.passed}/${steps.total}</td>`,
    `<td><span class="badge ${s.status}">${s.status}</span></td>`,
    `<td class="num">${escapeHtml(formatDuration(s.wallDurationMs))}</td>`,
    `<td class="num">${escapeHtml(formatDuration(s.clockEnd - s.clockStart))}</td>`,
    '</tr>',
  ].join('');
}

export function scenarioSection(scenarios: readonly ScenarioResult[]): string {
  return [
    '<section id="scenarios">',
    '<h2>Scenarios</h2>',
    '<p class="note">Duration is wall time; clock is the time the scenario covered on the run’s clock (virtual runs compress it).</p>',
    '<table class="grid"><thead><tr><th>#</th><th>Scenario</th><th>Charger</th><th>Requirements</th><th>Steps</th><th>Verdict</th><th>Duration</th><th>Clock</th></tr></thead>',
    `<tbody>${scenarios.map(row).join('')}</tbody></table>`,
    '</section>',
  ].join('\n');
}
