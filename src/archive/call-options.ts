/** The options every archive client call takes: an AbortSignal and a deadline. */

/** Per-call options. */
export interface CallOptions {
  /**
   * Rejects the call with `ArchiveAbortedError` (cause = `signal.reason`) when it aborts, at once when it already
   * has. The archive may still carry out a request already sent (see the `AeronArchive` module comment).
   */
  readonly signal?: AbortSignal;
  /** Overall deadline for this call in ms (from the call), on top of the message timeout. */
  readonly timeoutMs?: number;
}
