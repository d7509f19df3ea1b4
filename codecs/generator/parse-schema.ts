/**
 * SBE XML schema -> IR, resolving types, offsets and block lengths (see `ir.ts` for the layout rules).
 */
import {
  type Block,
  type CompositeType,
  type EncodedType,
  type EnumType,
  type FixedField,
  type Group,
  type GroupDimension,
  isPrimitiveName,
  type Message,
  PRIMITIVES,
  type Presence,
  type PrimitiveInfo,
  type Schema,
  type SetType,
  type TypeDef,
  type VarDataField,
} from './ir.ts';
import { RESERVED } from './names.ts';
import { SchemaError, type SchemaErrorCode } from './schema-error.ts';
import { parseXml, type XmlElement } from './xml.ts';

/** The element being read, whose line a `SchemaError` reports (see `at`). */
let current: XmlElement | undefined;

/** Runs `read` with `e` as the element errors point at, then puts the previous one back. */
function at<T>(e: XmlElement, read: () => T): T {
  const previous = current;
  current = e;
  try {
    return read();
  } finally {
    current = previous;
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A field, group or var data name must be a method name the flyweights do not use themselves. */
function checkName(name: string, context: string): void {
  if (!IDENTIFIER.test(name)) {
    throw invalid(`${context}: "${name}" is not a name TypeScript can use`, current, 'SCHEMA_UNSUPPORTED');
  }
  if (RESERVED.has(name)) {
    throw invalid(
      `${context}: "${name}" is a name the generated flyweights use themselves`,
      current,
      'SCHEMA_UNSUPPORTED',
    );
  }
}

/** A SchemaError at the element being read (or at `e`). */
function invalid(message: string, e: XmlElement | undefined = current, code: SchemaErrorCode = 'SCHEMA_INVALID') {
  return new SchemaError(code, message, e === undefined ? {} : { line: e.line });
}

function attr(e: XmlElement, name: string): string | undefined {
  return e.attrs[name];
}

function required(e: XmlElement, name: string): string {
  const v = e.attrs[name];
  if (v === undefined) throw invalid(`<${e.tag}> needs a ${name} attribute`, e);
  return v;
}

function intAttr(e: XmlElement, name: string, fallback: number): number {
  const v = e.attrs[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n)) throw invalid(`<${e.tag} ${name}="${v}"> is not an integer`, e);
  return n;
}

function optionalInt(e: XmlElement, name: string): number | null {
  return e.attrs[name] === undefined ? null : intAttr(e, name, 0);
}

function presenceOf(value: string | undefined): Presence {
  if (value === undefined || value === 'required') return 'required';
  if (value === 'optional' || value === 'constant') return value;
  throw invalid(`unknown presence "${value}"`);
}

/** A null/min/max attribute value: exact bigint for integer types, number for floats. */
function numericValue(primitive: PrimitiveInfo, text: string): bigint | number {
  if (primitive.name === 'float' || primitive.name === 'double') return Number(text);
  if (primitive.name === 'char' && text.length === 1 && !/[0-9]/.test(text)) return BigInt(text.charCodeAt(0));
  return BigInt(text);
}

function primitiveOf(name: string, context: string): PrimitiveInfo {
  if (!isPrimitiveName(name)) throw invalid(`${context}: unknown primitive type "${name}"`);
  return PRIMITIVES[name];
}

class SchemaBuilder {
  private readonly xmlTypes = new Map<string, XmlElement>();
  private readonly resolved = new Map<string, TypeDef>();
  private readonly ordered: TypeDef[] = [];
  private readonly resolving = new Set<string>();

  constructor(private readonly root: XmlElement) {
    for (const types of root.children.filter((c) => c.tag === 'types')) {
      for (const t of types.children) this.register(t);
    }
  }

  private register(e: XmlElement): void {
    const name = required(e, 'name');
    if (this.xmlTypes.has(name)) throw invalid(`type "${name}" is declared twice`, e);
    if (!IDENTIFIER.test(name))
      throw invalid(`type "${name}" is not a name TypeScript can use`, e, 'SCHEMA_UNSUPPORTED');
    this.xmlTypes.set(name, e);
  }

  build(): Schema {
    for (const name of this.xmlTypes.keys()) this.typeNamed(name, 'types');
    const headerName = attr(this.root, 'headerType') ?? 'messageHeader';
    const header = this.typeNamed(headerName, 'headerType');
    if (header.kind !== 'composite') throw invalid(`headerType "${headerName}" is not a composite`);
    for (const member of ['blockLength', 'templateId', 'schemaId', 'version']) {
      if (!header.members.some((m) => m.name === member)) {
        throw invalid(`header composite "${headerName}" has no ${member}`);
      }
    }
    const byteOrder = attr(this.root, 'byteOrder') ?? 'littleEndian';
    if (byteOrder !== 'littleEndian' && byteOrder !== 'bigEndian') {
      throw invalid(`unknown byteOrder "${byteOrder}"`);
    }
    const messages = this.root.children.filter((c) => c.tag === 'message').map((m) => at(m, () => this.message(m)));
    const messageNames = new Set<string>();
    for (const m of messages) {
      if (messageNames.has(m.name)) throw invalid(`message name ${m.name} is used twice`);
      messageNames.add(m.name);
    }
    const ids = new Set<number>();
    for (const m of messages) {
      if (ids.has(m.id)) throw invalid(`message id ${m.id} is used twice`);
      ids.add(m.id);
    }
    return {
      package: required(this.root, 'package'),
      id: intAttr(this.root, 'id', 0),
      version: intAttr(this.root, 'version', 0),
      semanticVersion: attr(this.root, 'semanticVersion') ?? '',
      description: attr(this.root, 'description') ?? '',
      byteOrder,
      headerType: header,
      types: this.ordered,
      messages,
    };
  }

  private typeNamed(name: string, context: string): TypeDef {
    const done = this.resolved.get(name);
    if (done !== undefined) return done;
    const e = this.xmlTypes.get(name);
    if (e === undefined) throw invalid(`${context}: unknown type "${name}"`);
    if (this.resolving.has(name)) throw invalid(`type "${name}" refers to itself`);
    this.resolving.add(name);
    const type = at(e, () => this.typeFrom(e));
    this.resolving.delete(name);
    this.resolved.set(name, type);
    this.ordered.push(type);
    return type;
  }

  private typeFrom(e: XmlElement): TypeDef {
    switch (e.tag) {
      case 'type':
        return this.encodedType(e);
      case 'enum':
        return this.enumType(e);
      case 'set':
        return this.setType(e);
      case 'composite':
        return this.compositeType(e);
      default:
        throw invalid(`unknown type element <${e.tag}>`);
    }
  }

  private encodedType(e: XmlElement): EncodedType {
    const name = required(e, 'name');
    const primitive = primitiveOf(required(e, 'primitiveType'), `type ${name}`);
    const length = intAttr(e, 'length', 1);
    const presence = presenceOf(attr(e, 'presence'));
    const pick = (key: string, fallback: bigint | number): bigint | number => {
      const v = attr(e, key);
      return v === undefined ? fallback : numericValue(primitive, v);
    };
    const constValue = presence === 'constant' ? e.text : null;
    if (presence === 'constant' && e.text === '') throw invalid(`constant type ${name} has no value`);
    return {
      kind: 'encoded',
      name,
      primitive,
      length,
      presence,
      nullValue: pick('nullValue', primitive.nullValue),
      minValue: pick('minValue', primitive.minValue),
      maxValue: pick('maxValue', primitive.maxValue),
      constValue,
      characterEncoding: attr(e, 'characterEncoding') ?? (primitive.name === 'char' ? 'US-ASCII' : null),
      encodedLength: presence === 'constant' ? 0 : primitive.size * length,
      description: attr(e, 'description') ?? '',
    };
  }

  /** The primitive behind an enum's or set's encodingType (a primitive name or a named `<type>`). */
  private encodingOf(e: XmlElement): PrimitiveInfo {
    const encodingType = required(e, 'encodingType');
    if (isPrimitiveName(encodingType)) return PRIMITIVES[encodingType];
    const t = this.typeNamed(encodingType, `${e.tag} ${attr(e, 'name')}`);
    if (t.kind !== 'encoded' || t.length !== 1) throw invalid(`encodingType ${encodingType} is not a scalar`);
    return t.primitive;
  }

  private enumType(e: XmlElement): EnumType {
    const name = required(e, 'name');
    const encoding = this.encodingOf(e);
    if (encoding.size > 4 || encoding.name === 'float') {
      throw invalid(
        `enum ${name}: encodingType ${encoding.name} is not supported (char or an integer up to 32 bits)`,
        e,
        'SCHEMA_UNSUPPORTED',
      );
    }
    const values = e.children
      .filter((c) => c.tag === 'validValue')
      .map((v) => ({
        name: required(v, 'name'),
        value: encoding.name === 'char' && !/^[0-9]+$/.test(v.text) ? v.text.charCodeAt(0) : Number(v.text),
        sinceVersion: intAttr(v, 'sinceVersion', 0),
        description: attr(v, 'description') ?? '',
      }));
    return {
      kind: 'enum',
      name,
      encoding,
      values,
      nullValue: Number(encoding.nullValue),
      encodedLength: encoding.size,
      description: attr(e, 'description') ?? '',
    };
  }

  private setType(e: XmlElement): SetType {
    const name = required(e, 'name');
    const encoding = this.encodingOf(e);
    if (!encoding.name.startsWith('uint') || encoding.size > 4) {
      throw invalid(`set ${name}: encodingType must be uint8, uint16 or uint32`);
    }
    const choices = e.children
      .filter((c) => c.tag === 'choice')
      .map((c) => ({
        name: required(c, 'name'),
        bit: Number(c.text),
        sinceVersion: intAttr(c, 'sinceVersion', 0),
        description: attr(c, 'description') ?? '',
      }));
    for (const c of choices) {
      if (!(c.bit >= 0 && c.bit < encoding.size * 8)) throw invalid(`set ${name}: bad bit ${c.bit}`);
    }
    return {
      kind: 'set',
      name,
      encoding,
      choices,
      encodedLength: encoding.size,
      description: attr(e, 'description') ?? '',
    };
  }

  private compositeType(e: XmlElement): CompositeType {
    const name = required(e, 'name');
    const members: FixedField[] = [];
    let offset = 0;
    for (const m of e.children) {
      at(m, () => {
        let type: TypeDef;
        let memberName: string;
        if (m.tag === 'ref') {
          memberName = required(m, 'name');
          type = this.typeNamed(required(m, 'type'), `composite ${name}`);
        } else {
          memberName = required(m, 'name');
          // Types declared inside a composite are named types too (SBE generates a class for each).
          if (m.tag === 'type') type = this.encodedType(m);
          else {
            if (!this.xmlTypes.has(memberName)) this.register(m);
            type = this.typeNamed(memberName, `composite ${name}`);
          }
          if (m.tag !== 'type') memberName = memberName.charAt(0).toLowerCase() + memberName.slice(1);
        }
        const explicit = optionalInt(m, 'offset');
        if (explicit !== null) {
          if (explicit < offset) throw invalid(`composite ${name}: ${memberName} offset ${explicit} overlaps`);
          offset = explicit;
        }
        const presence = type.kind === 'encoded' ? type.presence : 'required';
        members.push({
          name: memberName,
          id: 0,
          offset,
          type,
          presence,
          nullValue: type.kind === 'encoded' ? type.nullValue : 0n,
          valueRef: null,
          sinceVersion: intAttr(m, 'sinceVersion', 0),
          deprecated: optionalInt(m, 'deprecated'),
          description: attr(m, 'description') ?? '',
        });
        offset += type.encodedLength;
      });
    }
    return { kind: 'composite', name, members, encodedLength: offset, description: attr(e, 'description') ?? '' };
  }

  private message(e: XmlElement): Message {
    const name = required(e, 'name');
    if (!IDENTIFIER.test(name))
      throw invalid(`message "${name}" is not a name TypeScript can use`, e, 'SCHEMA_UNSUPPORTED');
    const block = this.block(e, `message ${attr(e, 'name')}`);
    return { ...block, deprecated: optionalInt(e, 'deprecated') };
  }

  private block(e: XmlElement, context: string): Block {
    const name = required(e, 'name');
    const fields: FixedField[] = [];
    const groups: Group[] = [];
    const data: VarDataField[] = [];
    let offset = 0;
    const names = new Set<string>();
    for (const c of e.children) {
      at(c, () => {
        const member = required(c, 'name');
        checkName(member, context);
        if (names.has(member)) throw invalid(`${context}: two members named ${member}`);
        names.add(member);
        if (c.tag === 'field') {
          if (groups.length > 0 || data.length > 0) throw invalid(`${context}: field after group or data`);
          const field = this.field(c, offset, context);
          fields.push(field);
          offset = field.offset + field.type.encodedLength * (field.presence === 'constant' ? 0 : 1);
        } else if (c.tag === 'group') {
          if (data.length > 0) throw invalid(`${context}: group after data`);
          groups.push(this.group(c, context));
        } else if (c.tag === 'data') {
          data.push(this.varData(c, context));
        } else {
          throw invalid(`${context}: unexpected <${c.tag}>`);
        }
      });
    }
    const blockLength = Math.max(offset, intAttr(e, 'blockLength', 0));
    return {
      name,
      id: intAttr(e, 'id', 0),
      blockLength,
      fields,
      groups,
      data,
      sinceVersion: intAttr(e, 'sinceVersion', 0),
      description: attr(e, 'description') ?? '',
    };
  }

  private field(e: XmlElement, current: number, context: string): FixedField {
    const name = required(e, 'name');
    const typeName = required(e, 'type');
    let type: TypeDef;
    if (isPrimitiveName(typeName)) {
      const primitive = PRIMITIVES[typeName];
      type = {
        kind: 'encoded',
        name: typeName,
        primitive,
        length: 1,
        presence: 'required',
        nullValue: primitive.nullValue,
        minValue: primitive.minValue,
        maxValue: primitive.maxValue,
        constValue: null,
        characterEncoding: primitive.name === 'char' ? 'US-ASCII' : null,
        encodedLength: primitive.size,
        description: '',
      };
    } else {
      type = this.typeNamed(typeName, `${context} field ${name}`);
    }
    const typePresence = type.kind === 'encoded' ? type.presence : 'required';
    const fieldPresence = attr(e, 'presence');
    const presence = typePresence === 'constant' ? 'constant' : presenceOf(fieldPresence ?? typePresence);
    const valueRef = attr(e, 'valueRef') ?? null;
    if (presence === 'constant' && type.kind === 'enum') {
      if (valueRef === null) throw invalid(`${context} field ${name}: constant enum needs valueRef`);
      const valueName = valueRef.slice(valueRef.indexOf('.') + 1);
      if (!type.values.some((v) => v.name === valueName)) {
        throw invalid(`${context} field ${name}: unknown valueRef ${valueRef}`);
      }
    }
    const explicit = optionalInt(e, 'offset');
    let offset = current;
    if (explicit !== null && presence !== 'constant') {
      if (explicit < current) throw invalid(`${context} field ${name}: offset ${explicit} overlaps`);
      offset = explicit;
    }
    return {
      name,
      id: intAttr(e, 'id', 0),
      offset,
      type,
      presence,
      nullValue: type.kind === 'encoded' ? type.nullValue : 0n,
      valueRef: valueRef === null ? null : valueRef.slice(valueRef.indexOf('.') + 1),
      sinceVersion: intAttr(e, 'sinceVersion', 0),
      deprecated: optionalInt(e, 'deprecated'),
      description: attr(e, 'description') ?? '',
    };
  }

  private group(e: XmlElement, context: string): Group {
    const name = required(e, 'name');
    const dimensionName = attr(e, 'dimensionType') ?? 'groupSizeEncoding';
    const type = this.typeNamed(dimensionName, `${context} group ${name}`);
    if (type.kind !== 'composite') throw invalid(`${context} group ${name}: dimensionType is not a composite`);
    const blockLength = type.members.find((m) => m.name === 'blockLength');
    const numInGroup = type.members.find((m) => m.name === 'numInGroup');
    if (blockLength?.type.kind !== 'encoded' || numInGroup?.type.kind !== 'encoded') {
      throw invalid(`${dimensionName} needs blockLength and numInGroup`);
    }
    const countType = numInGroup.type;
    const dimension: GroupDimension = { type, blockLength, numInGroup, maxCount: Number(countType.maxValue) };
    const block = this.block(e, `${context} group ${name}`);
    return { ...block, dimension, deprecated: optionalInt(e, 'deprecated') };
  }

  private varData(e: XmlElement, context: string): VarDataField {
    const name = required(e, 'name');
    const type = this.typeNamed(required(e, 'type'), `${context} data ${name}`);
    if (type.kind !== 'composite') throw invalid(`${context} data ${name}: type is not a composite`);
    const length = type.members.find((m) => m.name === 'length');
    const varData = type.members.find((m) => m.name === 'varData');
    if (length?.type.kind !== 'encoded' || varData?.type.kind !== 'encoded') {
      throw invalid(`${context} data ${name}: ${type.name} needs length and varData`);
    }
    const lengthType = length.type;
    if (!lengthType.primitive.name.startsWith('uint') || lengthType.primitive.size > 4) {
      throw invalid(`${context} data ${name}: length must be uint8, uint16 or uint32`);
    }
    return {
      name,
      id: intAttr(e, 'id', 0),
      type,
      lengthPrimitive: lengthType.primitive,
      headerLength: varData.offset,
      characterEncoding: varData.type.characterEncoding,
      maxLength: Number(lengthType.maxValue),
      sinceVersion: intAttr(e, 'sinceVersion', 0),
      deprecated: optionalInt(e, 'deprecated'),
      description: attr(e, 'description') ?? '',
    };
  }
}

/**
 * Parses SBE schema XML into the IR. Throws a `SchemaError` (with the line of the element at fault, and `file` when
 * given) on anything it cannot lay out.
 */
export function parseSchema(xml: string, file?: string): Schema {
  try {
    const root = parseXml(xml);
    if (root.tag !== 'messageSchema') {
      throw invalid(`the root element is <${root.tag}>, not <sbe:messageSchema>`, root);
    }
    return new SchemaBuilder(root).build();
  } catch (e) {
    throw e instanceof SchemaError && file !== undefined ? e.inFile(file) : e;
  }
}
