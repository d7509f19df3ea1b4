/**
 * Heap bytes per message of the other write paths than `offer`: `tryClaim` + `putBytes` + `commit` on an exclusive
 * and on a concurrent publication, and `offerBlock` of one pre-formatted 64-byte frame on an exclusive one (no
 * driver: the in-memory IPC fixture of harness/ipc-fixture.ts). Run by test/client/claim-alloc.test.ts in a fresh
 * child process (harness/ts-child.ts), as bench/cases/data-path-fragment-alloc.ts is for fragments: the JIT state
 * another test file leaves in a shared vitest worker can make the same code allocate.
 *
 * Heap growth is measured per chunk of messages, chunks overlapping a GC left out; the reader's poll and the fake
 * driver's duty run between chunks, outside the measured windows. A warm-up round first (interpreter and baseline
 * code box doubles), then up to `rounds` rounds, stopping at the first where every path is within `toleranceBytes`.
 *
 * ```bash
 * node --import tsx harness/ts-child-main.ts "$PWD/bench/micro/claim-alloc.ts" measureClaimAlloc \
 *   '{"chunk":200,"chunks":30,"rounds":4,"toleranceBytes":8}'
 * ```
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { IpcFixture } from '../../harness/ipc-fixture.ts';
import type { Sample } from '../../harness/sample.ts';
import { makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import type { ConcurrentPublication } from '../../src/client/concurrent-publication.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import { BufferClaim, HDR_TYPE_DATA, HEADER_LENGTH } from '../../src/logbuffer/index.ts';

/** Arguments of {@link measureClaimAlloc}. */
export interface ClaimAllocArgs {
  /** Messages per measured chunk. */
  readonly chunk: number;
  /** Chunks per round. */
  readonly chunks: number;
  /** Rounds after the warm-up, at most. */
  readonly rounds: number;
  /** Bytes per message a path may show and pass. */
  readonly toleranceBytes: number;
}

/** The paths measured, by name. */
const PATHS = ['exclusiveClaim', 'concurrentClaim', 'offerBlock'] as const;
type PathName = (typeof PATHS)[number];

const PAYLOAD_LENGTH = 32;
const BLOCK_LENGTH = 64;
const ADMIN_ACTION = -3;
const UNFRAGMENTED_FLAGS = 0xc0;
const TERM_LENGTH = 16 * 1024 * 1024;

function usedHeap(): number {
  return getHeapStatistics().used_heap_size;
}

/** One measured path: a chunk of writes (timed for heap), then the untimed drain. */
interface Path {
  readonly name: PathName;
  write(): void;
  drain(): void;
}

function drainer(f: IpcFixture<ConcurrentPublication | ExclusivePublication>, counter: { n: number }): () => void {
  const handler = (): void => {
    counter.n++;
  };
  return () => {
    f.driver.duty();
    while (f.image.poll(handler, 1 << 20) > 0) f.driver.duty();
    f.driver.duty();
  };
}

function claimPath(
  name: PathName,
  f: IpcFixture<ConcurrentPublication | ExclusivePublication>,
  chunk: number,
  counter: { n: number },
): Path {
  const claim = new BufferClaim();
  const message = new Uint8Array(PAYLOAD_LENGTH).fill(7);
  const publication = f.publication;
  return {
    name,
    write: () => {
      for (let i = 0; i < chunk; i++) {
        let result = publication.tryClaim(PAYLOAD_LENGTH, claim);
        if (result === ADMIN_ACTION) result = publication.tryClaim(PAYLOAD_LENGTH, claim);
        if (result < 0) throw new Error(`${name}: tryClaim refused inside a chunk: ${result}`);
        claim.putBytes(0, message, 0, PAYLOAD_LENGTH);
        claim.commit();
      }
    },
    drain: drainer(f, counter),
  };
}

function offerBlockPath(f: IpcFixture<ExclusivePublication>, chunk: number, counter: { n: number }): Path {
  const publication = f.publication;
  const block = new Uint8Array(BLOCK_LENGTH);
  const view = new DataView(block.buffer);
  view.setInt32(0, BLOCK_LENGTH, true);
  view.setUint8(4, 0); // version
  view.setUint8(5, UNFRAGMENTED_FLAGS);
  view.setUint16(6, HDR_TYPE_DATA, true);
  view.setInt32(12, publication.sessionId, true);
  view.setInt32(16, publication.streamId, true);
  block.fill(9, HEADER_LENGTH);
  return {
    name: 'offerBlock',
    write: () => {
      for (let i = 0; i < chunk; i++) {
        if (publication.termOffset >= TERM_LENGTH) {
          // a full term: the block goes into the next one (offerBlock rotates first)
          view.setInt32(8, 0, true);
          view.setInt32(20, (publication.termId + 1) | 0, true);
        } else {
          view.setInt32(8, publication.termOffset, true);
          view.setInt32(20, publication.termId, true);
        }
        const result = publication.offerBlock(block, 0, BLOCK_LENGTH);
        if (result < 0) throw new Error(`offerBlock refused inside a chunk: ${result}`);
      }
    },
    drain: drainer(f, counter),
  };
}

