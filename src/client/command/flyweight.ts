/** Base of the command/response flyweights: a window (buffer + offset) over one encoded message. */

import { IllegalStateError } from '../../../codecs/runtime/aeron-error.ts';
import type { AtomicBuffer } from '../../transport/atomic-buffer.ts';

/**
 * Base of the command and response flyweights: `wrap` points one at a message, its accessors read and write the fields
 * in place (plain little-endian access, int64 fields as `number`s, exact to 2^53). Accessors throw `IllegalStateError`
 * (`ILLEGAL_STATE`) before the first `wrap`, and the buffer's `AtomicBufferError` (`OUT_OF_BOUNDS`) for a field outside
 * it. Java: the flyweights of `io.aeron.command`, each an Agrona `UnsafeBuffer` view.
 */
export abstract class Flyweight {
  #buffer: AtomicBuffer | undefined;
  /** Offset in `buffer` of the message's first byte. */
  offset = 0;

  /** Points this flyweight at the message starting at `offset` in `buffer`. */
  wrap(buffer: AtomicBuffer, offset: number): this {
    this.#buffer = buffer;
    this.offset = offset;
    return this;
  }

  /** The buffer holding the message. Throws `IllegalStateError` (`ILLEGAL_STATE`) before the first `wrap`. */
  get buffer(): AtomicBuffer {
    const buffer = this.#buffer;
    if (buffer === undefined) throw new IllegalStateError(`${this.constructor.name} is not wrapped`);
    return buffer;
  }
}
