import { formatValueBlock } from '../format-value.js';
import type { Evidence, RequirementVerdict } from '../../results/model.js';
import { requirementVerdictLabel } from '../run-summary.js';
import { anchorId, escapeHtml } from './escape-html.js';
import { foldedFrames } from './frame-table.js';

/** The certify verdict table: one row per requirement with its verdict and evidence. */

function evidenceItem(e: Evidence): string {
  const frames = e.frames ?? [];
  const origin = frames[0]?.clockTime ?? 0;
  const data = e.data !== undefined ? `<details><summary>data</summary><pre>${escapeHtml(formatValueBlock(e.data))}</pre></details>` : '';
  const mark = e.ok === false ? '<b class="ev-fail">✗ </b>' : e.ok === true ? '<span class="ev-ok">✓ </span>' : '';
  return `<li${e.ok === false ? ' class="ev-fail"' : ''}><span class="kind">${escapeHtml(e.kind)}</span><span>${mark}${escapeHtml(e.text)}</span>${data}${foldedFrames(frames, origin)}</li>`;
}

function row(r: RequirementVerdict): string {
  const evidence = r.evidence.length > 0 ? `<ul class="evidence">${r.evidence.map(evidenceItem).join('')}</ul>` : '<span class="sub">no evidence recorded</span>';
  return [
    `<tr id="${anchorId('req', r.id)}" class="${r.verdict}">`,
    `<td class="id">${escapeHtml(r.id)}</td>`,
    `<td>${escapeHtml(r.title)}</td>`,
    `<td class="sub">${escapeHtml(r.level)}</td>`,
    `<td><span class="badge ${r.verdict}">${escapeHtml(requirementVerdictLabel(r.verdict))}</span></td>`,
    `<td>${evidence}</td>`,
    '</tr>',
  ].join('');
}

export function requirementSection(requirements: readonly RequirementVerdict[]): string {
  return [
    '<section id="requirements">',
    '<h2>Requirements</h2>',
    '<p class="note">One verdict per requirement of the profile. “Not applicable” and “needs operator” are not failures; the evidence says why.</p>',
    '<table class="grid"><thead><tr><th>ID</th><th>Requirement</th><th>Level</th><th>Verdict</th><th>Evidence</th></tr></thead>',
    `<tbody>${requirements.map(row).join('')}</tbody></table>`,
    '</section>',
  ].join('\n');
}
