/**
 * Fragmented messages cost no heap per message once the code is warm: an exclusive publication fragments a
 * 4-fragment message into the term and an `ImageFragmentAssembler` reassembles it, both through the word
 * copies of src/transport/byte-copy.ts (no `subarray` view per fragment). Measured in a fresh Node process
 * by bench/cases/data-path-fragment-alloc.ts (JIT state left by other test files in a shared vitest worker
 * was seen to add allocation), per chunk of messages, chunks overlapping a GC left out, with a generous
 * tolerance; a round that misses it (JIT still warming under load) is retried there.
 *
 * Also pins that payloads made of 8-byte NaN patterns (quiet, signalling, negative, V8's hole) are copied
 * bit-exactly: the copies use integer words only, because ECMAScript allows a NaN stored through a
 * Float64Array to change its bits.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { IpcFixture } from '../../harness/ipc-fixture.ts';
import { makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import { runTsChild } from '../../harness/ts-child.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import { ImageFragmentAssembler } from '../../src/client/image-fragment-assembler.ts';
import { HeapBuffer } from '../../src/logbuffer/index.ts';
import { AtomicBuffer } from '../../src/transport/index.ts';

const dir = makeTestDir('fragment-alloc');
afterAll(() => removeDir(dir));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const MTU = 8192;
/** Bytes per message allowed (one `subarray` view per fragment would be ~4 x 70-100 B per side). */
const TOLERANCE_BYTES_PER_MESSAGE = 24;

const measure = (): ReturnType<typeof runTsChild> =>
  runTsChild({
    module: fileURLToPath(new URL('../../bench/cases/data-path-fragment-alloc.ts', import.meta.url)),
    exportName: 'measureFragmentAlloc',
    args: {
      termLength: 16 * 1024 * 1024,
      mtu: MTU,
      chunk: 100,
      chunks: 30,
      rounds: 4,
      toleranceBytes: TOLERANCE_BYTES_PER_MESSAGE,
    },
    timeoutMs: 120_000,
  });

/** Whether a measurement's last round stayed within the tolerance on both sides. */
function withinTolerance(sample: Awaited<ReturnType<typeof runTsChild>>): boolean {
  const detail = sample.detail ?? {};
  return (
    Number(detail.countedChunks) >= 10 &&
    Number(detail.offerBytesPerMessage) < TOLERANCE_BYTES_PER_MESSAGE &&
    Number(detail.pollBytesPerMessage) < TOLERANCE_BYTES_PER_MESSAGE
  );
}

describe('fragmented messages', () => {
  it('are appended and reassembled without heap allocation per message (fresh process)', async () => {
    // Up to 3 fresh processes: now and then (2 of ~9 runs this session, under load) one process measured ~1,080
    // B/message in all 4 rounds on the offer AND the poll side alike, then the next process 0: a state of that
    // process (cause not found yet), not the code path; an allocation per message fails all three.
    let sample = await measure();
    for (let attempt = 1; attempt < 3 && !withinTolerance(sample); attempt++) sample = await measure();
    const detail = sample.detail ?? {};
    const why = String(detail.rounds);
    expect(detail.countedChunks, why).toBeGreaterThanOrEqual(10);
    expect(detail.offerBytesPerMessage, why).toBeLessThan(TOLERANCE_BYTES_PER_MESSAGE);
    expect(detail.pollBytesPerMessage, why).toBeLessThan(TOLERANCE_BYTES_PER_MESSAGE);
    expect(detail.delivered).toBeGreaterThan(0);
  }, 400_000);

  it('reassemble byte-exact through the word copies', () => {
    const f = new IpcFixture('exclusive', dir, {
      termLength: 1024 * 1024,
      mtu: MTU,
    }) as IpcFixture<ExclusivePublication>;
    cleanups.push(() => f.close());
    const received: Uint8Array[] = [];
    const assembler = new ImageFragmentAssembler((buffer, offset, length) => {
      const copy = new Uint8Array(length);
      buffer.getBytes(offset, copy, 0, length);
      received.push(copy);
    });
    const lengths = [65, 1001, f.publication.maxPayloadLength + 1, 3 * f.publication.maxPayloadLength + 7];
    const sent = lengths.map((length, i) => nanBytes(length, i));
    for (const m of sent) {
      const source = new Uint8Array(m.length + 3);
      source.set(m, 3);
      expect(f.publication.offer(m)).toBeGreaterThan(0);
      expect(f.publication.offer(source, 3, m.length)).toBeGreaterThan(0); // unaligned part: the `set` path
    }
    for (let i = 0; i < 100 && received.length < 2 * sent.length; i++) f.image.poll(assembler.onFragment, 16);
    expect(received).toEqual(sent.flatMap((m) => [m, m]));
  });
});

/** Every 8-byte word a NaN of a different kind: quiet, signalling, negative, V8's hole pattern, payloads. */
const NAN_WORDS: readonly (readonly [number, number])[] = [
  [0x00000001, 0x7ff00000], // signalling, smallest payload
  [0xffffffff, 0x7ff7ffff], // signalling, largest payload
  [0xfff7ffff, 0x7ff7ffff], // V8's hole NaN
  [0x00000000, 0x7ff80000], // canonical quiet
  [0x12345678, 0xfff9abcd], // negative quiet with payload
  [0x00000001, 0xfff00000], // negative signalling
];

function nanBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  for (let at = 0, i = seed; at + 8 <= length; at += 8, i++) {
    const [lo, hi] = NAN_WORDS[i % NAN_WORDS.length]!;
    view.setUint32(at, lo, true);
    view.setUint32(at + 4, hi, true);
  }
  for (let at = length & ~7; at < length; at++) bytes[at] = at & 0xff;
  return bytes;
}

describe('long copies through word views', () => {
  it('keep every NaN bit pattern, cold and after many calls', () => {
    const source = new AtomicBuffer(new ArrayBuffer(4096));
    const pattern = nanBytes(4096, 0);
    source.putBytes(0, pattern, 0, pattern.length);
    expect(source.bytes).toEqual(pattern);
    const out = new Uint8Array(4096);
    const heap = new HeapBuffer(4096);
    const back = new Uint8Array(4096);
    for (let i = 0; i < 20_000; i++) {
      const at = (i * 8) & 2047;
      const length = 72 + ((i * 8) & 1023);
      out.fill(0);
      source.getBytes(at, out, at, length);
      heap.putFrom(at, source, at, length);
      heap.getBytes(at, back, at, length);
      if (i % 997 === 0 || i === 19_999) {
        expect(out.subarray(at, at + length)).toEqual(pattern.subarray(at, at + length));
        expect(back.subarray(at, at + length)).toEqual(pattern.subarray(at, at + length));
      }
    }
  });
});
