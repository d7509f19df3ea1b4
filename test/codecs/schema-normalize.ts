/**
 * Normalizes an SBE 1.0 message schema (XML text) into a flat semantic form, so two schemas written
 * in different layouts and words can be compared for wire identity. Independent of the project's
 * generator on purpose: it parses with fast-xml-parser and resolves sizes and offsets itself.
 *
 * The form is a map from entity path to that entity's attributes, every value a canonical string:
 *
 *   schema                                          package, id, version, semanticVersion, byteOrder, headerType
 *   composite varAsciiEncoding                      kind, size, members, ...
 *   composite varAsciiEncoding / type length        index, offset, size, primitiveType, length, presence, maxValue, ...
 *   enum RecordingState / validValue DELETED        value, sinceVersion
 *   set Flags / choice a                            bit
 *   message ReplayRequest                           id, blockLength (explicit or computed), sinceVersion
 *   message ReplayRequest / field replayToken       index, id, type, offset (explicit or computed), size, presence, ...
 *   message X / group g / field f                   (groups recurse)
 *
 * Descriptions, comments, formatting and the order of messages and types are ignored. Defaults are
 * applied (presence required, length 1, sinceVersion 0, byteOrder littleEndian), so writing a default
 * out or leaving it implicit compares equal. Integers are compared by value ("08" equals "8").
 */
import { XMLParser } from 'fast-xml-parser';

export type Entity = ReadonlyMap<string, string>;
export type NormalizedSchema = ReadonlyMap<string, Entity>;

interface XmlElement {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
}

const PRIMITIVE_SIZES: Readonly<Record<string, number>> = {
  char: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float: 4,
  double: 8,
};

/** Attributes that never affect the wire or the generated API's meaning. */
const IGNORED_ATTRIBUTES = new Set(['description', 'semanticType']);

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function toElements(nodes: unknown): XmlElement[] {
  if (!Array.isArray(nodes)) return [];
  const out: XmlElement[] = [];
  for (const node of nodes as unknown[]) {
    if (typeof node !== 'object' || node === null) continue;
    const record = node as Record<string, unknown>;
    const tag = Object.keys(record).find((k) => k !== ':@' && k !== '#text');
    if (tag === undefined) continue;
    const rawAttrs = (record[':@'] ?? {}) as Record<string, unknown>;
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(rawAttrs)) attrs[k] = String(v).trim();
    const childNodes = record[tag];
    let text = '';
    if (Array.isArray(childNodes)) {
      for (const c of childNodes as unknown[]) {
        if (typeof c === 'object' && c !== null && '#text' in c)
          text += String((c as Record<string, unknown>)['#text']);
      }
    }
    out.push({ tag, attrs, children: toElements(childNodes), text: text.trim() });
  }
  return out;
}

/** Canonical form of a value: integers by value, everything else trimmed. */
function canon(value: string): string {
  const v = value.trim();
  return /^[+-]?\d+$/.test(v) ? BigInt(v).toString() : v;
}

class Builder {
  readonly entities = new Map<string, Map<string, string>>();

  add(path: string, attrs: Record<string, string | number | undefined>): void {
    if (this.entities.has(path)) throw new Error(`schema declares ${path} twice`);
    const entity = new Map<string, string>();
    for (const [k, v] of Object.entries(attrs)) {
      if (v !== undefined) entity.set(k, canon(String(v)));
    }
    this.entities.set(path, entity);
  }
}

/** Attributes of an element not otherwise interpreted, minus the ignored ones: so nothing slips through unseen. */
function extraAttrs(el: XmlElement, handled: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(el.attrs)) {
    if (!handled.includes(k) && !IGNORED_ATTRIBUTES.has(k)) out[`attr:${k}`] = v;
  }
  return out;
}

function requireAttr(el: XmlElement, name: string, where: string): string {
  const v = el.attrs[name];
  if (v === undefined) throw new Error(`${where}: <${el.tag}> has no ${name}`);
  return v;
}

class SchemaNormalizer {
  private readonly types = new Map<string, XmlElement>();
  private readonly out = new Builder();

  constructor(private readonly root: XmlElement) {
    for (const block of root.children) {
      if (block.tag !== 'types') continue;
      for (const t of block.children) this.types.set(requireAttr(t, 'name', 'types'), t);
    }
  }

