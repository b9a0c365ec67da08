/**
 * Making untrusted text safe to show: frames, status strings and evidence come from the peer, so
 * they may hold characters a format cannot carry (XML 1.0 forbids most C0 controls) or that a
 * terminal would obey (ESC starts an ANSI sequence). Such characters are not dropped silently but
 * shown as `\uXXXX`, so the reader still sees that they were there.
 */

function visible(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Characters outside the XML 1.0 `Char` production: C0 controls other than tab, LF and CR,
 * lone surrogates, U+FFFE and U+FFFF. The `u` flag makes a valid surrogate pair one code point.
 */
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Replaces every character XML 1.0 (and so a sane HTML document) cannot carry. */
export function showXmlForbiddenChars(text: string): string {
  return text.replace(XML_FORBIDDEN, visible);
}

/** C0 controls except tab and LF, DEL, C1 controls (CSI etc.) and lone surrogates. */
// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uD800-\uDFFF]/gu;

/** Replaces every character a terminal would interpret instead of print (ESC, CR, BEL, CSI …). */
export function showTerminalControls(text: string): string {
  return text.replace(TERMINAL_UNSAFE, visible);
}
