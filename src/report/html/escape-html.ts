import { showXmlForbiddenChars } from '../control-chars.js';

/**
 * Escaping for text and attribute values in report.html (and its inline SVG, which is XML): the
 * five markup characters become entities and control characters become visible `\uXXXX`. Every
 * string that reaches the page goes through here; nothing from a charger is trusted.
 */
export function escapeHtml(text: string): string {
  return showXmlForbiddenChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A value usable in `id="…"` and `href="#…"`: letters, digits, `-` and `_` only. */
export function anchorId(prefix: string, text: string): string {
  return `${prefix}-${text.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}
