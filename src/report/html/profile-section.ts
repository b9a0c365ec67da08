import type { ProfileSummary } from '../../results/model.js';
import { escapeHtml } from './escape-html.js';

/** certify --profile ocpp16: one row per feature profile with its case verdict counts. */
export function profileSection(profiles: readonly ProfileSummary[]): string {
  const cell = (n: number, verdict: string) => `<td class="num">${n > 0 ? `<span class="badge ${verdict}">${n}</span>` : '0'}</td>`;
  const rows = profiles.map((p) =>
    [
      `<tr class="${p.fail > 0 ? 'fail' : p.pass === p.total - p.notApplicable && p.pass > 0 ? 'pass' : ''}">`,
      `<td>${escapeHtml(p.profile)}</td>`,
      `<td class="num">${p.total}</td>`,
      cell(p.pass, 'pass'),
      cell(p.fail, 'fail'),
      cell(p.notApplicable, 'not-applicable'),
      cell(p.needsOperator, 'needs-operator'),
      cell(p.notTested, 'not-tested'),
      '</tr>',
    ].join(''),
  );
  return [
    '<section id="profiles">',
    '<h2>Profiles</h2>',
    '<p class="note">The official OCPP 1.6 charge-point test cases by feature profile; each case’s verdict and evidence is in the table below.</p>',
    '<table class="grid"><thead><tr><th>Profile</th><th>Cases</th><th>Pass</th><th>Fail</th><th>Not applicable</th><th>Needs operator</th><th>Not tested</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody></table>`,
    '</section>',
  ].join('\n');
}
