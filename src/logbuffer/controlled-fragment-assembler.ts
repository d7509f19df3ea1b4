/**
 * The controlled variant of `FragmentAssembler` (Java: `ControlledFragmentAssembler`): same rules,
 * and the delegate's action is returned to the poller. If the delegate answers ABORT for a completed
 * message, the last fragment is removed from the builder again so the re-delivered fragment
 * completes the same message on the next poll. Reentrancy as `FragmentAssembler`: while a builder's message
 * is being delivered, fragments of its session go to a fresh builder; a delegate that throws leaves the
 * builder reset.
 */
import { BufferBuilder } from './buffer-builder.ts';
import type { ControlledFragmentHandler } from './fragment-handler.ts';
import { ControlledAction } from './fragment-handler.ts';
import { BEGIN_FRAG_FLAG, END_FRAG_FLAG, UNFRAGMENTED } from './frame-descriptor.ts';
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
  /** The builder whose message the delegate is reading (innermost delivery), or null. */
  #delivering: BufferBuilder | null = null;
  /** The handler to give a poller (bound once). */
  readonly onFragment: ControlledFragmentHandler;

  constructor(delegate: ControlledFragmentHandler, initialBufferLength = 0) {
    this.delegate = delegate;
    this.#initialBufferLength = initialBufferLength;
    this.onFragment = (buffer, offset, length, header) => this.#handle(buffer, offset, length, header);
  }

  #handle(buffer: ReadableBuffer, offset: number, length: number, header: Header): ControlledAction {
    const flags = header.flags();
    if ((flags & UNFRAGMENTED) === UNFRAGMENTED) {
      return this.delegate(buffer, offset, length, header);
    }
    if ((flags & BEGIN_FRAG_FLAG) === BEGIN_FRAG_FLAG) {
      const builder = this.#builderFor(header.sessionId());
      builder.reset().captureHeader(header).append(buffer, offset, length);
      builder.nextTermOffset = header.nextTermOffset();
      return ControlledAction.CONTINUE;
    }
    const builder = this.#builders.get(header.sessionId());
    if (builder === undefined || builder === this.#delivering) return ControlledAction.CONTINUE;
    if (header.termOffset() !== builder.nextTermOffset) {
      builder.reset();
      return ControlledAction.CONTINUE;
    }
    const limit = builder.limit;
    builder.append(buffer, offset, length);
    if ((flags & END_FRAG_FLAG) !== END_FRAG_FLAG) {
      builder.nextTermOffset = header.nextTermOffset();
      return ControlledAction.CONTINUE;
    }
    const outer = this.#delivering;
    this.#delivering = builder;
    let action: ControlledAction = ControlledAction.CONTINUE;
    try {
      action = this.delegate(builder.buffer, 0, builder.limit, builder.completeHeader(header));
    } finally {
      this.#delivering = outer;
      if (action === ControlledAction.ABORT) builder.setLimit(limit);
      else builder.reset();
    }
    return action;
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
    if (builder === undefined || builder === this.#delivering) {
      builder = new BufferBuilder(this.#initialBufferLength);
      this.#builders.set(sessionId, builder);
    }
    return builder;
  }
}
