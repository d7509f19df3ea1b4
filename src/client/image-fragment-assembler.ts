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
import type {
  ControlledAction,
  ControlledFragmentHandler,
  FragmentHandler,
  Header,
  ReadableBuffer,
} from '../logbuffer/index.ts';
import {
  ControlledAction as Action,
  appendFragment,
  BufferBuilder,
  deliverControlledMessage,
  deliverMessage,
  ReassemblyState,
  UNFRAGMENTED,
} from '../logbuffer/index.ts';

/** Reassembles the fragmented messages of one image for `Image.poll` (Java's `ImageFragmentAssembler`). */
export class ImageFragmentAssembler {
  /** Receives every whole message (and every unfragmented one as it is). */
  readonly delegate: FragmentHandler;
  /** The handler to give `Image.poll` (bound once). */
  readonly onFragment: FragmentHandler;
  readonly #initialBufferLength: number;
  #builder: BufferBuilder;
  /** The builder whose message the delegate is reading (`fragment-reassembly.ts`). */
  readonly #state = new ReassemblyState();

  constructor(delegate: FragmentHandler, initialBufferLength = 0) {
    this.delegate = delegate;
    this.#initialBufferLength = initialBufferLength;
    this.#builder = new BufferBuilder(initialBufferLength);
    this.onFragment = (buffer, offset, length, header) => this.#handle(buffer, offset, length, header);
  }

  /** The builder reassembling the current message. */
  get builder(): BufferBuilder {
    return this.#builder;
  }

  #handle(buffer: ReadableBuffer, offset: number, length: number, header: Header): void {
    const flags = header.flags();
    if ((flags & UNFRAGMENTED) === UNFRAGMENTED) {
      this.delegate(buffer, offset, length, header);
      return;
    }
    let builder = this.#builder;
    if (builder === this.#state.delivering) {
      // Fed again from inside the delegate: leave the message it is reading alone.
      builder = this.#builder = new BufferBuilder(this.#initialBufferLength);
    }
    if (appendFragment(builder, buffer, offset, length, header, flags)) {
      deliverMessage(this.#state, builder, this.delegate, header);
    }
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
  readonly #initialBufferLength: number;
  #builder: BufferBuilder;
  /** The builder whose message the delegate is reading (`fragment-reassembly.ts`). */
  readonly #state = new ReassemblyState();

  constructor(delegate: ControlledFragmentHandler, initialBufferLength = 0) {
    this.delegate = delegate;
    this.#initialBufferLength = initialBufferLength;
    this.#builder = new BufferBuilder(initialBufferLength);
    this.onFragment = (buffer, offset, length, header) => this.#handle(buffer, offset, length, header);
  }

  /** The builder reassembling the current message. */
  get builder(): BufferBuilder {
    return this.#builder;
  }

  #handle(buffer: ReadableBuffer, offset: number, length: number, header: Header): ControlledAction {
    const flags = header.flags();
    if ((flags & UNFRAGMENTED) === UNFRAGMENTED) return this.delegate(buffer, offset, length, header);
    let builder = this.#builder;
    if (builder === this.#state.delivering) {
      builder = this.#builder = new BufferBuilder(this.#initialBufferLength);
    }
    if (!appendFragment(builder, buffer, offset, length, header, flags)) return Action.CONTINUE;
    return deliverControlledMessage(this.#state, builder, this.delegate, header, length);
  }
}
