/**
 * Callbacks that receive fragments (or reassembled messages): `buffer[offset, offset + length)` is the
 * payload, `header` the reused header. Both are only valid during the call.
 */
import type { Header } from './header.ts';
import type { ReadableBuffer } from './log-buffer-memory.ts';

export type FragmentHandler = (buffer: ReadableBuffer, offset: number, length: number, header: Header) => void;

/**
 * What a controlled handler tells the poller (1.51.0 `ControlledFragmentHandler.Action`), as numbers:
 * - ABORT: do not consume this fragment; stop (it is delivered again next poll).
 * - BREAK: consume this fragment and stop.
 * - COMMIT: consume it and make the position so far visible (release store) before continuing.
 * - CONTINUE: consume it and continue.
 */
export const ControlledAction = {
  ABORT: 1,
  BREAK: 2,
  COMMIT: 3,
  CONTINUE: 4,
} as const;
export type ControlledAction = (typeof ControlledAction)[keyof typeof ControlledAction];

export type ControlledFragmentHandler = (
  buffer: ReadableBuffer,
  offset: number,
  length: number,
  header: Header,
) => ControlledAction;

/** Receives exceptions thrown by a handler during a read. */
export type ErrorHandler = (error: unknown) => void;
