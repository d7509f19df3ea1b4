/**
 * The reassembly rules all four fragment assemblers follow, in one place (Java writes them out in each of
 * `FragmentAssembler`, `ControlledFragmentAssembler`, `ImageFragmentAssembler` and
 * `ImageControlledFragmentAssembler`). The assemblers differ only in where a fragment's builder comes from
 * (one per session id, or one per image) and in whether the delegate steers the poll:
 *
 * ```
 *  B|E      → delivered straight through (the assembler's own check, before any builder is looked up)
 *  B frame  → reset builder, capture header, append, expect the next term offset
 *  middle   → append if at the expected term offset, else drop the partial message (reset)
 *  E frame  → append, deliver builder.buffer[0, limit) with the completed header, then reset
 *             (controlled: on ABORT truncate back to before the E fragment, so its re-delivery completes the
 *             same message next poll)
 * ```
 *
 * Reentrancy: while a builder's message is being delivered (`ReassemblyBuilders.delivering`), the assembler must not
 * touch that builder: fragments fed to it from inside the delegate go to a fresh builder. A delegate that throws
 * leaves the builder reset. Nothing here allocates.
 */
import { BufferBuilder } from './buffer-builder.ts';
import { ControlledAction, type ControlledFragmentHandler, type FragmentHandler } from './fragment-handler.ts';
import { BEGIN_FRAG_FLAG, END_FRAG_FLAG } from './frame-descriptor.ts';
import type { Header } from './header.ts';
import type { ReadableBuffer } from './log-buffer-memory.ts';

/**
 * Where an assembler's builders come from, and which one its delegate is reading (innermost delivery): one per
 * session id ({@link SessionReassemblyBuilders}) or one per image ({@link SingleReassemblyBuilder}).
 */
export abstract class ReassemblyBuilders {
  /** The builder being delivered from, or null outside a delivery. */
  delivering: BufferBuilder | null = null;

  /**
   * The builder for a fragment that is not B|E (`flags`: its header's flags), never the one being delivered from;
   * undefined when the fragment is to be dropped (a middle or end fragment of a message never begun).
   */
  abstract builderFor(header: Header, flags: number): BufferBuilder | undefined;
}

/** One builder per session id, made on the first B fragment of a session and reused (`FragmentAssembler`). */
export class SessionReassemblyBuilders extends ReassemblyBuilders {
  readonly #builders = new Map<number, BufferBuilder>();
  readonly #initialBufferLength: number;

  /** @param initialBufferLength the first capacity of each session's builder (0: grows on first use). */
  constructor(initialBufferLength: number) {
    super();
    this.#initialBufferLength = initialBufferLength;
  }

  /** A B fragment gets the session's builder (a fresh one while that is being delivered from); others the existing one. */
  builderFor(header: Header, flags: number): BufferBuilder | undefined {
    const sessionId = header.sessionId();
    let builder = this.#builders.get(sessionId);
    if ((flags & BEGIN_FRAG_FLAG) !== BEGIN_FRAG_FLAG) return builder === this.delivering ? undefined : builder;
    if (builder === undefined || builder === this.delivering) {
      builder = new BufferBuilder(this.#initialBufferLength);
      this.#builders.set(sessionId, builder);
    }
    return builder;
  }

  /** Drops the builder of `sessionId`; returns whether there was one. */
  free(sessionId: number): boolean {
    return this.#builders.delete(sessionId);
  }

  /** Drops every session's builder. */
  clear(): void {
    this.#builders.clear();
  }
}

/** One builder for one image's stream (`ImageFragmentAssembler`): a fresh one only while it is being delivered from. */
export class SingleReassemblyBuilder extends ReassemblyBuilders {
  readonly #initialBufferLength: number;
  #builder: BufferBuilder;

  /** @param initialBufferLength the builder's first capacity (0: grows on first use). */
  constructor(initialBufferLength: number) {
    super();
    this.#initialBufferLength = initialBufferLength;
    this.#builder = new BufferBuilder(initialBufferLength);
  }

