import { AtomicBuffer } from './atomic-buffer.ts';
import type { BroadcastReceiver } from './broadcast-receiver.ts';
import type { MessageHandler } from './ring-buffer.ts';
import { BroadcastCorruptError, BroadcastLappedError } from './transport-error.ts';

/** Initial length in bytes of a {@link CopyBroadcastReceiver}'s scratch buffer (it grows to fit a larger message). */
export const SCRATCH_BUFFER_LENGTH = 4096;

/**
 * Agrona `CopyBroadcastReceiver`: receives at most one broadcast message per call, copies it into a private
 * scratch buffer, checks it was not overwritten while copying, then hands the copy to the handler.
 *
 * Being lapped (before or during the copy) throws `BroadcastLappedError` (code `BROADCAST_LAPPED`); a record
 * whose length cannot fit while not lapped throws `BroadcastCorruptError` (code `BROADCAST_CORRUPT`). For an
 * Aeron client both are fatal: it has missed driver responses and must be closed. The scratch buffer starts at
 * 4096 bytes and grows (control path) to fit larger messages, like the Java client's expandable buffer.
 */
export class CopyBroadcastReceiver {
  /** The receiver it reads through. */
  readonly receiver: BroadcastReceiver;
  #scratch: AtomicBuffer;

  /**
   * @param receiver the receiver to read through.
   * @param scratchLength initial scratch buffer length in bytes; default {@link SCRATCH_BUFFER_LENGTH}.
   */
  constructor(receiver: BroadcastReceiver, scratchLength = SCRATCH_BUFFER_LENGTH) {
    this.receiver = receiver;
    this.#scratch = new AtomicBuffer(new ArrayBuffer(scratchLength));
  }

  /**
   * Delivers at most one message: `handler` gets a copy, valid only during the call. Java:
   * `CopyBroadcastReceiver.receive`.
   *
   * @returns 1 if a message was delivered, 0 if none was available.
   * @throws BroadcastLappedError `BROADCAST_LAPPED` when the transmitter overwrote unread messages.
   * @throws BroadcastCorruptError `BROADCAST_CORRUPT` when a record's length cannot fit in the buffer.
   */
  receive(handler: MessageHandler): number {
    const receiver = this.receiver;
    const lastSeenLappedCount = receiver.lappedCount;
    if (!receiver.receiveNext()) return 0;
    if (lastSeenLappedCount !== receiver.lappedCount) throw new BroadcastLappedError();

    const length = receiver.length();
    const offset = receiver.offset();
    // Records never wrap (the transmitter pads instead), so a message must end inside the buffer. Check
    // before growing the scratch buffer: a corrupt length must not become a huge allocation.
    if (length < 0 || offset + length > receiver.capacity) {
      if (!receiver.validate()) throw new BroadcastLappedError();
      throw new BroadcastCorruptError(
        `broadcast record at offset ${offset} claims length ${length}, past capacity ${receiver.capacity}`,
      );
    }
    if (length > this.#scratch.capacity) {
      let newLength = Math.max(this.#scratch.capacity, 8);
      while (newLength < length) newLength *= 2;
      this.#scratch = new AtomicBuffer(new ArrayBuffer(newLength));
    }
    const scratch = this.#scratch;
    const msgTypeId = receiver.typeId();
    scratch.putBytes(0, receiver.buffer, offset, length);
    if (!receiver.validate()) throw new BroadcastLappedError();

    handler(msgTypeId, scratch, 0, length);
    return 1;
  }
}
