/**
 * `logbuffer:term-reader`: torn and garbage frames through `readTerm` (with a `FragmentAssembler`) and the
 * term scanners. `readTerm` routes handler errors to its error handler and must itself never throw; the
 * scanners may throw only `TransportError` (out-of-bounds or unaligned reads).
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
 * - reads through a `SessionFoldingHeader`, which maps every session id onto 0..2 (the generated ones;
 *   `Header.sessionId` is still called and may still throw). The assembler keys builders by session id and
 *   nothing else, so folding keeps every one of its paths (new builder, append, mismatch, growth); without
 *   it, random session ids of garbage and mutated frames each needed a fresh builder, hence a new 2 GiB one;
 * - resets the assembler to a fixed state before every input through its public API: each of the 3
 *   sessions gets a BEGIN frame with a fixed header, then a middle frame at a non-matching offset (the
 *   builder resets). Every input starts from that same state, so a failure replays from its seed and path;
 * - builds the term in a preallocated buffer per term length (one per `termLog2`) and mutates it in place
 *   (`mutateInto`, the same bytes `mutate` gives), so an input allocates nothing large.
 * The one difference from a fresh assembler: the 3 sessions own a reset builder (next term offset -1), so a
 * middle/end frame carrying term offset -1 appends to it instead of being ignored: a state a real assembler
 * reaches after a dropped message, so it adds a path rather than hiding one.
 */
import fc from 'fast-check';
import {
  BEGIN_AND_END_FLAGS,
  BEGIN_FLAG,
  END_FLAG,
  FLAGS_FIELD_OFFSET,
  FragmentAssembler,
  HDR_TYPE_DATA,
  HDR_TYPE_PAD,
  Header,
  readTerm,
  SESSION_ID_FIELD_OFFSET,
  scanForAvailability,
  scanForGap,
  scanTermBlock,
  TERM_ID_FIELD_OFFSET,
  TERM_OFFSET_FIELD_OFFSET,
  TermReadResult,
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

export interface TermInput {
  readonly termLog2: number;
  readonly fillSeed: number;
  readonly frames: readonly Frame[];
  readonly mutations: readonly Mutation[] | null;
  readonly termOffset: number;
  readonly fragmentsLimit: number;
  readonly maxLength: number;
}

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

export function termReaderTarget(): FuzzTarget<TermInput> {
  const observed = new Map<string, number>();
  const header = new SessionFoldingHeader(0, 16);
  const result = new TermReadResult();
  const scan = new TermScanResult();
  const onError = (e: unknown): void => observe(observed, e);
  const assembler = new FragmentAssembler((buffer, offset, length) => {
    buffer.getInt8(offset + Math.max(0, length - 1));
  });
  const resetter = new AssemblerReset(assembler);
  const terms: AtomicBuffer[] = [];
  for (let log2 = MIN_TERM_LOG2; log2 <= MAX_TERM_LOG2; log2++)
    terms.push(new AtomicBuffer(new ArrayBuffer(2 ** log2)));
  const scratch = new Uint8Array(2 ** MAX_TERM_LOG2 + MAX_GROWTH * MAX_MUTATIONS);
  const scratchView = new DataView(scratch.buffer);
  return {
    name: 'logbuffer:term-reader',
    layer: 'logbuffer',
    allowedName: 'TransportError (scanners); readTerm never throws',
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
      }),
    execute(input) {
      const termLength = 2 ** input.termLog2;
      const term = terms[input.termLog2 - MIN_TERM_LOG2] as AtomicBuffer;
      scratch.fill(0, 0, termLength);
      if (input.frames.length === 0) fillSeeded(scratch, input.fillSeed, 0, termLength);
      let offset = 0;
      for (const f of input.frames) {
        if (offset + 32 > termLength) break;
        writeFrame(scratchView, offset, f.length, f.flags, f.type, offset, f.session);
        offset += f.length > 0 && f.length < termLength ? (f.length + 31) & ~31 : 32;
      }
      const length =
        input.mutations === null ? termLength : Math.min(termLength, mutateInto(scratch, termLength, input.mutations));
      term.bytes.set(scratch.subarray(0, length));
      term.bytes.fill(0, length);
      // readTerm must not throw whatever the frames say; handler and read errors go to the error handler.
      resetter.reset();
      const start = input.termOffset;
      const read = readTerm(term, start, assembler.onFragment, input.fragmentsLimit, header, onError, result);
      if (read !== result.fragmentsRead || read > input.fragmentsLimit || read < 0) {
        throw new Error(`readTerm returned ${read}, result.fragmentsRead=${result.fragmentsRead}`);
      }
      // Same as Aeron's TermReader: a frame length near 2^31 overflows the int32 align and the offset goes
      // negative (the next read fails and goes to the error handler). Observed, not failed: see README P1.
      if (result.offset < start) observe(observed, new RangeError('readTerm offset moved backwards'));
      try {
        scanForAvailability(term, start, input.maxLength, scan);
      } catch (e) {
        if (!isTransportError(e)) throw e;
      }
      try {
        scanTermBlock(term, start, Math.min(termLength, start + Math.max(0, input.maxLength)));
      } catch (e) {
        if (!isTransportError(e)) throw e;
      }
      try {
        scanForGap(term, 0, start, Math.min(termLength, start + Math.max(0, input.maxLength)), noGap);
      } catch (e) {
        if (!isTransportError(e)) throw e;
      }
    },
  };
}

const noGap = (): void => {};