/** Heap bytes per message of each path (see the module comment). */
export async function measureClaimAlloc(args: ClaimAllocArgs): Promise<Sample> {
  const dir = makeTestDir('claim-alloc');
  const counter = { n: 0 };
  const exclusive = new IpcFixture('exclusive', dir, {
    termLength: TERM_LENGTH,
    sessionId: 7001,
    correlationId: 71,
  }) as IpcFixture<ExclusivePublication>;
  const concurrent = new IpcFixture('concurrent', dir, {
    termLength: TERM_LENGTH,
    sessionId: 7002,
    correlationId: 72,
  }) as IpcFixture<ConcurrentPublication>;
  const block = new IpcFixture('exclusive', dir, {
    termLength: TERM_LENGTH,
    sessionId: 7003,
    correlationId: 73,
  }) as IpcFixture<ExclusivePublication>;
  try {
    const { chunk, chunks } = args;
    const paths: Path[] = [
      claimPath('exclusiveClaim', exclusive, chunk, counter),
      claimPath('concurrentClaim', concurrent, chunk, counter),
      offerBlockPath(block, chunk, counter),
    ];
    let overhead = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 100; i++) {
      const before = usedHeap();
      overhead = Math.min(overhead, usedHeap() - before);
    }

    const round = async (): Promise<Record<PathName, number> & { countedChunks: number }> => {
      const windows: Array<readonly [number, number]> = [];
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) windows.push([e.startTime, e.startTime + e.duration]);
      });
      observer.observe({ entryTypes: ['gc'] });
      const spans = new Float64Array(chunks * paths.length * 2);
      const deltas = new Float64Array(chunks * paths.length);
      for (let c = 0; c < chunks; c++) {
        for (let p = 0; p < paths.length; p++) {
          const path = paths[p]!;
          path.drain();
          const k = c * paths.length + p;
          spans[k * 2] = performance.now();
          const before = usedHeap();
          path.write();
          deltas[k] = usedHeap() - before;
          spans[k * 2 + 1] = performance.now();
        }
      }
      await new Promise((r) => setTimeout(r, 50));
      observer.disconnect();
      const clean = (t0: number, t1: number): boolean => !windows.some(([g0, g1]) => g0 <= t1 && g1 >= t0);
      const bytes = new Float64Array(paths.length);
      let counted = 0;
      for (let c = 0; c < chunks; c++) {
        let allClean = true;
        for (let p = 0; p < paths.length; p++) {
          const k = c * paths.length + p;
          if (!clean(spans[k * 2]!, spans[k * 2 + 1]!)) allClean = false;
        }
        if (!allClean) continue;
        for (let p = 0; p < paths.length; p++) bytes[p]! += Math.max(0, deltas[c * paths.length + p]! - overhead);
        counted++;
      }
      const messages = Math.max(1, counted * chunk);
      return {
        exclusiveClaim: bytes[0]! / messages,
        concurrentClaim: bytes[1]! / messages,
        offerBlock: bytes[2]! / messages,
        countedChunks: counted,
      };
    };

    await round(); // warm-up
    const rounds: Awaited<ReturnType<typeof round>>[] = [];
    for (let attempt = 0; attempt < args.rounds; attempt++) {
      const r = await round();
      rounds.push(r);
      if (r.countedChunks >= chunks / 3 && PATHS.every((name) => r[name] < args.toleranceBytes)) break;
    }
    const last = rounds[rounds.length - 1]!;
    for (const path of paths) path.drain();
    return {
      value: Math.max(last.exclusiveClaim, last.concurrentClaim, last.offerBlock),
      detail: {
        exclusiveClaimBytesPerMessage: last.exclusiveClaim,
        concurrentClaimBytesPerMessage: last.concurrentClaim,
        offerBlockBytesPerMessage: last.offerBlock,
        countedChunks: last.countedChunks,
        rounds: JSON.stringify(rounds),
        delivered: counter.n,
      },
    };
  } finally {
    exclusive.close();
    concurrent.close();
    block.close();
    removeDir(dir);
  }
}
