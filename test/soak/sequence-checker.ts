/**
 * Checks one stream of soak messages (live or replayed) as they arrive: every index of a range exactly once,
 * in order, each payload intact.
 *
 * A soak message is message `index` of source `seed` in the layout of `test/support/message-pattern.ts`,
 * always at least 8 bytes long so it carries its own sequence number:
 *
 * ```
 *   0        4        8                                       length
 *   +--------+--------+-------------------------------------------+
 *   | index  | seed   | pattern bytes of (seed, index)            |   (int32 little-endian)
 *   +--------+--------+-------------------------------------------+
 *   length = sizes.sizeOf(index)
 * ```
 *
 * Classification of an arriving message, with `next` the index expected next:
 *
 * | what arrives                                  | counted as                                   |
 * |-----------------------------------------------|----------------------------------------------|
 * | index == next, right length and bytes         | received                                     |
 * | index > next                                  | lost += index − next, then checked as above  |
 * | index < next                                  | duplicated                                   |
 * | index ≥ end of range, or wrong seed           | unexpected (an extra or foreign message)     |
 * | wrong length or a differing byte              | corrupted (still advances `next`)            |
 *
 * `finish()` counts what never arrived as lost. Nothing here allocates per message: the caller copies the
 * fragment into `scratch` (one buffer per checker).
 */
import { firstMismatch, type MessageSizes, readInt32LE } from '../support/message-pattern.ts';

/** Soak messages carry index and seed: never shorter than this. */
export const MIN_SOAK_MESSAGE_LENGTH = 8;

const MAX_ERRORS = 5;

/** Totals of one or more checkers. */
export interface CheckTotals {
  received: number;
  lost: number;
  duplicated: number;
  corrupted: number;
  unexpected: number;
}

export function emptyTotals(): CheckTotals {
  return { received: 0, lost: 0, duplicated: 0, corrupted: 0, unexpected: 0 };
}

/** `into += from`, field by field. */
export function addTotals(into: CheckTotals, from: CheckTotals): void {
  into.received += from.received;
  into.lost += from.lost;
  into.duplicated += from.duplicated;
  into.corrupted += from.corrupted;
  into.unexpected += from.unexpected;
}

export class SequenceChecker implements CheckTotals {
  /** Index expected next. */
  next: number;
  received = 0;
  lost = 0;
  duplicated = 0;
  corrupted = 0;
  unexpected = 0;
  /** The first few problems, described. */
  readonly errors: string[] = [];
  /** Reassembled bytes of the message being checked. */
  readonly scratch: Uint8Array;

  /** Expects messages `from .. to-1` of source `seed`. */
  constructor(
    readonly what: string,
    readonly seed: number,
    readonly sizes: MessageSizes,
    readonly from: number,
    readonly to: number,
  ) {
    if (sizes.min < MIN_SOAK_MESSAGE_LENGTH) throw new Error(`soak messages need >= ${MIN_SOAK_MESSAGE_LENGTH} bytes`);
    this.next = from;
    this.scratch = new Uint8Array(sizes.max);
  }

  get done(): boolean {
    return this.next >= this.to;
  }

  get problems(): number {
    return this.lost + this.duplicated + this.corrupted + this.unexpected;
  }

  /** Checks the message in `scratch[0..length)`. */
  onMessage(length: number): void {
    const buf = this.scratch;
    if (length < MIN_SOAK_MESSAGE_LENGTH) {
      this.unexpected++;
      this.error(`message of ${length} bytes`);
      return;
    }
    const index = readInt32LE(buf, 0);
    const seed = readInt32LE(buf, 4);
    if (seed !== this.seed || index < 0 || index >= this.to) {
      this.unexpected++;
      this.error(`unexpected message: index ${index} seed ${seed} (expected seed ${this.seed}, < ${this.to})`);
      return;
    }
    if (index < this.next) {
      this.duplicated++;
      this.error(`duplicate of message ${index} (expected ${this.next})`);
      return;
    }
    if (index > this.next) {
      this.lost += index - this.next;
      this.error(`gap: messages ${this.next}..${index - 1} missing`);
    }
    const expectedLength = this.sizes.sizeOf(index);
    if (length !== expectedLength) {
      this.corrupted++;
      this.error(`message ${index}: length ${length}, expected ${expectedLength}`);
    } else {
      const at = firstMismatch(buf, 0, length, seed, index);
      if (at >= 0) {
        this.corrupted++;
        this.error(`message ${index} (length ${length}): byte ${at} differs`);
      } else {
        this.received++;
      }
    }
    this.next = index + 1;
  }

  /** Counts the messages that never arrived as lost (call once, when the stream is over). */
  finish(): void {
    if (this.next < this.to) {
      this.lost += this.to - this.next;
      this.error(`messages ${this.next}..${this.to - 1} never arrived`);
      this.next = this.to;
    }
  }

  /** One line: what, counts and the first problems. */
  describe(): string {
    const head = `${this.what}: ${this.received}/${this.to - this.from} ok, lost ${this.lost}, duplicated ${this.duplicated}, corrupted ${this.corrupted}, unexpected ${this.unexpected}`;
    return this.errors.length === 0 ? head : `${head}; ${this.errors.join('; ')}`;
  }

  private error(message: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(message);
  }
}
