/** Base of the command/response flyweights: a window (buffer + offset) over one encoded message. */

import { IllegalStateError } from '../../../codecs/runtime/aeron-error.ts';
import type { AtomicBuffer } from '../../transport/atomic-buffer.ts';

export const SIZE_OF_INT = 4;
export const SIZE_OF_LONG = 8;

/** Rounds `value` up to a multiple of `alignment` (a power of two). */
export function align(value: number, alignment: number): number {
  return (value + alignment - 1) & ~(alignment - 1);
}

export abstract class Flyweight {
  #buffer: AtomicBuffer | undefined;
  offset = 0;

  /** Points this flyweight at the message starting at `offset` in `buffer`. */
  wrap(buffer: AtomicBuffer, offset: number): this {
    this.#buffer = buffer;
    this.offset = offset;
    return this;
  }

  get buffer(): AtomicBuffer {
    const buffer = this.#buffer;
    if (buffer === undefined) throw new IllegalStateError(`${this.constructor.name} is not wrapped`);
    return buffer;
  }
}
