/**
 * Per-image reassembly of fragmented messages (Java: `ImageFragmentAssembler` and
 * `ImageControlledFragmentAssembler`). Use one instance per `Image` (pass `onFragment` to `image.poll`):
 * unlike the log layer's session-keyed `FragmentAssembler`/`ControlledFragmentAssembler` (which suit
 * `Subscription.poll`), it keeps a single `BufferBuilder` and needs no session lookup.
 *
 * ```
 *  B frame  → reset builder, capture header, append, expect next term offset
 *  middle   → append if at the expected term offset, else drop the partial message
 *  E frame  → append, deliver builder.buffer[0, limit) with the completed header, reset
 *  B|E      → delivered straight through
 * ```
 *
 * The controlled variant returns the delegate's action; on ABORT of a completed message it truncates the
 * builder back, so the re-delivered last fragment completes the same message next poll. Steady state
 * allocates nothing (the builder grows by doubling and is reused).
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
  BEGIN_FRAG_FLAG,
  BufferBuilder,
  END_FRAG_FLAG,
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
  /** The builder whose message the delegate is reading (innermost delivery), or null. */
  #delivering: BufferBuilder | null = null;

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
    if (builder === this.#delivering) {
      // Fed again from inside the delegate: leave the message it is reading alone.
      builder = this.#builder = new BufferBuilder(this.#initialBufferLength);
    }
    if ((flags & BEGIN_FRAG_FLAG) === BEGIN_FRAG_FLAG) {
      builder.reset().captureHeader(header).append(buffer, offset, length);
      builder.nextTermOffset = header.nextTermOffset();
    } else if (header.termOffset() === builder.nextTermOffset) {
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
  /** The builder whose message the delegate is reading (innermost delivery), or null. */
  #delivering: BufferBuilder | null = null;

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
    if ((flags & UNFRAGMENTED) === UNFRAGMENTED) {
      return this.delegate(buffer, offset, length, header);
    }
    let builder = this.#builder;
    if (builder === this.#delivering) {
      builder = this.#builder = new BufferBuilder(this.#initialBufferLength);
    }
    if ((flags & BEGIN_FRAG_FLAG) === BEGIN_FRAG_FLAG) {
      builder.reset().captureHeader(header).append(buffer, offset, length);
      builder.nextTermOffset = header.nextTermOffset();
      return Action.CONTINUE;
    }
    if (header.termOffset() !== builder.nextTermOffset) {
      builder.reset();
      return Action.CONTINUE;
    }
    const limit = builder.limit;
    builder.append(buffer, offset, length);
    if ((flags & END_FRAG_FLAG) !== END_FRAG_FLAG) {
      builder.nextTermOffset = header.nextTermOffset();
      return Action.CONTINUE;
    }
    const outer = this.#delivering;
    this.#delivering = builder;
    let action: ControlledAction = Action.CONTINUE;
    try {
      action = this.delegate(builder.buffer, 0, builder.limit, builder.completeHeader(header));
    } finally {
      this.#delivering = outer;
      if (action === Action.ABORT) builder.setLimit(limit);
      else builder.reset();
    }
    return action;
  }
}
