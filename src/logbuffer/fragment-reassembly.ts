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
 * Reentrancy: while a builder's message is being delivered (`ReassemblyState.delivering`), the assembler must not
 * touch that builder: fragments fed to it from inside the delegate go to a fresh builder. A delegate that throws
 * leaves the builder reset. Nothing here allocates.
 */
import type { BufferBuilder } from './buffer-builder.ts';
import { ControlledAction, type ControlledFragmentHandler, type FragmentHandler } from './fragment-handler.ts';
import { BEGIN_FRAG_FLAG, END_FRAG_FLAG } from './frame-descriptor.ts';
import type { Header } from './header.ts';
import type { ReadableBuffer } from './log-buffer-memory.ts';

/** Which builder's message an assembler's delegate is reading (innermost delivery), or null. */
export class ReassemblyState {
  /** The builder being delivered from, or null outside a delivery. */
  delivering: BufferBuilder | null = null;
}

/**
 * Adds a fragment that is not B|E to `builder` by the rules above (`flags`: the header's flags); returns true when
 * it was the E fragment of a message the builder now holds whole.
 */
export function appendFragment(
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
export function deliverMessage(
  state: ReassemblyState,
  builder: BufferBuilder,
  delegate: FragmentHandler,
  header: Header,
): void {
  const outer = state.delivering;
  state.delivering = builder;
  try {
    delegate(builder.buffer, 0, builder.limit, builder.completeHeader(header));
  } finally {
    state.delivering = outer;
    builder.reset();
  }
}

/**
 * Delivers the whole message `builder` holds to a controlled `delegate` and returns its action; on ABORT the
 * builder is truncated back by `lastFragmentLength` (the E fragment's), else reset.
 */
export function deliverControlledMessage(
  state: ReassemblyState,
  builder: BufferBuilder,
  delegate: ControlledFragmentHandler,
  header: Header,
  lastFragmentLength: number,
): ControlledAction {
  const outer = state.delivering;
  state.delivering = builder;
  let action: ControlledAction = ControlledAction.CONTINUE;
  try {
    action = delegate(builder.buffer, 0, builder.limit, builder.completeHeader(header));
  } finally {
    state.delivering = outer;
    if (action === ControlledAction.ABORT) builder.setLimit(builder.limit - lastFragmentLength);
    else builder.reset();
  }
  return action;
}
