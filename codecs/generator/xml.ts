/**
 * XML -> a small ordered element tree, via fast-xml-parser (namespace prefixes removed, comments dropped).
 */
import { XMLParser } from 'fast-xml-parser';

export interface XmlElement {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
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

function toElement(node: RawNode): XmlElement | null {
  const tag = Object.keys(node).find((k) => k !== ':@');
  if (tag === undefined || tag === '#text' || tag.startsWith('?')) return null;
  const rawAttrs = (node[':@'] ?? {}) as Record<string, unknown>;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) attrs[k] = String(v);
  const rawChildren = (node[tag] ?? []) as RawNode[];
  const children: XmlElement[] = [];
  let text = '';
  for (const child of rawChildren) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const element = toElement(child);
      if (element !== null) children.push(element);
    }
  }
  return { tag, attrs, children, text: text.trim() };
}

/** Parses an XML document and returns its root element. */
export function parseXml(xml: string): XmlElement {
  const nodes = parser.parse(xml) as RawNode[];
  for (const node of nodes) {
    const element = toElement(node);
    if (element !== null) return element;
  }
  throw new Error('XML document has no root element');
}
