/**
 * XML -> a small ordered element tree, via fast-xml-parser (namespace prefixes removed, comments dropped), each
 * element with the line its start tag is on. Not well-formed XML is a `SchemaError` SCHEMA_XML with the line and
 * column fast-xml-parser's validator reports.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SchemaError } from './schema-error.ts';

export interface XmlElement {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
  /** 1-based line of the start tag. */
  readonly line: number;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

type RawNode = Record<string, unknown>;

/**
 * The line of every element start tag, in document order (the order a pre-order walk of the parsed tree meets
 * them): comments, CDATA, processing instructions, declarations and end tags are skipped.
 */
function startTagLines(xml: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let at = 0;
  const advance = (to: number): void => {
    for (let i = at; i < to; i++) if (xml.charCodeAt(i) === 10) line++;
    at = to;
  };
  for (;;) {
    const open = xml.indexOf('<', at);
    if (open < 0) break;
    advance(open);
    const skipTo = (end: string): void => {
      const close = xml.indexOf(end, open);
      advance(close < 0 ? xml.length : close + end.length);
    };
    if (xml.startsWith('<!--', open)) skipTo('-->');
    else if (xml.startsWith('<![CDATA[', open)) skipTo(']]>');
    else if (xml.startsWith('<?', open)) skipTo('?>');
    else if (xml.startsWith('<!', open) || xml.startsWith('</', open)) skipTo('>');
    else {
      lines.push(line);
      advance(open + 1);
    }
  }
  return lines;
}

function toElement(node: RawNode, lines: readonly number[], next: { index: number }): XmlElement | null {
  const tag = Object.keys(node).find((k) => k !== ':@');
  if (tag === undefined || tag === '#text' || tag.startsWith('?')) return null;
  const line = lines[next.index++] ?? 0;
  const rawAttrs = (node[':@'] ?? {}) as Record<string, unknown>;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) attrs[k] = String(v);
  const rawChildren = (node[tag] ?? []) as RawNode[];
  const children: XmlElement[] = [];
  let text = '';
  for (const child of rawChildren) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const element = toElement(child, lines, next);
      if (element !== null) children.push(element);
    }
  }
  return { tag, attrs, children, text: text.trim(), line };
}

/** Parses an XML document and returns its root element. */
export function parseXml(xml: string): XmlElement {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new SchemaError('SCHEMA_XML', `not well-formed XML: ${valid.err.msg}`, {
      line: valid.err.line,
      column: valid.err.col,
    });
  }
  const nodes = parser.parse(xml) as RawNode[];
  const lines = startTagLines(xml);
  const next = { index: 0 };
  for (const node of nodes) {
    const element = toElement(node, lines, next);
    if (element !== null) return element;
  }
  throw new SchemaError('SCHEMA_XML', 'the document has no root element', { line: 1 });
}
