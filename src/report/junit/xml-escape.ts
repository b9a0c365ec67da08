import { showXmlForbiddenChars } from '../control-chars.js';

/**
 * XML 1.0 escaping for JUnit files. Text (`&`, `<`, `>`) is always escaped, never wrapped in CDATA, so a `]]>` in a
 * frame cannot end anything: its `>` becomes `&gt;`. Characters XML 1.0 cannot carry at all (ESC,
 * NUL, lone surrogates…) are shown as `\uXXXX`, since even `&#1;` is not well-formed XML 1.0.
 */
export function escapeXmlText(text: string): string {
  return showXmlForbiddenChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Attribute values additionally escape both quote characters, and keep tab and line breaks as
 * character references: a parser normalises literal ones to spaces, and CI systems show `message`
 * as it comes out.
 */
export function escapeXmlAttr(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}
