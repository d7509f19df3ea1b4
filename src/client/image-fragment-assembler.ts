/**
 * Per-image reassembly of fragmented messages (Java: `ImageFragmentAssembler` and
 * `ImageControlledFragmentAssembler`). Use one instance per `Image` (pass `onFragment` to `image.poll`):
 * unlike the log layer's session-keyed `FragmentAssembler`/`ControlledFragmentAssembler` (which suit
 * `Subscription.poll`), it keeps a single `BufferBuilder` and needs no session lookup.
 *
 * The rules (B, middle, E frames; the controlled variant's ABORT) are `fragment-reassembly.ts`'s, shared with the
 * session-keyed assemblers. Steady state allocates nothing (the builder grows by doubling and is reused).
 *
 * Reentrancy: fed again from inside its delegate (a nested poll of another image with the same assembler),
 * it moves on to a fresh builder and leaves the message being read alone; a delegate that throws leaves the
 * builder reset. (A nested poll of the same image throws `ReentrantPollError` before reading anything.)
 */
import type { BufferBuilder, ControlledFragmentHandler, FragmentHandler } from '../logbuffer/index.ts';
import { reassemble, reassembleControlled, SingleReassemblyBuilder, UNFRAGMENTED } from '../logbuffer/index.ts';

/** Reassembles the fragmented messages of one image for `Image.poll` (Java's `ImageFragmentAssembler`). */
export class ImageFragmentAssembler {
  /** Receives every whole message (and every unfragmented one as it is). */
  readonly delegate: FragmentHandler;
  /** The handler to give `Image.poll` (bound once). */
  readonly onFragment: FragmentHandler;
  readonly #builders: SingleReassemblyBuilder;

  constructor(delegate: FragmentHandler, initialBufferLength = 0) {
    const builders = new SingleReassemblyBuilder(initialBufferLength);
    this.delegate = delegate;
    this.#builders = builders;
    this.onFragment = (buffer, offset, length, header) => {
      const flags = header.flags();
      if ((flags & UNFRAGMENTED) === UNFRAGMENTED) delegate(buffer, offset, length, header);
      else reassemble(builders, delegate, buffer, offset, length, header, flags);
    };
  }

  /** The builder reassembling the current message. */
  get builder(): BufferBuilder {
    return this.#builders.builder;
  }
}

/**
 * Reassembles the fragmented messages of one image for `Image.controlledPoll` (Java's
 * `ImageControlledFragmentAssembler`); the delegate's action steers the poll.
 */
export class ImageControlledFragmentAssembler {
  /** Receives every whole message (and every unfragmented one as it is) and answers the action. */
  readonly delegate: ControlledFragmentHandler;
  /** The handler to give `Image.controlledPoll` (bound once). */
  readonly onFragment: ControlledFragmentHandler;
  readonly #builders: SingleReassemblyBuilder;

  constructor(delegate: ControlledFragmentHandler, initialBufferLength = 0) {
    const builders = new SingleReassemblyBuilder(initialBufferLength);
    this.delegate = delegate;
    this.#builders = builders;
    this.onFragment = (buffer, offset, length, header) => {
      const flags = header.flags();
      if ((flags & UNFRAGMENTED) === UNFRAGMENTED) return delegate(buffer, offset, length, header);
      return reassembleControlled(builders, delegate, buffer, offset, length, header, flags);
    };
  }

  /** The builder reassembling the current message. */
  get builder(): BufferBuilder {
    return this.#builders.builder;
  }
}
