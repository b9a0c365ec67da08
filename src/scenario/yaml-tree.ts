import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { SourceText } from './source.js';

/** Character offsets [start, end) of a key or value in the source text. */
export type Span = readonly [number, number];

/** Where a value sits: its own span and, for a map entry, the span of its key. */
export interface Located {
  readonly value: Span;
  readonly key?: Span;
}

export interface YamlSyntaxIssue {
  readonly code: string;
  readonly message: string;
  readonly span: Span;
}

/**
 * A parsed YAML document as plain JSON-like data plus a JSON-pointer → source span map, so any
 * validator that reports an instance path (Ajv, the step checks) can be turned into file:line:col.
 */
export interface YamlTree {
  readonly data: unknown;
  readonly spans: ReadonlyMap<string, Located>;
  readonly syntax: readonly YamlSyntaxIssue[];
}

/** Deepest flow nesting (`[[[…`, `{{{…`) a scenario may have; real ones use a handful. */
export const MAX_FLOW_DEPTH = 100;
/** Most values a document may expand to (aliases included): bounded memory for any input. */
export const MAX_VALUES = 100_000;

class TooManyValues extends Error {}

/** The first place flow nesting passes `MAX_FLOW_DEPTH` (quotes ignored: an over-estimate is fine here). */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5b || ch === 0x7b) {
      if (++depth > MAX_FLOW_DEPTH) return i;
    } else if ((ch === 0x5d || ch === 0x7d) && depth > 0) depth--;
  }
  return undefined;
}

export function parseYamlTree(source: SourceText): YamlTree {
  const deep = tooDeep(source.text);
  if (deep !== undefined) {
    // not parsed: count the lines ourselves so the error has its line:col
    source.lineCounter.addNewLine(0);
    for (let i = source.text.indexOf('\n'); i >= 0; i = source.text.indexOf('\n', i + 1)) source.lineCounter.addNewLine(i + 1);
    return { data: null, spans: new Map([['', { value: [0, 0] as Span }]]), syntax: [{ code: 'TOO_DEEP', message: `nested deeper than ${MAX_FLOW_DEPTH} levels`, span: [deep, deep + 1] }] };
  }
  const doc = parseDocument(source.text, { lineCounter: source.lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax: YamlSyntaxIssue[] = doc.errors.map((e) => ({ code: e.code, message: firstLine(e.message), span: constructStart(source.text, firstLine(e.message), [e.pos[0], e.pos[1]]) }));
  const spans = new Map<string, Located>();
  let data: unknown = null;
  try {
    data = doc.contents ? walk(doc, doc.contents, '', spans, undefined, { left: MAX_VALUES }) : null;
  } catch (err) {
    if (!(err instanceof TooManyValues)) throw err;
    return { data: null, spans: new Map([['', { value: [0, 0] as Span }]]), syntax: [...syntax, { code: 'TOO_MANY_VALUES', message: `the document expands to more than ${MAX_VALUES} values (aliases of aliases?)`, span: [0, 1] }] };
  }
  if (!doc.contents) spans.set('', { value: [0, 0] });
  return { data, spans, syntax };
}

/**
 * The parser reports an unclosed quote or flow collection where it gave up — often the end of the
 * file, an empty line. Point at where the construct starts instead: the opening quote or bracket.
 */
export function constructStart(text: string, message: string, span: Span): Span {
  const quote = /closing (["'])quote/i.exec(message)?.[1];
  if (quote) {
    const open = text.lastIndexOf(quote, Math.min(span[0], text.length - 1));
    return open >= 0 ? [open, open + 1] : span;
  }
  const close = /end with an? ([}\]])/.exec(message)?.[1];
  if (close) {
    const opener = close === '}' ? '{' : '[';
    let depth = 0;
    for (let i = Math.min(span[0], text.length) - 1; i >= 0; i--) {
      if (text[i] === close) depth++;
      else if (text[i] === opener && depth-- === 0) return [i, i + 1];
    }
  }
  return span;
}

function walk(doc: Document, node: Node, pointer: string, spans: Map<string, Located>, key: Span | undefined, budget: { left: number }): unknown {
  if (--budget.left < 0) throw new TooManyValues();
  const range = node.range ?? [0, 0, 0];
  if (isAlias(node)) {
    // `*name`: the anchored value, its inner positions at the anchor, the alias itself where used.
    const target = node.resolve(doc);
    const value = target ? walk(doc, target, pointer, spans, key, budget) : null;
    spans.set(pointer, key ? { value: [range[0], range[1]], key } : { value: [range[0], range[1]] });
    return value;
  }
  spans.set(pointer, key ? { value: [range[0], range[1]], key } : { value: [range[0], range[1]] });
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const kr = isScalar(pair.key) && pair.key.range ? pair.key.range : range;
      const keySpan: Span = [kr[0], kr[1]];
      const child = pointer + '/' + escapePointer(k);
      if (pair.value && typeof pair.value === 'object' && 'range' in pair.value) {
        out[k] = walk(doc, pair.value as Node, child, spans, keySpan, budget);
      } else {
        // `key:` with nothing after it: null, located at the key.
        out[k] = null;
        spans.set(child, { value: keySpan, key: keySpan });
      }
    }
    return out;
  }
  if (isSeq(node)) {
    return node.items.map((item, i) => {
      const child = `${pointer}/${i}`;
      if (item && typeof item === 'object' && 'range' in item) return walk(doc, item as Node, child, spans, undefined, budget);
      spans.set(child, { value: [range[0], range[0]] });
      return null;
    });
  }
  return isScalar(node) ? node.value : null;
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The span for a pointer, falling back to its nearest located ancestor. */
export function locate(tree: YamlTree, pointer: string): Located {
  let p = pointer;
  for (;;) {
    const hit = tree.spans.get(p);
    if (hit) return hit;
    if (p === '') return { value: [0, 0] };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
