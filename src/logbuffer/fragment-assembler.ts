/**
 * Reassembles fragmented messages before handing them on (Java: `FragmentAssembler`), by the rules of
 * `fragment-reassembly.ts`, with one `BufferBuilder` per session id, created on first use and reused, so no
 * per-message allocation.
 *
 * Reentrancy: a delegate that feeds this assembler again (a nested poll of another subscription with the
 * same assembler) cannot disturb the message it is reading: while a builder's message is being delivered,
 * fragments of its session go to a fresh builder. (A nested poll of the same subscription throws
 * `ReentrantPollError` before reading anything.) A delegate that throws leaves the builder reset.
 */
import { BufferBuilder } from './buffer-builder.ts';
import type { FragmentHandler } from './fragment-handler.ts';
import { appendFragment, deliverMessage, ReassemblyState } from './fragment-reassembly.ts';
import { BEGIN_FRAG_FLAG, UNFRAGMENTED } from './frame-descriptor.ts';
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
  /** The builder whose message the delegate is reading (`fragment-reassembly.ts`). */
  readonly #state = new ReassemblyState();
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
      return;
    }
    const builder =
      (flags & BEGIN_FRAG_FLAG) === BEGIN_FRAG_FLAG
        ? this.#builderFor(header.sessionId())
        : this.#builders.get(header.sessionId());
    if (builder === undefined || builder === this.#state.delivering) return;
    if (appendFragment(builder, buffer, offset, length, header, flags)) {
      deliverMessage(this.#state, builder, this.delegate, header);
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
    if (builder === undefined || builder === this.#state.delivering) {
      builder = new BufferBuilder(this.#initialBufferLength);
      this.#builders.set(sessionId, builder);
    }
    return builder;
  }
}
