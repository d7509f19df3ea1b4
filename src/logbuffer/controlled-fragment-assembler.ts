/**
 * The controlled variant of `FragmentAssembler` (Java: `ControlledFragmentAssembler`): the same rules
 * (`fragment-reassembly.ts`), and the delegate's action is returned to the poller. If the delegate answers ABORT
 * for a completed message, the last fragment is removed from the builder again so the re-delivered fragment
 * completes the same message on the next poll. Reentrancy as `FragmentAssembler`.
 */
import { BufferBuilder } from './buffer-builder.ts';
import type { ControlledFragmentHandler } from './fragment-handler.ts';
import { ControlledAction } from './fragment-handler.ts';
import { appendFragment, deliverControlledMessage, ReassemblyState } from './fragment-reassembly.ts';
import { BEGIN_FRAG_FLAG, UNFRAGMENTED } from './frame-descriptor.ts';
import type { Header } from './header.ts';
import type { ReadableBuffer } from './log-buffer-memory.ts';

/**
 * Reassembles fragmented messages for a {@link ControlledFragmentHandler}: pass `onFragment` to `controlledPoll`
 * and `delegate` sees whole messages, its action returned to the poll (ABORT on a whole message keeps the fragments
 * so far for the next poll). One reassembly buffer per session id, `initialBufferLength` bytes to start with
 * (default 0). Java: `ControlledFragmentAssembler`.
 */
export class ControlledFragmentAssembler {
  readonly #builders = new Map<number, BufferBuilder>();
  /** The handler that receives whole messages. Java: `ControlledFragmentAssembler.delegate`. */
  readonly delegate: ControlledFragmentHandler;
  readonly #initialBufferLength: number;
  /** The builder whose message the delegate is reading (`fragment-reassembly.ts`). */
  readonly #state = new ReassemblyState();
  /** The handler to give a poller (bound once). */
  readonly onFragment: ControlledFragmentHandler;

  constructor(delegate: ControlledFragmentHandler, initialBufferLength = 0) {
    this.delegate = delegate;
    this.#initialBufferLength = initialBufferLength;
    this.onFragment = (buffer, offset, length, header) => this.#handle(buffer, offset, length, header);
  }

  #handle(buffer: ReadableBuffer, offset: number, length: number, header: Header): ControlledAction {
    const flags = header.flags();
    if ((flags & UNFRAGMENTED) === UNFRAGMENTED) return this.delegate(buffer, offset, length, header);
    const builder =
      (flags & BEGIN_FRAG_FLAG) === BEGIN_FRAG_FLAG
        ? this.#builderFor(header.sessionId())
        : this.#builders.get(header.sessionId());
    if (builder === undefined || builder === this.#state.delivering) return ControlledAction.CONTINUE;
    if (!appendFragment(builder, buffer, offset, length, header, flags)) return ControlledAction.CONTINUE;
    return deliverControlledMessage(this.#state, builder, this.delegate, header, length);
  }

  /**
   * Drops the reassembly buffer of a session (e.g. when its image goes away); returns whether there was one. Java:
   * `ControlledFragmentAssembler.freeSessionBuffer`.
   */
  freeSessionBuffer(sessionId: number): boolean {
    return this.#builders.delete(sessionId);
  }

  /** Drops every session's reassembly buffer. Java: `ControlledFragmentAssembler.clear`. */
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
