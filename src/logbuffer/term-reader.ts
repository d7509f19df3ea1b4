/**
 * Reads frames from one term into a handler (Java: `TermReader`): from `termOffset`, while fewer than
 * `fragmentsLimit` fragments were delivered and the end of the term is not reached, acquire-load the
 * frame length; stop at ≤ 0 (not yet written); advance by the aligned length; deliver non-padding
 * frames (payload = frame minus its 32-byte header) with the reused `Header`. Padding is consumed
 * silently. A handler exception goes to `errorHandler`, and the offset still includes that frame.
 *
 * The outcome is stored in a caller-owned, reused `TermReadResult` (offset and count cannot be packed
 * exactly into one double), so a read allocates nothing.
 */
import { HEADER_LENGTH } from './data-header-flyweight.ts';
import type { ErrorHandler, FragmentHandler } from './fragment-handler.ts';
import { alignFrameLength, isPaddingFrame } from './frame-descriptor.ts';
import type { Header } from './header.ts';
import type { LogBufferMemory } from './log-buffer-memory.ts';

/**
 * Outcome of {@link readTerm}, in a reused caller-owned object. Java: the `long` `TermReader.read` returns, unpacked
 * by `TermReader.offset` and `TermReader.fragmentsRead`.
 */
export class TermReadResult {
  /** Term offset after the last consumed frame. */
  offset = 0;
  /** Non-padding fragments delivered. */
  fragmentsRead = 0;
}

/**
 * Reads up to `fragmentsLimit` fragments of `termBuffer` from `termOffset` into `handler`; returns the number read,
 * and `result` receives the new offset and the count. A handler error goes to `errorHandler` and ends the read.
 * Java: `TermReader.read`.
 */
export function readTerm(
  termBuffer: LogBufferMemory,
  termOffset: number,
  handler: FragmentHandler,
  fragmentsLimit: number,
  header: Header,
  errorHandler: ErrorHandler,
  result: TermReadResult,
): number {
  let fragmentsRead = 0;
  let offset = termOffset;
  const capacity = termBuffer.capacity;
  header.buffer = termBuffer;
  try {
    while (fragmentsRead < fragmentsLimit && offset < capacity) {
      const frameLength = termBuffer.getInt32Volatile(offset);
      if (frameLength <= 0) break;
      const frameOffset = offset;
      offset += alignFrameLength(frameLength);
      if (!isPaddingFrame(termBuffer, frameOffset)) {
        ++fragmentsRead;
        header.offset = frameOffset;
        handler(termBuffer, frameOffset + HEADER_LENGTH, frameLength - HEADER_LENGTH, header);
      }
    }
  } catch (error) {
    errorHandler(error);
  }
  result.offset = offset;
  result.fragmentsRead = fragmentsRead;
  return fragmentsRead;
}