  /** The builder reassembling the current message. */
  get builder(): BufferBuilder {
    return this.#builder;
  }

  /** The builder (replaced by a fresh one when fed from inside the delegate that reads it). */
  builderFor(_header: Header, _flags: number): BufferBuilder {
    if (this.#builder === this.delivering) this.#builder = new BufferBuilder(this.#initialBufferLength);
    return this.#builder;
  }
}

/**
 * Reassembles a fragment that is not B|E: appends it to its builder and, when that completes a message, delivers
 * it to `delegate`.
 */
export function reassemble(
  builders: ReassemblyBuilders,
  delegate: FragmentHandler,
  buffer: ReadableBuffer,
  offset: number,
  length: number,
  header: Header,
  flags: number,
): void {
  const builder = builders.builderFor(header, flags);
  if (builder !== undefined && appendFragment(builder, buffer, offset, length, header, flags)) {
    deliverMessage(builders, builder, delegate, header);
  }
}

/** `reassemble` for a controlled `delegate`: returns its action for a completed message, else CONTINUE. */
export function reassembleControlled(
  builders: ReassemblyBuilders,
  delegate: ControlledFragmentHandler,
  buffer: ReadableBuffer,
  offset: number,
  length: number,
  header: Header,
  flags: number,
): ControlledAction {
  const builder = builders.builderFor(header, flags);
  if (builder === undefined || !appendFragment(builder, buffer, offset, length, header, flags)) {
    return ControlledAction.CONTINUE;
  }
  return deliverControlledMessage(builders, builder, delegate, header, length);
}

/**
 * Adds a fragment that is not B|E to `builder` by the rules above (`flags`: the header's flags); returns true when
 * it was the E fragment of a message the builder now holds whole.
 */
function appendFragment(
  builder: BufferBuilder,
  buffer: ReadableBuffer,
  offset: number,
  length: number,
  header: Header,
  flags: number,
): boolean {
  if ((flags & BEGIN_FRAG_FLAG) === BEGIN_FRAG_FLAG) {
    builder.reset().captureHeader(header).append(buffer, offset, length);
    builder.nextTermOffset = header.nextTermOffset();
    return false;
  }
  if (header.termOffset() !== builder.nextTermOffset) {
    builder.reset();
    return false;
  }
  builder.append(buffer, offset, length);
  if ((flags & END_FRAG_FLAG) !== END_FRAG_FLAG) {
    builder.nextTermOffset = header.nextTermOffset();
    return false;
  }
  return true;
}

/** Delivers the whole message `builder` holds to `delegate` (see the module comment), then resets the builder. */
function deliverMessage(
  builders: ReassemblyBuilders,
  builder: BufferBuilder,
  delegate: FragmentHandler,
  header: Header,
): void {
  const outer = builders.delivering;
  builders.delivering = builder;
  try {
    delegate(builder.buffer, 0, builder.limit, builder.completeHeader(header));
  } finally {
    builders.delivering = outer;
    builder.reset();
  }
}

/**
 * Delivers the whole message `builder` holds to a controlled `delegate` and returns its action; on ABORT the
 * builder is truncated back by `lastFragmentLength` (the E fragment's), else reset.
 */
function deliverControlledMessage(
  builders: ReassemblyBuilders,
  builder: BufferBuilder,
  delegate: ControlledFragmentHandler,
  header: Header,
  lastFragmentLength: number,
): ControlledAction {
  const outer = builders.delivering;
  builders.delivering = builder;
  let action: ControlledAction = ControlledAction.CONTINUE;
  try {
    action = delegate(builder.buffer, 0, builder.limit, builder.completeHeader(header));
  } finally {
    builders.delivering = outer;
    if (action === ControlledAction.ABORT) builder.setLimit(builder.limit - lastFragmentLength);
    else builder.reset();
  }
  return action;
}
