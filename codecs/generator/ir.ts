/**
 * The generator's intermediate representation: an SBE schema with every offset and length resolved.
 *
 * Offsets follow SBE 1.0: fields are laid out one after another from offset 0 (no implicit padding); an
 * explicit `offset` attribute moves a field (it may leave a gap, never overlap); constant fields take no
 * space; a message's or group's block length is the larger of the computed length and its `blockLength`
 * attribute.
 */
import type { PrimitiveTypeName } from '../runtime/meta.ts';

export type { PrimitiveTypeName };

export interface PrimitiveInfo {
  readonly name: PrimitiveTypeName;
  readonly size: number;
  /** DataView accessor suffix: `Int32` for getInt32/setInt32; 64-bit types use the runtime helpers. */
  readonly view:
    | 'Int8'
    | 'Uint8'
    | 'Int16'
    | 'Uint16'
    | 'Int32'
    | 'Uint32'
    | 'Int64'
    | 'Uint64'
    | 'Float32'
    | 'Float64';
  /** SBE's default null, min and max values (exact, as bigint for integers; as number for floats). */
  readonly nullValue: bigint | number;
  readonly minValue: bigint | number;
  readonly maxValue: bigint | number;
}

export const PRIMITIVES: Readonly<Record<PrimitiveTypeName, PrimitiveInfo>> = {
  char: { name: 'char', size: 1, view: 'Uint8', nullValue: 0n, minValue: 0x20n, maxValue: 0x7en },
  int8: { name: 'int8', size: 1, view: 'Int8', nullValue: -128n, minValue: -127n, maxValue: 127n },
  int16: { name: 'int16', size: 2, view: 'Int16', nullValue: -32768n, minValue: -32767n, maxValue: 32767n },
  int32: {
    name: 'int32',
    size: 4,
    view: 'Int32',
    nullValue: -(2n ** 31n),
    minValue: -(2n ** 31n) + 1n,
    maxValue: 2n ** 31n - 1n,
  },
  int64: {
    name: 'int64',
    size: 8,
    view: 'Int64',
    nullValue: -(2n ** 63n),
    minValue: -(2n ** 63n) + 1n,
    maxValue: 2n ** 63n - 1n,
  },
  uint8: { name: 'uint8', size: 1, view: 'Uint8', nullValue: 255n, minValue: 0n, maxValue: 254n },
  uint16: { name: 'uint16', size: 2, view: 'Uint16', nullValue: 65535n, minValue: 0n, maxValue: 65534n },
  uint32: {
    name: 'uint32',
    size: 4,
    view: 'Uint32',
    nullValue: 2n ** 32n - 1n,
    minValue: 0n,
    maxValue: 2n ** 32n - 2n,
  },
  uint64: {
    name: 'uint64',
    size: 8,
    view: 'Uint64',
    nullValue: 2n ** 64n - 1n,
    minValue: 0n,
    maxValue: 2n ** 64n - 2n,
  },
  float: {
    name: 'float',
    size: 4,
    view: 'Float32',
    nullValue: Number.NaN,
    minValue: -3.4028234663852886e38,
    maxValue: 3.4028234663852886e38,
  },
  double: {
    name: 'double',
    size: 8,
    view: 'Float64',
    nullValue: Number.NaN,
    minValue: -Number.MAX_VALUE,
    maxValue: Number.MAX_VALUE,
  },
};

export function isPrimitiveName(name: string): name is PrimitiveTypeName {
  return Object.hasOwn(PRIMITIVES, name);
}

export type Presence = 'required' | 'optional' | 'constant';

/** A `<type>`: a primitive, a fixed array of one, or a constant. */
export interface EncodedType {
  readonly kind: 'encoded';
  readonly name: string;
  readonly primitive: PrimitiveInfo;
  /** Array length; 1 for a scalar. A char type longer than 1 is a char array (text). */
  readonly length: number;
  readonly presence: Presence;
  readonly nullValue: bigint | number;
  readonly minValue: bigint | number;
  readonly maxValue: bigint | number;
  /** Text of a constant's value (`presence="constant"`). */
  readonly constValue: string | null;
  readonly characterEncoding: string | null;
  readonly encodedLength: number;
  readonly description: string;
}

export interface EnumValue {
  readonly name: string;
  readonly value: number;
  readonly sinceVersion: number;
  readonly description: string;
}

export interface EnumType {
  readonly kind: 'enum';
  readonly name: string;
  readonly encoding: PrimitiveInfo;
  readonly values: readonly EnumValue[];
  readonly nullValue: number;
  readonly encodedLength: number;
  readonly description: string;
}

export interface SetChoice {
  readonly name: string;
  readonly bit: number;
  readonly sinceVersion: number;
  readonly description: string;
}

export interface SetType {
  readonly kind: 'set';
  readonly name: string;
  readonly encoding: PrimitiveInfo;
  readonly choices: readonly SetChoice[];
  readonly encodedLength: number;
  readonly description: string;
}

export interface CompositeType {
  readonly kind: 'composite';
  readonly name: string;
  readonly members: readonly FixedField[];
  readonly encodedLength: number;
  readonly description: string;
}

export type TypeDef = EncodedType | EnumType | SetType | CompositeType;

/** A field in a fixed block (message, group or composite). */
export interface FixedField {
  readonly name: string;
  readonly id: number;
  readonly offset: number;
  readonly type: TypeDef;
  /** Effective presence: the field's own presence overrides its type's. */
  readonly presence: Presence;
  /** Effective null value for an optional primitive (the type's, or SBE's default). */
  readonly nullValue: bigint | number;
  /** For a constant enum field (`valueRef="Enum.VALUE"`): the value's name. */
  readonly valueRef: string | null;
  readonly sinceVersion: number;
  readonly deprecated: number | null;
  readonly description: string;
}

export interface VarDataField {
  readonly name: string;
  readonly id: number;
  readonly type: CompositeType;
  readonly lengthPrimitive: PrimitiveInfo;
  readonly headerLength: number;
  /** Null for binary data. */
  readonly characterEncoding: string | null;
  readonly maxLength: number;
  readonly sinceVersion: number;
  readonly deprecated: number | null;
  readonly description: string;
}

export interface GroupDimension {
  readonly type: CompositeType;
  readonly blockLength: FixedField;
  readonly numInGroup: FixedField;
  readonly maxCount: number;
}

/** What a message and a repeating group have in common: a fixed block, groups, then var data. */
export interface Block {
  readonly name: string;
  readonly id: number;
  readonly blockLength: number;
  readonly fields: readonly FixedField[];
  readonly groups: readonly Group[];
  readonly data: readonly VarDataField[];
  readonly sinceVersion: number;
  readonly description: string;
}

export interface Group extends Block {
  readonly dimension: GroupDimension;
  readonly deprecated: number | null;
}

export interface Message extends Block {
  readonly deprecated: number | null;
}

export interface Schema {
  readonly package: string;
  readonly id: number;
  readonly version: number;
  readonly semanticVersion: string;
  readonly description: string;
  readonly byteOrder: 'littleEndian' | 'bigEndian';
  readonly headerType: CompositeType;
  /** Named types in declaration order (including composites declared inside composites). */
  readonly types: readonly TypeDef[];
  readonly messages: readonly Message[];
}

/** End of the last non-constant field whose sinceVersion is at most `version`. */
export function fixedEndForVersion(fields: readonly FixedField[], version: number): number {
  let end = 0;
  for (const f of fields) {
    if (f.presence === 'constant' || f.sinceVersion > version) continue;
    end = Math.max(end, f.offset + f.type.encodedLength);
  }
  return end;
}
