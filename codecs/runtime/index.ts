/** The small runtime that generated SBE codecs import. */
export { AeronError, IllegalStateError, InvalidArgumentError } from './aeron-error.ts';
export { bufferView } from './buffer-view.ts';
export { copyFromView, copyIn, copyOut, copyToView } from './bytes.ts';
export {
  badLength,
  CodecError,
  type CodecErrorCode,
  checkBounds,
  shortBuffer,
  unknownEnumValue,
  wrongSchema,
  wrongTemplate,
} from './codec-error.ts';
export { EMPTY_BUFFER, EMPTY_VIEW, viewOf } from './flyweight.ts';
export { getInt64, getUint64, int64ToJson, setInt64, setUint64 } from './int64.ts';
export type { CompositeMeta, FieldMeta, FieldMetaBase, MessageMeta, PrimitiveTypeName, SchemaMeta } from './meta.ts';
export {
  decodeAscii,
  decodeCharArray,
  decodeLatin1,
  decodeText,
  decodeUtf8,
  encodeAscii,
  encodeAsciiView,
  encodeCharArray,
  encodedTextLength,
  encodeLatin1,
  encodeText,
  toHex,
} from './text.ts';
