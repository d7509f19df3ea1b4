/**
 * aeron-ts: the Aeron client for Node.js (package entry `.`). Public API only.
 *
 * ```ts
 * await using aeron = await Aeron.connect({ aeronDir: '/dev/shm/aeron-me' });
 * const publication = await aeron.addPublication('aeron:ipc', 10);
 * ```
 *
 * @module aeron-ts
 */

export type {
  BufferBuilder,
  ControlledFragmentHandler,
  ErrorHandler,
  FragmentHandler,
  HeapBuffer,
  LogBufferMemory,
  ReadableBuffer,
  ReservedValueSupplier,
} from '../logbuffer/index.ts';
export {
  type BufferClaim,
  ControlledAction,
  ControlledFragmentAssembler,
  FragmentAssembler,
  fragmentBytes,
  fragmentText,
  Header,
  InvalidBlockError,
  type InvalidBlockErrorCode,
  LogBufferDescriptorError,
  type LogBufferDescriptorErrorCode,
} from '../logbuffer/index.ts';
export {
  AtomicBuffer,
  AtomicBufferError,
  BroadcastCorruptError,
  BroadcastLappedError,
  CncFormatError,
  CncVersionError,
  type CounterMetadataVisitor,
  CountersError,
  CountersReader,
  MappedFileError,
  type MappedFileErrorCode,
  RingBufferError,
  TransportError,
  type TransportErrorCode,
} from '../transport/index.ts';
export type { AbortableOptions } from './abort.ts';
export { type AddSubscriptionOptions, Aeron } from './aeron.ts';
export {
  type AeronClocks,
  type AeronContext,
  type AeronOptions,
  type AvailableCounterHandler,
  DEFAULT_DRIVER_TIMEOUT_MS,
  DEFAULT_IDLE_SLEEP_DURATION_MS,
  DEFAULT_KEEPALIVE_INTERVAL_MS,
  DEFAULT_RESOURCE_LINGER_DURATION_MS,
  defaultAeronDir,
  type NewPublicationHandler,
  type NewSubscriptionHandler,
  resolveAeronContext,
  resolveAeronDir,
  type UnavailableCounterHandler,
} from './aeron-context.ts';
export { ChannelUri } from './channel-uri.ts';
export { ChannelUriError, type ChannelUriErrorCode, type ChannelUriJavaException } from './channel-uri-error.ts';
export { ChannelUriStringBuilder } from './channel-uri-string-builder.ts';
export { ConcurrentPublication } from './concurrent-publication.ts';
export type {
  ClientConductorContract,
  PublicationErrorFrame,
  PublicationErrorFrameHandler,
} from './conductor-contract.ts';
export { Counter, type CounterOwner } from './counter.ts';
export { ErrorCode, type ErrorCodeName, errorCodeName } from './error-codes.ts';
export {
  AdminActionError,
  AeronAbortedError,
  AeronClosedError,
  AeronError,
  type AeronErrorCode,
  AeronTimeoutError,
  BackPressuredError,
  BufferFullError,
  ClientTimeoutError,
  ConductorServiceTimeoutError,
  DriverEventsInvalidError,
  DriverTimeoutError,
  IllegalStateError,
  InvalidArgumentError,
  MaxPositionExceededError,
  MessageTooLongError,
  NotConnectedError,
  PublicationError,
  publicationResultToError,
  ReentrantPollError,
  RegistrationError,
  UnknownAeronError,
} from './errors.ts';
export { ExclusivePublication } from './exclusive-publication.ts';
export {
  type AvailableImageHandler,
  type BlockHandler,
  Image,
  type ImageParams,
  type ImageSubscription,
  type RawBlockHandler,
  type UnavailableImageHandler,
} from './image.ts';
export { ImageControlledFragmentAssembler, ImageFragmentAssembler } from './image-fragment-assembler.ts';
export { type LogBuffers, LogBuffersError, type LogBuffersErrorCode } from './log-buffers.ts';
export type { MessageIteratorOptions, SubscriptionMessage } from './message-iterator.ts';
export {
  ADMIN_ACTION,
  BACK_PRESSURED,
  CLOSED,
  MAX_POSITION_EXCEEDED,
  NOT_CONNECTED,
  Publication,
  type PublicationConductor,
  type PublicationParams,
  publicationErrorString,
} from './publication.ts';
export { Subscription, type SubscriptionConductor, type SubscriptionParams } from './subscription.ts';
export { yieldToEventLoop } from './yield-to-event-loop.ts';
