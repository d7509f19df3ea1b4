/**
 * A plain, growable, process-local byte buffer implementing `ReadableBuffer` (plus the few writes the
 * fragment assembler needs). Not shared memory and not atomic: used for reassembled messages and
 * captured headers. Little-endian.
 */
import type { ReadableBuffer } from './log-buffer-memory.ts';

export class HeapBuffer implements ReadableBuffer {
  private bytesView: Uint8Array;
  private view: DataView;

  constructor(capacity: number) {
    this.bytesView = new Uint8Array(capacity);
    this.view = new DataView(this.bytesView.buffer);
  }

  get capacity(): number {
    return this.bytesView.length;
  }

  /** The backing bytes (valid until the next `resize`). */
  get bytes(): Uint8Array {
    return this.bytesView;
  }

  /** Grows or shrinks to `newCapacity`, keeping the first `keep` bytes. */
  resize(newCapacity: number, keep: number): void {
    const next = new Uint8Array(newCapacity);
    next.set(this.bytesView.subarray(0, Math.min(keep, newCapacity)));
    this.bytesView = next;
    this.view = new DataView(next.buffer);
  }

  getInt8(index: number): number {
    return this.view.getInt8(index);
  }
  getInt16(index: number): number {
    return this.view.getInt16(index, true);
  }
  getInt32(index: number): number {
    return this.view.getInt32(index, true);
  }
  getBytes(index: number, dst: Uint8Array, dstOffset: number, length: number): void {
    dst.set(this.bytesView.subarray(index, index + length), dstOffset);
  }
  putInt8(index: number, value: number): void {
    this.view.setInt8(index, value);
  }
  putInt32(index: number, value: number): void {
    this.view.setInt32(index, value, true);
  }
  /** Copies `length` bytes from a readable buffer into this one at `index`. */
  putFrom(index: number, src: ReadableBuffer, srcIndex: number, length: number): void {
    src.getBytes(srcIndex, this.bytesView, index, length);
  }
}
