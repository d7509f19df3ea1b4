/**
 * Reassembles fragmented messages before handing them on (Java: `FragmentAssembler`). Unfragmented
 * frames (B|E) pass straight through. A B frame starts a message in the session's `BufferBuilder`;
 * each following fragment must start exactly at the expected term offset (otherwise the partial
 * message is dropped); the E frame delivers the whole payload from the builder with a completed
 * Header. One builder per session id, created on first use and reused, so no per-message allocation.
 *
 * Reentrancy: a delegate that feeds this assembler again (a nested poll of another subscription with the
 * same assembler) cannot disturb the message it is reading: while a builder's message is being delivered,
 * fragments of its session go to a fresh builder. (A nested poll of the same subscription throws
 * `ReentrantPollError` before reading anything.) A delegate that throws leaves the builder reset.
 */
import { BufferBuilder } from './buffer-builder.ts';
import type { FragmentHandler } from './fragment-handler.ts';
import { BEGIN_FRAG_FLAG, END_FRAG_FLAG, UNFRAGMENTED } from './frame-descriptor.ts';
import type { Header } from './header.ts';
import type { ReadableBuffer } from './log-buffer-memory.ts';

/**
 * Reassembles fragmented messages for a {@link FragmentHandler}: pass `onFragment` to `poll` and `delegate` sees
 * whole messages. One reassembly buffer per session id, `initialBufferLength` bytes to start with (default 0: grows
 * on first use). Java: `FragmentAssembler`.
 *
 * ```ts
 * const assembler = new FragmentAssembler((buffer, offset, length, header) => { ... });
 * subscription.poll(assembler.onFragment, 10);
 * ```
 */
export class FragmentAssembler {
  readonly #builders = new Map<number, BufferBuilder>();
  /** The handler that receives whole messages. Java: `FragmentAssembler.delegate`. */
  readonly delegate: FragmentHandler;
  readonly #initialBufferLength: number;
  /** The builder whose message the delegate is reading (innermost delivery), or null. */
  #delivering: BufferBuilder | null = null;
  /** The handler to give a poller (bound once). */
  readonly onFragment: FragmentHandler;

  constructor(delegate: FragmentHandler, initialBufferLength = 0) {
    this.delegate = delegate;
    this.#initialBufferLength = initialBufferLength;
    this.onFragment = (buffer, offset, length, header) => this.#handle(buffer, offset, length, header);
  }

  #handle(buffer: ReadableBuffer, offset: number, length: number, header: Header): void {
    const flags = header.flags();
    if ((flags & UNFRAGMENTED) === UNFRAGMENTED) {
      this.delegate(buffer, offset, length, header);
    } else if ((flags & BEGIN_FRAG_FLAG) === BEGIN_FRAG_FLAG) {
      const builder = this.#builderFor(header.sessionId());
      builder.reset().captureHeader(header).append(buffer, offset, length);
      builder.nextTermOffset = header.nextTermOffset();
    } else {
      const builder = this.#builders.get(header.sessionId());
      if (builder === undefined || builder === this.#delivering) return;
      if (header.termOffset() === builder.nextTermOffset) {
        builder.append(buffer, offset, length);
        if ((flags & END_FRAG_FLAG) === END_FRAG_FLAG) {
          const outer = this.#delivering;
          this.#delivering = builder;
          try {
            this.delegate(builder.buffer, 0, builder.limit, builder.completeHeader(header));
          } finally {
            this.#delivering = outer;
            builder.reset();
          }
        } else {
          builder.nextTermOffset = header.nextTermOffset();
        }
      } else {
        builder.reset();
      }
    }
  }

  /**
   * Drops the reassembly buffer of a session (e.g. when its image goes away); returns whether there was one. Java:
   * `FragmentAssembler.freeSessionBuffer`.
   */
  freeSessionBuffer(sessionId: number): boolean {
    return this.#builders.delete(sessionId);
  }

  /** Drops every session's reassembly buffer. Java: `FragmentAssembler.clear`. */
  clear(): void {
    this.#builders.clear();
  }

  #builderFor(sessionId: number): BufferBuilder {
    let builder = this.#builders.get(sessionId);
    if (builder === undefined || builder === this.#delivering) {
      builder = new BufferBuilder(this.#initialBufferLength);
      this.#builders.set(sessionId, builder);
    }
    return builder;
  }
}
