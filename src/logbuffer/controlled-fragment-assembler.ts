/**
 * The controlled variant of `FragmentAssembler` (Java: `ControlledFragmentAssembler`): the same rules
 * (`fragment-reassembly.ts`), and the delegate's action is returned to the poller. If the delegate answers ABORT
 * for a completed message, the last fragment is removed from the builder again so the re-delivered fragment
 * completes the same message on the next poll. Reentrancy as `FragmentAssembler`.
 */
import type { ControlledFragmentHandler } from './fragment-handler.ts';
import { reassembleControlled, SessionReassemblyBuilders } from './fragment-reassembly.ts';
import { UNFRAGMENTED } from './frame-descriptor.ts';

/**
 * Reassembles fragmented messages for a {@link ControlledFragmentHandler}: pass `onFragment` to `controlledPoll`
 * and `delegate` sees whole messages, its action returned to the poll (ABORT on a whole message keeps the fragments
 * so far for the next poll). One reassembly buffer per session id, `initialBufferLength` bytes to start with
 * (default 0). Java: `ControlledFragmentAssembler`.
 */
export class ControlledFragmentAssembler {
  /** The handler that receives whole messages. Java: `ControlledFragmentAssembler.delegate`. */
  readonly delegate: ControlledFragmentHandler;
  /** The handler to give a poller (bound once). */
  readonly onFragment: ControlledFragmentHandler;
  readonly #builders: SessionReassemblyBuilders;

  constructor(delegate: ControlledFragmentHandler, initialBufferLength = 0) {
    const builders = new SessionReassemblyBuilders(initialBufferLength);
    this.delegate = delegate;
    this.#builders = builders;
    this.onFragment = (buffer, offset, length, header) => {
      const flags = header.flags();
      if ((flags & UNFRAGMENTED) === UNFRAGMENTED) return delegate(buffer, offset, length, header);
      return reassembleControlled(builders, delegate, buffer, offset, length, header, flags);
    };
  }

  /**
   * Drops the reassembly buffer of a session (e.g. when its image goes away); returns whether there was one. Java:
   * `ControlledFragmentAssembler.freeSessionBuffer`.
   */
  freeSessionBuffer(sessionId: number): boolean {
    return this.#builders.free(sessionId);
  }

  /** Drops every session's reassembly buffer. Java: `ControlledFragmentAssembler.clear`. */
  clear(): void {
    this.#builders.clear();
  }
}
