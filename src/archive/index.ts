/**
 * The package's `./archive` export: the Aeron Archive client (protocol layer over {@link ControlTransportFactory}).
 *
 * @module aeron-ts/archive
 */

export { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
export { AeronError } from '../../codecs/runtime/aeron-error.ts';
export {
  LONG_MIN_VALUE,
  PERSISTENT_SUBSCRIPTION_JOIN_DIFFERENCE_TYPE_ID,
  PERSISTENT_SUBSCRIPTION_LIVE_JOINED_COUNT_TYPE_ID,
  PERSISTENT_SUBSCRIPTION_LIVE_LEFT_COUNT_TYPE_ID,
  PERSISTENT_SUBSCRIPTION_STATE_TYPE_ID,
} from '../transport/index.ts';
export {
  AeronArchive,
  type AeronArchiveState,
  type AwaitRecordingPositionOptions,
  type CallOptions,
  type RecordingCallOptions,
  type ReplaySubscriptionOptions,
  replayChannelFor,
  replayImageSessionId,
  type StartedReplay,
} from './aeron-archive.ts';
export {
  AeronControlPublication,
  AeronControlSubscription,
  AeronControlTransport,
  resolveChannelEndpointPort,
} from './aeron-transport.ts';
export {
  type ArchiveContext,
  ArchiveDefaults,
  type ArchiveErrorHandler,
  type ArchiveOptions,
  PROTOCOL_SEMANTIC_VERSION,
  PROTOCOL_VERSION_WITH_ARCHIVE_ID,
  resolveContext,
} from './archive-context.ts';
export {
  ArchiveAbortedError,
  ArchiveClosedError,
  ArchiveError,
  ArchiveErrorCode,
  type ArchiveErrorCodeName,
  type ArchiveErrorKind,
  type ArchiveErrorOptions,
  ArchiveNotConnectedError,
  ArchiveReentrantCallError,
  ArchiveTimeoutError,
  ArchiveValueRangeError,
  archiveErrorCodeName,
} from './archive-error.ts';
export {
  ArchiveIdleStrategies,
  type ArchiveIdleStrategy,
  BackoffArchiveIdleStrategy,
  type BackoffOptions,
} from './archive-idle-strategy.ts';
export { ArchiveProxy } from './archive-proxy.ts';
export { AsyncConnect, AsyncConnectState } from './async-connect.ts';
export { type ControlMessageFilter, ControlMessagePoller } from './control-message-poller.ts';
export { ControlResponsePoller } from './control-response-poller.ts';
export {
  ControlledAction,
  type ControlMessageHandler,
  type ControlPublication,
  type ControlSubscription,
  type ControlTransportFactory,
  OfferResult,
  type PendingResource,
} from './control-transport.ts';
export { type CredentialsSupplier, NULL_CREDENTIALS_SUPPLIER } from './credentials.ts';
export {
  FROM_LIVE,
  FROM_START,
  PERSISTENT_SUBSCRIPTION_STATE_CODES,
  PersistentSubscription,
  type PersistentSubscriptionListener,
  type PersistentSubscriptionOptions,
  type PersistentSubscriptionState,
} from './persistent-subscription.ts';
export type { PersistentSubscriptionArchiveOptions } from './persistent-subscription-archive.ts';
export { type CounterChannels, persistentSubscriptionCounterLabel } from './persistent-subscription-counters.ts';
export {
  PersistentSubscriptionError,
  type PersistentSubscriptionErrorReason,
} from './persistent-subscription-error.ts';
export type {
  RecordingDescriptor,
  RecordingDescriptorConsumer,
  RecordingSubscriptionDescriptor,
  RecordingSubscriptionDescriptorConsumer,
} from './recording-descriptor.ts';
export { RecordingDescriptorPoller } from './recording-descriptor-poller.ts';
export {
  type RecordingEvent,
  RecordingEventsAdapter,
  type RecordingEventsListener,
  type RecordingProgressEvent,
  type RecordingStartedEvent,
  type RecordingStoppedEvent,
  recordingEvents,
} from './recording-events-adapter.ts';
export { RecordingSignal, type RecordingSignalConsumer, type RecordingSignalEvent } from './recording-signal.ts';
export { RecordingSignalPoller } from './recording-signal-poller.ts';
export { RecordingSubscriptionDescriptorPoller } from './recording-subscription-descriptor-poller.ts';
export {
  LIVE_ADD_MAX_WINDOW,
  MERGE_PROGRESS_TIMEOUT_DEFAULT_MS,
  type MergedOptions,
  ReplayMerge,
  type ReplayMergeOptions,
  type ReplayMergeState,
} from './replay-merge.ts';
export {
  NULL_LENGTH,
  NULL_POSITION,
  NULL_VALUE,
  REPLAY_ALL_AND_FOLLOW,
  REPLAY_ALL_AND_STOP,
  type ReplayParams,
  type ResolvedReplayParams,
} from './replay-params.ts';
export {
  type ReplayProgress,
  type ReplayProgressArchive,
  ReplayStalledError,
  type ReplayWatch,
  type ReplayWatchdogOptions,
  watchReplay,
} from './replay-watchdog.ts';
export type { ReplicationParams, ResolvedReplicationParams } from './replication-params.ts';
