/** Java `PersistentSubscriptionException` (1.51.0) with its `Reason`. */
import { ArchiveError } from './archive-error.ts';

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
