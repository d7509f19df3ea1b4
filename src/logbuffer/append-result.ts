/**
 * Results of the term appenders, as plain numbers (no objects on the hot path). A result > 0 is the new
 * stream position after the appended message. The negative codes equal the `Publication` offer codes,
 * so a publication can return them unchanged:
 *
 * - `APPEND_ADMIN_ACTION` (−3): the term was tripped (the message did not fit; a padding frame filled
 *   the rest of the term and the log was rotated). Nothing was appended; retry.
 * - `APPEND_MAX_POSITION_EXCEEDED` (−5): the stream reached termLength × 2^31.
 */

import { putReservedValue } from './data-header-flyweight.ts';
import type { LogBufferMemory } from './log-buffer-memory.ts';

/**
 * The term was tripped: the message did not fit, padding filled the rest of the term and the log was rotated;
 * nothing was appended, retry (−3). Java: `Publication.ADMIN_ACTION`, which Java's publications return from
 * their own (inlined) append.
 */
export const APPEND_ADMIN_ACTION = -3;
/** The stream reached its largest position, termLength × 2^31 (−5). Java: `Publication.MAX_POSITION_EXCEEDED`. */
export const APPEND_MAX_POSITION_EXCEEDED = -5;

/**
 * Optional per-frame callback that supplies the frame's 64-bit reserved value (offset 24), called after
 * the payload is copied and before the frame is published. A `number` must be a safe integer; a
 * `bigint` is written as a signed int64.
 */
export type ReservedValueSupplier = (
  termBuffer: LogBufferMemory,
  termOffset: number,
  frameLength: number,
) => number | bigint;

/** Calls the supplier and stores its value in the frame at `frameOffset`. */
export function applyReservedValue(
  supplier: ReservedValueSupplier,
  termBuffer: LogBufferMemory,
  frameOffset: number,
  frameLength: number,
): void {
  putReservedValue(termBuffer, frameOffset, supplier(termBuffer, frameOffset, frameLength));
}
