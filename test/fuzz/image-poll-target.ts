/**
 * `client:image-poll`: torn and garbage frames through the real `Image` poll loops (`poll`, `boundedPoll`,
 * `controlledPoll`, `controlledPeek`, `blockPoll`; with a `FragmentAssembler`) and the term scanners the driver
 * uses (`scanForAvailability`, `scanForGap`). A poll routes handler and read errors to the image's error handler
 * and must itself never throw; `blockPoll` and the scanners may throw only `TransportError` (an out-of-bounds
 * read after a frame length near 2^31 wraps the int32 offset, as in Java).
 *
 * ## The log
 *
 * One log file (64 KiB terms, the minimum) is made once, mapped by `LogBuffers` and unlinked at once (the mapping
 * outlives the file, so a worker the watchdog ends leaves nothing behind). An input's term of 2^termLog2 bytes
 * (64 B .. 8 KiB) is written at the END of partition 0, so frames that run past it run past the real term end;
 * the subscriber position (counter 1 of heap counters) is set to the region's start plus the input's term offset,
 * frame aligned as every position the driver hands out is.
 *
 * ## Why the target keeps its memory between inputs
 *
 * A BEGIN frame whose length runs past the term makes the assembler's `BufferBuilder` grow to hold it
 * BEFORE the copy fails its bounds check (as Aeron's `BufferBuilder.append`: `ensureCapacity` first). A length
 * near 2^31 (an extreme the generator and the mutations produce, and a garbage term on ~5 % of its inputs)
 * allocates a ~2 GiB zero-filled `Uint8Array`, and each one costs a full V8 GC. With a fresh assembler per
 * input that was ~1 % of inputs and over half of the run's time (1,400 inputs per CPU second; a 2,000-input
 * profile: 5.3 of 10 s in the collector, 234 allocations of 2^31 bytes). So the target:
 * - keeps ONE assembler, whose builders stay grown: a later huge append costs nothing;
 * - hands it a `SessionFoldingHeader` (re-pointed at the image's frame), which maps every session id onto 0..2
 *   (the generated ones; `Header.sessionId` is still called and may still throw). The assembler keys builders by
 *   session id and nothing else, so folding keeps every one of its paths (new builder, append, mismatch, growth);
 *   without it, random session ids of garbage and mutated frames each needed a fresh builder, hence a new 2 GiB one;
 * - resets the assembler to a fixed state before every input through its public API: each of the 3
 *   sessions gets a BEGIN frame with a fixed header, then a middle frame at a non-matching offset (the
 *   builder resets). Every input starts from that same state, so a failure replays from its seed and path;
 * - builds the term in a preallocated scratch buffer and mutates it in place (`mutateInto`, the same bytes
 *   `mutate` gives), so an input allocates nothing large.
 * The one difference from a fresh assembler: the 3 sessions own a reset builder (next term offset -1), so a
 * middle/end frame carrying term offset -1 appends to it instead of being ignored: a state a real assembler
 * reaches after a dropped message, so it adds a path rather than hiding one.
 */
