/**
 * Schema metadata that each generated folder exports as `SCHEMA` (in `schema-meta.ts`): enough to drive every
 * encoder and decoder generically (property tests, fuzzers, tooling) without knowing the message types.
 */

/** An SBE primitive type, as a schema's `primitiveType` attribute names it. */
export type PrimitiveTypeName =
  | 'char'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'float'
  | 'double';

/** What every {@link FieldMeta} has, whatever its `kind`. */
export interface FieldMetaBase {
  /** Method name on the flyweights. */
  readonly name: string;
  /** Schema version that added the field (0: the first; always 0 for a composite's members). */
  readonly sinceVersion: number;
}

/**
 * One field of a message, group or composite, told apart by `kind`:
 *
 * | kind | the field | accessors on the flyweights |
 * |---|---|---|
 * | `primitive` | one number | `x()`, `x(value)` (and `xBigInt` for 64-bit types) |
 * | `array` | a fixed array of `length` numbers | `x(index)`, `x(index, value)` |
 * | `charArray` | fixed-length text, NUL padded | `x()`, `x(text)`, `getX`, `putX` |
 * | `constant` | a value in the schema, not on the wire | `x()` |
 * | `enum` | one of `values` | `x()`, `xRaw()`, `x(value)` |
 * | `set` | bit choices | `x()` returns the set's flyweight |
 * | `composite` | a fixed group of members | `x()` returns the composite's flyweight |
 * | `data` | var data (length-prefixed bytes or text) | `x()`, `x(value)`, `getX`, `putX`, `skipX` |
 * | `group` | a repeating group of `fields` | `x()` (decoder), `xCount(count)` (encoder) |
 */
export type FieldMeta =
  | (FieldMetaBase & {
      /** A single number of `primitiveType`. */
      readonly kind: 'primitive';
      /** Its SBE type. */
      readonly primitiveType: PrimitiveTypeName;
      /** Whether the schema marks it `presence="optional"` (`nullValue` then means absent). */
      readonly optional: boolean;
      /** The value that stands for null (64-bit limits as the nearest double). */
      readonly nullValue: number;
      /** The smallest valid value. */
      readonly minValue: number;
      /** The largest valid value. */
      readonly maxValue: number;
    })
  | (FieldMetaBase & {
      /** A fixed array of `length` numbers. */
      readonly kind: 'array';
      /** SBE type of each element. */
      readonly primitiveType: PrimitiveTypeName;
      /** Number of elements. */
      readonly length: number;
    })
  | (FieldMetaBase & {
      /** Fixed-length text: `length` chars, NUL padded. */
      readonly kind: 'charArray';
      /** Length in bytes. */
      readonly length: number;
      /** Its encoding (for example `US-ASCII`). */
      readonly characterEncoding: string;
    })
  | (FieldMetaBase & {
      /** A value fixed by the schema (`presence="constant"`), not on the wire. */
      readonly kind: 'constant';
      /** The value: a number (an enum constant's raw value, a char's code) or a char array's text. */
      readonly value: number | string;
    })
  | (FieldMetaBase & {
      /** One of an enum's values. */
      readonly kind: 'enum';
      /** SBE type the enum is encoded as. */
      readonly encodingType: PrimitiveTypeName;
      /** The raw values the schema lists, in schema order. */
      readonly values: readonly number[];
      /** The raw value that stands for null. */
      readonly nullValue: number;
    })
  | (FieldMetaBase & {
      /** A bit set. */
      readonly kind: 'set';
      /** SBE type the set is encoded as. */
      readonly encodingType: PrimitiveTypeName;
      /** Names of its choices, in schema order. */
      readonly choices: readonly string[];
    })
  | (FieldMetaBase & {
      /** A composite type. */
      readonly kind: 'composite';
      /** The composite's layout. */
      readonly composite: CompositeMeta;
    })
  | (FieldMetaBase & {
      /** Var data: a length, then that many bytes. */
      readonly kind: 'data';
      /** Text encoding, or null for raw bytes. */
      readonly characterEncoding: string | null;
      /** The largest length in bytes the length prefix allows. */
      readonly maxLength: number;
    })
  | (FieldMetaBase & {
      /** A repeating group. */
      readonly kind: 'group';
      /** Length in bytes of each element's fixed block. */
      readonly blockLength: number;
      /** The fields of each element (fixed fields, then groups, then var data). */
      readonly fields: readonly FieldMeta[];
    });

/** The layout of a composite type that a message field uses. */
export interface CompositeMeta {
  /** The type's name in the schema. */
  readonly name: string;
  /** Length in bytes. */
  readonly encodedLength: number;
  /** Its members, in order. */
  readonly fields: readonly FieldMeta[];
}

/** One message of a schema: its ids, its flyweight classes and its fields. */
export interface MessageMeta {
  /** The message's name in the schema (the flyweights are `<name>Encoder` and `<name>Decoder`). */
  readonly name: string;
  /** Its template id, the `templateId` of its header. */
  readonly templateId: number;
  /** Length in bytes of its fixed block. */
  readonly blockLength: number;
  /** Schema version that added the message (0: the first). */
  readonly sinceVersion: number;
  /** Its fields: fixed fields, then groups, then var data, each in schema order. */
  readonly fields: readonly FieldMeta[];
  /** The encoder flyweight class. */
  readonly Encoder: new () => object;
  /** The decoder flyweight class. */
  readonly Decoder: new () => object;
}

/** A whole schema: the `SCHEMA` constant of a generated folder. */
export interface SchemaMeta {
  /** The schema's `package` (SBE's Java output uses it as the Java package). */
  readonly package: string;
  /** The schema's id, the `schemaId` of every message header. */
  readonly id: number;
  /** The schema's version. */
  readonly version: number;
  /** Byte order of every multi-byte value. */
  readonly byteOrder: 'littleEndian' | 'bigEndian';
  /** Every message, in schema order. */
  readonly messages: readonly MessageMeta[];
}