  run(): NormalizedSchema {
    const r = this.root;
    this.out.add('schema', {
      package: r.attrs.package,
      id: r.attrs.id,
      version: r.attrs.version ?? '0',
      semanticVersion: r.attrs.semanticVersion,
      byteOrder: r.attrs.byteOrder ?? 'littleEndian',
      headerType: r.attrs.headerType ?? 'messageHeader',
      ...extraAttrs(r, ['package', 'id', 'version', 'semanticVersion', 'byteOrder', 'headerType']),
    });
    for (const t of this.types.values()) this.typeEntity(`${t.tag} ${requireAttr(t, 'name', 'types')}`, t, undefined);
    for (const m of r.children) {
      if (m.tag !== 'message') continue;
      const path = `message ${requireAttr(m, 'name', 'message')}`;
      const computed = this.body(path, m.children);
      this.out.add(path, {
        id: m.attrs.id,
        blockLength: m.attrs.blockLength ?? computed,
        sinceVersion: m.attrs.sinceVersion ?? '0',
        deprecated: m.attrs.deprecated,
        ...extraAttrs(m, ['name', 'id', 'blockLength', 'sinceVersion', 'deprecated']),
      });
    }
    return this.out.entities;
  }

  /** Size in bytes of a named type (primitive or declared) when used as a field. */
  private sizeOf(typeName: string, where: string): number {
    const primitive = PRIMITIVE_SIZES[typeName];
    if (primitive !== undefined) return primitive;
    const t = this.types.get(typeName);
    if (t === undefined) throw new Error(`${where}: unknown type ${typeName}`);
    return this.sizeOfElement(t, where);
  }

  private sizeOfElement(t: XmlElement, where: string): number {
    switch (t.tag) {
      case 'type': {
        if (t.attrs.presence === 'constant') return 0;
        const primitive = PRIMITIVE_SIZES[requireAttr(t, 'primitiveType', where)];
        if (primitive === undefined) throw new Error(`${where}: bad primitiveType ${t.attrs.primitiveType}`);
        return primitive * Number(t.attrs.length ?? '1');
      }
      case 'enum':
      case 'set':
        return this.sizeOf(requireAttr(t, 'encodingType', where), where);
      case 'composite': {
        let offset = 0;
        for (const member of t.children) {
          if (member.attrs.offset !== undefined) offset = Number(member.attrs.offset);
          offset += this.memberSize(member, where);
        }
        return offset;
      }
      case 'ref':
        return this.sizeOf(requireAttr(t, 'type', where), where);
      default:
        throw new Error(`${where}: unexpected <${t.tag}>`);
    }
  }

  private memberSize(member: XmlElement, where: string): number {
    return this.sizeOfElement(member, `${where} / ${member.attrs.name ?? member.tag}`);
  }

  /** Emits a type (top level, or a composite member at `offset`) and everything inside it. */
  private typeEntity(path: string, t: XmlElement, member: { index: number; offset: number } | undefined): void {
    const placement = member === undefined ? {} : { index: member.index, offset: member.offset };
    const common = {
      kind: t.tag,
      ...placement,
      size: this.sizeOfElement(t, path),
      sinceVersion: t.attrs.sinceVersion ?? '0',
      deprecated: t.attrs.deprecated,
    };
    switch (t.tag) {
      case 'type': {
        const primitiveType = t.attrs.primitiveType;
        const presence = t.attrs.presence ?? 'required';
        this.out.add(path, {
          ...common,
          primitiveType,
          length: t.attrs.length ?? '1',
          presence,
          nullValue: t.attrs.nullValue,
          minValue: t.attrs.minValue,
          maxValue: t.attrs.maxValue,
          characterEncoding: t.attrs.characterEncoding ?? (primitiveType === 'char' ? 'US-ASCII' : undefined),
          valueRef: t.attrs.valueRef,
          constantValue: presence === 'constant' ? t.text : undefined,
          ...extraAttrs(t, [
            'name',
            'primitiveType',
            'length',
            'presence',
            'nullValue',
            'minValue',
            'maxValue',
            'characterEncoding',
            'valueRef',
            'offset',
            'sinceVersion',
            'deprecated',
          ]),
        });
        return;
      }
      case 'ref':
        this.out.add(path, {
          ...common,
          type: t.attrs.type,
          ...extraAttrs(t, ['name', 'type', 'offset', 'sinceVersion', 'deprecated']),
        });
        return;
      case 'composite': {
        this.out.add(path, {
          ...common,
          members: t.children.length,
          ...extraAttrs(t, ['name', 'offset', 'sinceVersion', 'deprecated']),
        });
        let offset = 0;
        t.children.forEach((m, index) => {
          if (m.attrs.offset !== undefined) offset = Number(m.attrs.offset);
          this.typeEntity(`${path} / ${m.tag} ${requireAttr(m, 'name', path)}`, m, { index, offset });
          offset += this.memberSize(m, path);
        });
        return;
      }
      case 'enum':
        this.out.add(path, {
          ...common,
          encodingType: t.attrs.encodingType,
          values: t.children.length,
          ...extraAttrs(t, ['name', 'encodingType', 'offset', 'sinceVersion', 'deprecated']),
        });
        for (const v of t.children) {
          this.out.add(`${path} / validValue ${requireAttr(v, 'name', path)}`, {
            value: v.text,
            sinceVersion: v.attrs.sinceVersion ?? '0',
            deprecated: v.attrs.deprecated,
            ...extraAttrs(v, ['name', 'sinceVersion', 'deprecated']),
          });
        }
        return;
      case 'set':
        this.out.add(path, {
          ...common,
          encodingType: t.attrs.encodingType,
          choices: t.children.length,
          ...extraAttrs(t, ['name', 'encodingType', 'offset', 'sinceVersion', 'deprecated']),
        });
        for (const c of t.children) {
          this.out.add(`${path} / choice ${requireAttr(c, 'name', path)}`, {
            bit: c.text,
            sinceVersion: c.attrs.sinceVersion ?? '0',
            deprecated: c.attrs.deprecated,
            ...extraAttrs(c, ['name', 'sinceVersion', 'deprecated']),
          });
        }
        return;
      default:
        throw new Error(`${path}: unexpected <${t.tag}>`);
    }
  }

