/** Java `PersistentSubscriptionException` with its `Reason`. */
import { ArchiveError } from './archive-error.ts';

/**
 * Why a persistent subscription failed (Java `PersistentSubscriptionException.Reason`): GENERIC (no specific
 * reason), RECORDING_NOT_FOUND (no recording with the id), STREAM_ID_MISMATCH (the live stream id is not the
 * recording's), INVALID_START_POSITION (the start position is not available in the recording).
 */
export type PersistentSubscriptionErrorReason =
  | 'GENERIC'
  | 'RECORDING_NOT_FOUND'
  | 'STREAM_ID_MISMATCH'
  | 'INVALID_START_POSITION';

/**
 * A persistent subscription failed for good (Java `PersistentSubscriptionException`): code
 * `PERSISTENT_SUBSCRIPTION`, with Java's `reason`.
 */
export class PersistentSubscriptionError extends ArchiveError {
  constructor(
    /** Java's `PersistentSubscriptionException.Reason`. */
    readonly reason: PersistentSubscriptionErrorReason,
    message: string,
    options: ErrorOptions = {},
  ) {
    super(message, options, 'PERSISTENT_SUBSCRIPTION');
  }
}