import fc from 'fast-check';
import { FakeConductor } from '../../harness/fake-conductor.ts';
import { createLogFile, FakeCounters } from '../../harness/fake-driver.ts';
import { makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import { Image } from '../../src/client/image.ts';
import { LogBuffers } from '../../src/client/log-buffers.ts';
import {
  BEGIN_AND_END_FLAGS,
  BEGIN_FLAG,
  ControlledAction,
  type ControlledFragmentHandler,
  END_FLAG,
  FLAGS_FIELD_OFFSET,
  FRAME_ALIGNMENT,
  FragmentAssembler,
  type FragmentHandler,
  HDR_TYPE_DATA,
  HDR_TYPE_PAD,
  Header,
  SESSION_ID_FIELD_OFFSET,
  scanForAvailability,
  scanForGap,
  TERM_ID_FIELD_OFFSET,
  TERM_OFFSET_FIELD_OFFSET,
  TermScanResult,
  TYPE_FIELD_OFFSET,
} from '../../src/logbuffer/index.ts';
import { AtomicBuffer } from '../../src/transport/index.ts';
import { type FuzzTarget, isTransportError, observe } from './fuzz-target.ts';
import { fillSeeded, MAX_GROWTH, type Mutation, mutateInto, mutationsArb } from './mutate.ts';

interface Frame {
  readonly length: number;
  readonly flags: number;
  readonly type: number;
  readonly session: number;
}

/** Which poll of the image reads the term. */
const POLL_MODES = ['poll', 'boundedPoll', 'controlledPoll', 'controlledPeek', 'blockPoll'] as const;

export interface ImagePollInput {
  readonly termLog2: number;
  readonly fillSeed: number;
  readonly frames: readonly Frame[];
  readonly mutations: readonly Mutation[] | null;
  readonly termOffset: number;
  readonly fragmentsLimit: number;
  readonly maxLength: number;
  readonly mode: (typeof POLL_MODES)[number];
  /** Actions a controlled handler returns, one per fragment, cycled. */
  readonly actions: readonly ControlledAction[];
}

const LOG_TERM_LENGTH = 64 * 1024;
const SUBSCRIBER_POSITION_COUNTER_ID = 1;
const MIN_TERM_LOG2 = 6;
const MAX_TERM_LOG2 = 13;
const MAX_MUTATIONS = 6;
const GENERATED_SESSIONS = 3;

const frameArb: fc.Arbitrary<Frame> = fc.record({
  length: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 32, max: 400 }) },
    { weight: 1, arbitrary: fc.integer({ min: -40, max: 31 }) },
    { weight: 1, arbitrary: fc.constantFrom(0x7fffffff, -0x80000000, 0x7fffffe0) },
  ),
  flags: fc.constantFrom(BEGIN_AND_END_FLAGS, BEGIN_FLAG, END_FLAG, 0, 0xff),
  type: fc.constantFrom(HDR_TYPE_DATA, HDR_TYPE_PAD, 0xffff),
  session: fc.integer({ min: 0, max: GENERATED_SESSIONS - 1 }),
});

function writeFrame(
  view: DataView,
  offset: number,
  length: number,
  flags: number,
  type: number,
  termOffset: number,
  session: number,
): void {
  view.setInt32(offset, length, true);
  view.setUint8(offset + FLAGS_FIELD_OFFSET, flags);
  view.setUint16(offset + TYPE_FIELD_OFFSET, type, true);
  view.setInt32(offset + TERM_OFFSET_FIELD_OFFSET, termOffset, true);
  view.setInt32(offset + SESSION_ID_FIELD_OFFSET, session, true);
  view.setInt32(offset + TERM_ID_FIELD_OFFSET, 0, true);
}

/** A `Header` whose session id is folded onto the generated sessions 0..2 (see the file comment). */
class SessionFoldingHeader extends Header {
  override sessionId(): number {
    return (((super.sessionId() % GENERATED_SESSIONS) + GENERATED_SESSIONS) % GENERATED_SESSIONS) | 0;
  }

  /** Points this header at the frame `header` is over (the image's reused one). */
  foldFrom(header: Header): this {
    this.buffer = header.buffer;
    this.offset = header.offset;
    return this;
  }
}

/** Brings the assembler back to the same state before every input (see the file comment). */
class AssemblerReset {
  readonly #assembler: FragmentAssembler;
  readonly #term = new AtomicBuffer(new ArrayBuffer(128));
  readonly #header = new Header(0, 16);

  constructor(assembler: FragmentAssembler) {
    this.#assembler = assembler;
    this.#header.buffer = this.#term;
  }