  /** Emits the fields, groups and data of a message or group; returns the computed block length. */
  private body(path: string, members: readonly XmlElement[]): number {
    let offset = 0;
    members.forEach((m, index) => {
      const where = `${path} / ${m.tag} ${requireAttr(m, 'name', path)}`;
      const versioning = { sinceVersion: m.attrs.sinceVersion ?? '0', deprecated: m.attrs.deprecated };
      switch (m.tag) {
        case 'field': {
          const type = requireAttr(m, 'type', where);
          const declared = this.types.get(type);
          const presence = m.attrs.presence ?? (declared?.tag === 'type' ? declared.attrs.presence : undefined);
          const size = presence === 'constant' ? 0 : this.sizeOf(type, where);
          if (m.attrs.offset !== undefined) offset = Number(m.attrs.offset);
          this.out.add(where, {
            index,
            id: m.attrs.id,
            type,
            offset,
            size,
            presence: presence ?? 'required',
            valueRef: m.attrs.valueRef,
            ...versioning,
            ...extraAttrs(m, ['name', 'id', 'type', 'offset', 'presence', 'valueRef', 'sinceVersion', 'deprecated']),
          });
          offset += size;
          return;
        }
        case 'group': {
          const computed = this.body(where, m.children);
          this.out.add(where, {
            index,
            id: m.attrs.id,
            dimensionType: m.attrs.dimensionType ?? 'groupSizeEncoding',
            blockLength: m.attrs.blockLength ?? computed,
            ...versioning,
            ...extraAttrs(m, ['name', 'id', 'dimensionType', 'blockLength', 'sinceVersion', 'deprecated']),
          });
          return;
        }
        case 'data':
          this.out.add(where, {
            index,
            id: m.attrs.id,
            type: m.attrs.type,
            ...versioning,
            ...extraAttrs(m, ['name', 'id', 'type', 'sinceVersion', 'deprecated']),
          });
          return;
        default:
          throw new Error(`${where}: unexpected <${m.tag}>`);
      }
    });
    return offset;
  }
}

/** Parses SBE schema XML and returns its normalized semantic form. */
export function normalizeSchema(xml: string): NormalizedSchema {
  const roots = toElements(parser.parse(xml)).filter((e) => e.tag === 'messageSchema');
  const root = roots[0];
  if (root === undefined || roots.length !== 1) throw new Error('expected exactly one <messageSchema> root');
  return new SchemaNormalizer(root).run();
}

/** Names of the messages in a normalized schema. */
export function messageNames(schema: NormalizedSchema): string[] {
  return [...schema.keys()].filter((k) => k.startsWith('message ') && !k.includes(' / ')).map((k) => k.slice(8));
}

/**
 * Every difference between two normalized schemas, one readable line each, e.g.
 * `message ReplayRequest / field replayToken: sinceVersion 10 != 9` (ours first, the reference second).
 */
export function diffSchemas(ours: NormalizedSchema, reference: NormalizedSchema): string[] {
  const lines: string[] = [];
  for (const [path, theirs] of reference) {
    const mine = ours.get(path);
    if (mine === undefined) {
      lines.push(`${path}: missing from ours`);
      continue;
    }
    const keys = new Set([...theirs.keys(), ...mine.keys()]);
    for (const key of keys) {
      const a = mine.get(key);
      const b = theirs.get(key);
      if (a !== b) lines.push(`${path}: ${key} ${a ?? '(absent)'} != ${b ?? '(absent)'}`);
    }
  }
  for (const path of ours.keys()) {
    if (!reference.has(path)) lines.push(`${path}: only in ours`);
  }
  return lines;
}
