/**
 * The limit of a BOUNDED_REPLAY (Java `startBoundedReplay`: a `Counter` over the client's limit counter id).
 * The replay reads the counter's value as its limit each time it catches up; once the counter is freed (its
 * state leaves ALLOCATED or its registration id changes) the last value read bounds the replay for good.
 *
 * ```
 *  client: counter = addCounter(...); counter.set(limit); BOUNDED_REPLAY(limitCounterId = counter.id)
 *  archive: replay up to min(position + length, counter value) ... counter advances ... replay follows
 * ```
 */
import { RECORD_ALLOCATED } from '../transport/counters-descriptor.ts';
import type { CountersReader } from '../transport/counters-reader.ts';
import type { ReplayLimitSource } from './replay-session.ts';

/** A replay limit read from a counter (module comment). */
export class CounterLimitSource implements ReplayLimitSource {
  /** The counter id. */
  readonly counterId: number;
  /** The counter's registration id when the replay started. */
  readonly registrationId: number;
  readonly #reader: CountersReader;
  #last: number;

  private constructor(reader: CountersReader, counterId: number) {
    this.#reader = reader;
    this.counterId = counterId;
    this.registrationId = reader.getCounterRegistrationId(counterId);
    this.#last = reader.getCounterValue(counterId);
  }

  /**
   * The limit source over `counterId`, or the reason there is none (Java's "Counter id is not allocated: <id>",
   * or the reader's range error).
   */
  static open(reader: CountersReader, counterId: number): CounterLimitSource | string {
    try {
      if (reader.getCounterState(counterId) !== RECORD_ALLOCATED) return `Counter id is not allocated: ${counterId}`;
      return new CounterLimitSource(reader, counterId);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  /** The counter's value (the last one read once it is freed). */
  get position(): number {
    if (!this.isDone()) this.#last = this.#reader.getCounterValue(this.counterId);
    return this.#last;
  }

  /** Whether the counter was freed (or reused by another registration). */
  isDone(): boolean {
    return (
      this.#reader.getCounterState(this.counterId) !== RECORD_ALLOCATED ||
      this.#reader.getCounterRegistrationId(this.counterId) !== this.registrationId
    );
  }
}
