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
import type { FragmentHandler } from './fragment-handler.ts';
import { reassemble, SessionReassemblyBuilders } from './fragment-reassembly.ts';
import { UNFRAGMENTED } from './frame-descriptor.ts';

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
  /** The handler that receives whole messages. Java: `FragmentAssembler.delegate`. */
  readonly delegate: FragmentHandler;
  /** The handler to give a poller (bound once). */
  readonly onFragment: FragmentHandler;
  readonly #builders: SessionReassemblyBuilders;

  constructor(delegate: FragmentHandler, initialBufferLength = 0) {
    const builders = new SessionReassemblyBuilders(initialBufferLength);
    this.delegate = delegate;
    this.#builders = builders;
    this.onFragment = (buffer, offset, length, header) => {
      const flags = header.flags();
      if ((flags & UNFRAGMENTED) === UNFRAGMENTED) delegate(buffer, offset, length, header);
      else reassemble(builders, delegate, buffer, offset, length, header, flags);
    };
  }

  /**
   * Drops the reassembly buffer of a session (e.g. when its image goes away); returns whether there was one. Java:
   * `FragmentAssembler.freeSessionBuffer`.
   */
  freeSessionBuffer(sessionId: number): boolean {
    return this.#builders.free(sessionId);
  }

  /** Drops every session's reassembly buffer. Java: `FragmentAssembler.clear`. */
  clear(): void {
    this.#builders.clear();
  }
}
