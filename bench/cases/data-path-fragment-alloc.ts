/**
 * Heap bytes per message when fragmented messages are appended and reassembled (no driver: the in-memory
 * IPC fixture of harness/ipc-fixture.ts), run by test/client/fragment-alloc.test.ts in a fresh child
 * process (bench/lib/ts-child.ts): the JIT state another test file leaves in a shared vitest worker can
 * make the same code allocate, so the measurement needs its own isolate.
 *
 * An exclusive publication fragments a 4-fragment message into the term and an `ImageFragmentAssembler`
 * reassembles it. Heap growth is measured per chunk of messages, the offer half and the poll half apart,
 * chunks overlapping a GC left out (as data-path-measure.ts does). A warm-up round first (interpreter and
 * baseline code box doubles); then up to `rounds` rounds, stopping at the first within `toleranceBytes`.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { IpcFixture, payload } from '../../harness/ipc-fixture.ts';
import { makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import { ImageFragmentAssembler } from '../../src/client/image-fragment-assembler.ts';
import type { ReadableBuffer } from '../../src/logbuffer/index.ts';
import type { Sample } from '../lib/bench-case.ts';

export interface FragmentAllocArgs {
  readonly termLength: number;
  readonly mtu: number;
  readonly chunk: number;
  readonly chunks: number;
  readonly rounds: number;
  readonly toleranceBytes: number;
}

interface Round {
  readonly offerBytesPerMessage: number;
  readonly pollBytesPerMessage: number;
  readonly countedChunks: number;
}

function usedHeap(): number {
  return getHeapStatistics().used_heap_size;
}

export async function measureFragmentAlloc(args: FragmentAllocArgs): Promise<Sample> {
  const dir = makeTestDir('fragment-alloc');
  const f = new IpcFixture('exclusive', dir, {
    termLength: args.termLength,
    mtu: args.mtu,
  }) as IpcFixture<ExclusivePublication>;
  try {
    const { chunk: CHUNK, chunks: CHUNKS } = args;
    const maxPayload = f.publication.maxPayloadLength;
    const message = payload(4 * maxPayload - 100, 3);
    let delivered = 0;
    let checksum = 0;
    const assembler = new ImageFragmentAssembler((buffer: ReadableBuffer, offset: number, length: number) => {
      delivered++;
      checksum += length + buffer.getInt8(offset + length - 1);
    });
    const handler = assembler.onFragment;
    const image = f.image;
    const offerChunk = (): void => {
      for (let i = 0; i < CHUNK; i++) {
        let result = f.publication.offer(message);
        if (result === -3) result = f.publication.offer(message); // ADMIN_ACTION: the term rotated
        if (result < 0) throw new Error(`offer refused inside a chunk: ${result}`);
      }
    };
    const pollChunk = (): void => {
      const target = delivered + CHUNK;
      for (let polls = 0; delivered < target; polls++) {
        image.poll(handler, 16);
        if (polls > CHUNK * 100) throw new Error('messages missing');
      }
    };
    const makeRoom = (): void => {
      // the fake driver's duty (limit and cleaning) runs between chunks, outside the measured windows
      f.driver.duty();
      if (f.publication.availableWindow() < CHUNK * 2 * message.length) throw new Error('window too small');
    };

    let overhead = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 100; i++) {
      const before = usedHeap();
      overhead = Math.min(overhead, usedHeap() - before);
    }

    const round = async (): Promise<Round> => {
      const windows: Array<readonly [number, number]> = [];
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) windows.push([e.startTime, e.startTime + e.duration]);
      });
      observer.observe({ entryTypes: ['gc'] });
      const spans = new Float64Array(CHUNKS * 4);
      const deltas = new Float64Array(CHUNKS * 2);
      for (let c = 0; c < CHUNKS; c++) {
        makeRoom();
        spans[c * 4] = performance.now();
        let before = usedHeap();
        offerChunk();
        deltas[c * 2] = usedHeap() - before;
        spans[c * 4 + 1] = performance.now();
        f.driver.duty();
        spans[c * 4 + 2] = performance.now();
        before = usedHeap();
        pollChunk();
        deltas[c * 2 + 1] = usedHeap() - before;
        spans[c * 4 + 3] = performance.now();
      }
      await new Promise((r) => setTimeout(r, 50));
      observer.disconnect();
      const clean = (t0: number, t1: number): boolean => !windows.some(([g0, g1]) => g0 <= t1 && g1 >= t0);
      let offerBytes = 0;
      let pollBytes = 0;
      let counted = 0;
      for (let c = 0; c < CHUNKS; c++) {
        if (!clean(spans[c * 4]!, spans[c * 4 + 1]!) || !clean(spans[c * 4 + 2]!, spans[c * 4 + 3]!)) continue;
        offerBytes += Math.max(0, deltas[c * 2]! - overhead);
        pollBytes += Math.max(0, deltas[c * 2 + 1]! - overhead);
        counted++;
      }
      const messages = Math.max(1, counted * CHUNK);
      return {
        offerBytesPerMessage: offerBytes / messages,
        pollBytesPerMessage: pollBytes / messages,
        countedChunks: counted,
      };
    };

    await round(); // warm-up: interpreter and baseline code allocate (boxed doubles), optimised code must not
    const rounds: Round[] = [];
    for (let attempt = 0; attempt < args.rounds; attempt++) {
      const r = await round();
      rounds.push(r);
      if (
        r.countedChunks >= CHUNKS / 3 &&
        r.offerBytesPerMessage < args.toleranceBytes &&
        r.pollBytesPerMessage < args.toleranceBytes
      ) {
        break;
      }
    }
    const last = rounds[rounds.length - 1]!;
    return {
      value: Math.max(last.offerBytesPerMessage, last.pollBytesPerMessage),
      detail: {
        offerBytesPerMessage: last.offerBytesPerMessage,
        pollBytesPerMessage: last.pollBytesPerMessage,
        countedChunks: last.countedChunks,
        rounds: JSON.stringify(rounds),
        delivered,
        checksum,
      },
    };
  } finally {
    f.close();
    removeDir(dir);
  }
}
