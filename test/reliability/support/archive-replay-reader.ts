/**
 * A verifying reader of a replayed (or live) message stream for the archive reliability rows: every fragment
 * must carry the next sequence number (first 4 bytes, little-endian) and that message's checksum
 * (`archive-faults.ts` `checksum`); the stream position after each fragment is kept (`lastPosition`), and an
 * optional `limit()` is checked per fragment (a bounded replay must deliver no frame ending past its limit
 * counter). Problems are collected and asserted empty at every wait, so a loss, duplicate, reorder or
 * over-limit frame fails the case where it happened.
 *
 * ```
 *   poll ─▶ fragment ─▶ sequence == next ? ─▶ checksum == expected[sequence] ? ─▶ header.position() ≤ limit() ?
 *                           │ no                    │ no                              │ no
 *                           └──────────────▶ problems[] ◀───────────────────────────────┘
 * ```
 *
 * Every wait has a deadline (`awaitCondition`); a "quiet" wait polls for a fixed span and asserts that nothing
 * arrived (absence can only be observed over a span; the span is generous and nothing depends on its length).
 */
import { expect } from 'vitest';
import type { Subscription } from '../../../src/client/subscription.ts';
import type { FragmentHandler } from '../../../src/logbuffer/fragment-handler.ts';
import { awaitCondition } from '../../support/wait.ts';
import { checksum } from './archive-faults.ts';

export class VerifiedReader {
  /** Next expected sequence number. */
  next: number;
  /** Stream position after the last fragment read (-1 before any). */
  lastPosition = -1;
  readonly problems: string[] = [];
  readonly #expected: readonly number[];
  readonly #limit: (() => number) | null;
  readonly #handler: FragmentHandler;

  constructor(expected: readonly number[], firstSequence = 0, limit: (() => number) | null = null) {
    this.#expected = expected;
    this.next = firstSequence;
    this.#limit = limit;
    this.#handler = (buffer, offset, length, header) => {
      const copy = new Uint8Array(length);
      buffer.getBytes(offset, copy, 0, length);
      const sequence = new DataView(copy.buffer).getInt32(0, true);
      const position = header.position();
      if (sequence !== this.next) this.problems.push(`sequence ${sequence}, expected ${this.next}`);
      else if (checksum(copy) !== this.#expected[sequence]) this.problems.push(`checksum of message ${sequence}`);
      if (this.#limit !== null && position > this.#limit()) {
        this.problems.push(`message ${sequence} ends at ${position}, past the limit ${this.#limit()}`);
      }
      this.lastPosition = position;
      this.next = sequence + 1;
    };
  }

  poll(subscription: Subscription, fragmentLimit = 100): number {
    return subscription.poll(this.#handler, fragmentLimit);
  }

  /** Polls until `next` reaches `sequence` (exclusive end), within `timeoutMs`; asserts no problem. */
  async readTo(subscription: Subscription, sequence: number, what: string, timeoutMs = 30_000): Promise<void> {
    await awaitCondition(
      `${what} (next=${this.next}, want ${sequence})`,
      () => {
        // never past `sequence`: the caller may stop reading there
        if (this.next < sequence) this.poll(subscription, Math.min(100, sequence - this.next));
        return this.problems.length > 0 || this.next >= sequence;
      },
      timeoutMs,
      1,
    );
    expect(this.problems).toEqual([]);
    expect(this.next).toBe(sequence);
  }

  /** Polls for `spanMs` and asserts that nothing arrived. */
  async expectQuiet(subscription: Subscription, spanMs: number): Promise<void> {
    const before = this.next;
    const end = Date.now() + spanMs;
    while (Date.now() < end) {
      this.poll(subscription);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(this.problems).toEqual([]);
    expect(this.next).toBe(before);
  }
}
