/**
 * Callbacks that receive fragments (or reassembled messages): `buffer[offset, offset + length)` is the
 * payload, `header` the reused header. Both are only valid during the call.
 */
import type { Header } from './header.ts';
import type { ReadableBuffer } from './log-buffer-memory.ts';

/**
 * Receives one fragment, or one reassembled message behind a `FragmentAssembler`: the payload is
 * `buffer[offset, offset + length)` and `header` describes its frame; both are reused and valid only during the call.
 * Java: `FragmentHandler.onFragment`.
 */
export type FragmentHandler = (buffer: ReadableBuffer, offset: number, length: number, header: Header) => void;

/**
 * What a controlled handler tells the poller (Java: `ControlledFragmentHandler.Action`), as numbers:
 * - ABORT: do not consume this fragment; stop (it is delivered again next poll).
 * - BREAK: consume this fragment and stop.
 * - COMMIT: consume it and make the position so far visible (release store) before continuing.
 * - CONTINUE: consume it and continue.
 */
export const ControlledAction = {
  /** Do not consume this fragment and stop the poll: the fragment is delivered again by the next poll. */
  ABORT: 1,
  /** Consume this fragment and stop the poll, the position committed after it. */
  BREAK: 2,
  /** Consume this fragment and commit the position after it (release store) before continuing. */
  COMMIT: 3,
  /** Consume this fragment and continue; the position is committed at the end of the poll. */
  CONTINUE: 4,
} as const;
/** One of the {@link ControlledAction} values. Java: `ControlledFragmentHandler.Action`. */
export type ControlledAction = (typeof ControlledAction)[keyof typeof ControlledAction];

/**
 * A {@link FragmentHandler} that steers the poll with its return value (a {@link ControlledAction}): used by
 * `controlledPoll`. Java: `ControlledFragmentHandler.onFragment`.
 */
export type ControlledFragmentHandler = (
  buffer: ReadableBuffer,
  offset: number,
  length: number,
  header: Header,
) => ControlledAction;

/** Receives exceptions thrown by a handler during a read. */
export type ErrorHandler = (error: unknown) => void;
