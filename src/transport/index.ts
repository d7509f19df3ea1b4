/** The transport layer: mapped files, atomic buffers and the media driver's shared-memory structures. */
export * from './aeron-counters.ts';
export { AtomicBuffer, LONG_MAX_VALUE, LONG_MIN_VALUE } from './atomic-buffer.ts';
export * from './broadcast-descriptor.ts';
export { BroadcastReceiver } from './broadcast-receiver.ts';
export { BroadcastTransmitter } from './broadcast-transmitter.ts';
export * from './cnc-descriptor.ts';
export * from './control-protocol-events.ts';
export { CopyBroadcastReceiver, SCRATCH_BUFFER_LENGTH } from './copy-broadcast-receiver.ts';
export * from './counters-descriptor.ts';
export { type CounterMetadataVisitor, CountersReader } from './counters-reader.ts';
export * from './distinct-error-log-reader.ts';
export * from './loss-report-reader.ts';
export { MappedFile, MappedFileError, type MappedFileErrorCode, type MappedFileOpenOptions } from './mapped-file.ts';
export { ManyToOneRingBuffer, type MessageHandler } from './ring-buffer.ts';
export * from './ring-buffer-descriptor.ts';
export * from './semantic-version.ts';
export * from './transport-error.ts';
