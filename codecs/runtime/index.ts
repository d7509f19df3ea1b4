/** The small runtime that generated SBE codecs import. */
export { CodecError, type CodecErrorCode, checkBounds } from './codec-error.ts';
export { EMPTY_BUFFER, EMPTY_VIEW, viewOf } from './flyweight.ts';
export { getInt64, getUint64, int64ToJson, setInt64, setUint64 } from './int64.ts';
export type { CompositeMeta, FieldMeta, MessageMeta, SchemaMeta } from './meta.ts';
export {
  decodeAscii,
  decodeCharArray,
  decodeText,
  decodeUtf8,
  encodeCharArray,
  encodedTextLength,
  encodeText,
  toHex,
} from './text.ts';
