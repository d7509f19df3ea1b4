/**
 * Schema metadata that each generated folder exports as `SCHEMA` (in `schema-meta.ts`): enough to drive every
 * encoder and decoder generically (property tests, fuzzers, tooling) without knowing the message types.
 */

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

interface FieldMetaBase {
  /** Method name on the flyweights. */
  readonly name: string;
  readonly sinceVersion: number;
}

export type FieldMeta =
  | (FieldMetaBase & {
      readonly kind: 'primitive';
      readonly primitiveType: PrimitiveTypeName;
      readonly optional: boolean;
      readonly nullValue: number;
      readonly minValue: number;
      readonly maxValue: number;
    })
  | (FieldMetaBase & { readonly kind: 'array'; readonly primitiveType: PrimitiveTypeName; readonly length: number })
  | (FieldMetaBase & { readonly kind: 'charArray'; readonly length: number; readonly characterEncoding: string })
  | (FieldMetaBase & { readonly kind: 'constant'; readonly value: number | string })
  | (FieldMetaBase & {
      readonly kind: 'enum';
      readonly encodingType: PrimitiveTypeName;
      readonly values: readonly number[];
      readonly nullValue: number;
    })
  | (FieldMetaBase & {
      readonly kind: 'set';
      readonly encodingType: PrimitiveTypeName;
      readonly choices: readonly string[];
    })
  | (FieldMetaBase & { readonly kind: 'composite'; readonly composite: CompositeMeta })
  | (FieldMetaBase & { readonly kind: 'data'; readonly characterEncoding: string | null; readonly maxLength: number })
  | (FieldMetaBase & { readonly kind: 'group'; readonly blockLength: number; readonly fields: readonly FieldMeta[] });

export interface CompositeMeta {
  readonly name: string;
  readonly encodedLength: number;
  readonly fields: readonly FieldMeta[];
}

export interface MessageMeta {
  readonly name: string;
  readonly templateId: number;
  readonly blockLength: number;
  readonly sinceVersion: number;
  readonly fields: readonly FieldMeta[];
  readonly Encoder: new () => object;
  readonly Decoder: new () => object;
}

export interface SchemaMeta {
  readonly package: string;
  readonly id: number;
  readonly version: number;
  readonly byteOrder: 'littleEndian' | 'bigEndian';
  readonly messages: readonly MessageMeta[];
}