  reset(): void {
    const view = new DataView(this.#term.arrayBuffer);
    const header = this.#header;
    for (let session = 0; session < GENERATED_SESSIONS; session++) {
      // A BEGIN frame of 32 bytes at 0 (next expected offset 32), then a middle frame at 96: mismatch, reset.
      writeFrame(view, 0, 32, BEGIN_FLAG, HDR_TYPE_DATA, 0, session);
      writeFrame(view, 64, 32, 0, HDR_TYPE_DATA, 96, session);
      header.offset = 0;
      this.#assembler.onFragment(this.#term, 32, 0, header);
      header.offset = 64;
      this.#assembler.onFragment(this.#term, 96, 0, header);
    }
  }
}

/**
 * An image over a log file that no longer has a name (see the file comment), its subscriber position in heap
 * counters, its handler errors counted in `observed`.
 */
function unlinkedImage(observed: Map<string, number>): { image: Image; counters: FakeCounters } {
  const dir = makeTestDir('fuzz-image');
  try {
    const log = createLogFile(dir, { termLength: LOG_TERM_LENGTH, initialTermId: 0 });
    const counters = new FakeCounters(4);
    const logBuffers = LogBuffers.map(log.path);
    logBuffers.incRef();
    const image = new Image({
      subscription: new FakeConductor(counters).newSubscription({ streamId: log.streamId }),
      sessionId: log.sessionId,
      subscriberPositionCounterId: SUBSCRIBER_POSITION_COUNTER_ID,
      logBuffers,
      errorHandler: (e) => observe(observed, e),
      sourceIdentity: 'aeron:ipc',
      correlationId: 1,
    });
    return { image, counters };
  } finally {
    removeDir(dir);
  }
}

export function imagePollTarget(): FuzzTarget<ImagePollInput> {
  const observed = new Map<string, number>();
  const { image, counters } = unlinkedImage(observed);
  const term = image.logBuffers.termBuffers[0] as AtomicBuffer;
  const folding = new SessionFoldingHeader(0, 16);
  const scan = new TermScanResult();
  const assembler = new FragmentAssembler((buffer, offset, length) => {
    buffer.getInt8(offset + Math.max(0, length - 1));
  });
  const resetter = new AssemblerReset(assembler);
  const onFragment: FragmentHandler = (buffer, offset, length, header) =>
    assembler.onFragment(buffer, offset, length, folding.foldFrom(header));
  let actions: readonly ControlledAction[] = [];
  let nextAction = 0;
  const onControlledFragment: ControlledFragmentHandler = (buffer, offset, length, header) => {
    assembler.onFragment(buffer, offset, length, folding.foldFrom(header));
    return actions[nextAction++ % actions.length] as ControlledAction;
  };
  const onBlock = (buffer: AtomicBuffer, offset: number, length: number): void => {
    buffer.getInt8(offset + Math.max(0, length - 1));
  };
  const scratch = new Uint8Array(2 ** MAX_TERM_LOG2 + MAX_GROWTH * MAX_MUTATIONS);
  const scratchView = new DataView(scratch.buffer);
  return {
    name: 'client:image-poll',
    layer: 'client',
    allowedName: 'TransportError (blockPoll, scanners); the other polls never throw',
    allowed: isTransportError,
    observed,
    arbitrary: () =>
      fc.record({
        termLog2: fc.integer({ min: MIN_TERM_LOG2, max: MAX_TERM_LOG2 }),
        fillSeed: fc.integer(),
        frames: fc.array(frameArb, { maxLength: 24 }),
        mutations: fc.option(mutationsArb),
        termOffset: fc.oneof(
          fc.constant(0),
          fc.nat(8192).map((n) => n & ~31),
          fc.integer({ min: -64, max: 9000 }),
        ),
        fragmentsLimit: fc.integer({ min: 1, max: 64 }),
        maxLength: fc.integer({ min: -32, max: 10_000 }),
        mode: fc.constantFrom(...POLL_MODES),
        actions: fc.array(
          fc.constantFrom(
            ControlledAction.CONTINUE,
            ControlledAction.COMMIT,
            ControlledAction.BREAK,
            ControlledAction.ABORT,
          ),
          { minLength: 1, maxLength: 4 },
        ),
      }),
    execute(input) {
      const termLength = 2 ** input.termLog2;
      const regionStart = LOG_TERM_LENGTH - termLength;
      scratch.fill(0, 0, termLength);
      if (input.frames.length === 0) fillSeeded(scratch, input.fillSeed, 0, termLength);
      let offset = 0;
      for (const f of input.frames) {
        if (offset + 32 > termLength) break;
        writeFrame(scratchView, offset, f.length, f.flags, f.type, regionStart + offset, f.session);
        offset += f.length > 0 && f.length < termLength ? (f.length + 31) & ~31 : 32;
      }
      const length =
        input.mutations === null ? termLength : Math.min(termLength, mutateInto(scratch, termLength, input.mutations));
      term.bytes.fill(0, LOG_TERM_LENGTH - 2 ** MAX_TERM_LOG2);
      term.bytes.set(scratch.subarray(0, length), regionStart);
      resetter.reset();
      const start = regionStart + (input.termOffset & ~(FRAME_ALIGNMENT - 1));
      counters.set(SUBSCRIBER_POSITION_COUNTER_ID, start);
      actions = input.actions;
      nextAction = 0;
      // Every poll but blockPoll must not throw whatever the frames say: errors go to the image's error handler.
      const read = poll(image, input, start, onFragment, onControlledFragment, onBlock);
      const counted = input.mode !== 'blockPoll' && input.mode !== 'controlledPeek';
      // A padding length near 2^31 (see below): blockPoll's length and controlledPeek's position go negative/back.
      if (read < 0 && !counted) observe(observed, `${input.mode} went back`);
      else if (read < 0 || (counted && read > input.fragmentsLimit)) {
        throw new Error(`${input.mode} returned ${read} (limit ${input.fragmentsLimit})`);
      }
      // As Aeron's Image: a frame length near 2^31 wraps the int32 offset (align overflows), so the position moves
      // far past the term or, through a COMMIT, back. Only a hostile writer of the log can do it: observed, not failed.
      if (image.position < start) observe(observed, 'position moved back');
      else if (image.position > start - (start % LOG_TERM_LENGTH) + LOG_TERM_LENGTH) {
        observe(observed, 'position past the term end');
      }
      try {
        scanForAvailability(term, start, input.maxLength, scan);
      } catch (e) {
        if (!isTransportError(e)) throw e;
      }
      try {
        scanForGap(term, 0, start, Math.min(LOG_TERM_LENGTH, start + Math.max(0, input.maxLength)), noGap);
      } catch (e) {
        if (!isTransportError(e)) throw e;
      }
    },
  };
}

/**
 * One poll of `image` in the input's mode; returns what it returns (fragments, or bytes for blockPoll; for
 * controlledPeek 0, or -1 when the peeked position is below the start).
 */
function poll(
  image: Image,
  input: ImagePollInput,
  start: number,
  onFragment: FragmentHandler,
  onControlledFragment: ControlledFragmentHandler,
  onBlock: (buffer: AtomicBuffer, offset: number, length: number) => void,
): number {
  switch (input.mode) {
    case 'poll':
      return image.poll(onFragment, input.fragmentsLimit);
    case 'boundedPoll':
      return image.boundedPoll(onFragment, start + input.maxLength, input.fragmentsLimit);
    case 'controlledPoll':
      return image.controlledPoll(onControlledFragment, input.fragmentsLimit);
    case 'controlledPeek': {
      // A padding length near 2^31 wraps the int32 offset: the peeked position goes back, as in Java.
      if (image.controlledPeek(start, onControlledFragment, start + input.maxLength) < start) return -1;
      return 0;
    }
    case 'blockPoll':
      return image.blockPoll(onBlock, input.maxLength);
  }
}

const noGap = (): void => {};
