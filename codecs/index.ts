/**
 * The package's `./codecs` export: the generated Aeron Archive SBE codecs (control protocol, schema id 101,
 * and the archive mark file, schema id 100) and the `CodecError` every decoder throws.
 *
 * ```ts
 * import { archive } from 'aeron-ts/codecs';
 *
 * const header = new archive.MessageHeaderDecoder();
 * const response = new archive.ControlResponseDecoder().wrapAndApplyHeader(bytes, 0, header);
 * console.log(response.correlationId(), archive.controlResponseCodeName(response.codeRaw()));
 * ```
 *
 * @module aeron-ts/codecs
 */

/**
 * The Aeron Archive control protocol (`io.aeron.archive.codecs`, schema id 101, version 13): one encoder and one
 * decoder flyweight per message, its enums, sets and composites, and its `SCHEMA` metadata.
 */
export * as archive from './generated/archive/index.ts';
/**
 * The archive mark file's header (`io.aeron.archive.codecs.mark`, schema id 100, version 2), as in
 * `archive-mark.dat`.
 */
export * as archiveMark from './generated/archive-mark/index.ts';
export type {
  CompositeMeta,
  FieldMeta,
  FieldMetaBase,
  MessageMeta,
  PrimitiveTypeName,
  SchemaMeta,
} from './runtime/index.ts';
export {
  AeronError,
  CodecError,
  type CodecErrorCode,
  IllegalStateError,
  InvalidArgumentError,
} from './runtime/index.ts';
