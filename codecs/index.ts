/**
 * The package's `./codecs` export: the generated Aeron Archive SBE codecs (control protocol, schema id 101,
 * and the archive mark file, schema id 100) and the `CodecError` every decoder throws.
 */
export * as archive from './generated/archive/index.ts';
export * as archiveMark from './generated/archive-mark/index.ts';
export type { FieldMeta, MessageMeta, SchemaMeta } from './runtime/index.ts';
export {
  AeronError,
  CodecError,
  type CodecErrorCode,
  IllegalStateError,
  InvalidArgumentError,
} from './runtime/index.ts';
