/**
 * The write paths beside `offer` cost no heap per message once the code is warm: `tryClaim` + `putBytes` + `commit`
 * on an exclusive and on a concurrent publication, and `offerBlock` of a pre-formatted frame. Measured in a fresh
 * Node process by bench/micro/claim-alloc.ts (JIT state left by other test files in a shared vitest worker was seen
 * to add allocation), per chunk of messages, chunks overlapping a GC left out, with a tolerance far below one
 * object per message; a round that misses it (JIT still warming under load) is retried there, and a process that
 * misses it in every round is retried once (as fragment-alloc.test.ts: a state of one process, not the code path,
 * was seen there; an allocation per message fails both).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTsChild } from '../../harness/ts-child.ts';

/** Bytes per message allowed: the smallest heap object is 12-16 B, so one per message fails. */
const TOLERANCE_BYTES_PER_MESSAGE = 8;
const PATHS = ['exclusiveClaimBytesPerMessage', 'concurrentClaimBytesPerMessage', 'offerBlockBytesPerMessage'] as const;

const measure = (): ReturnType<typeof runTsChild> =>
  runTsChild({
    module: fileURLToPath(new URL('../../bench/micro/claim-alloc.ts', import.meta.url)),
    exportName: 'measureClaimAlloc',
    args: { chunk: 200, chunks: 30, rounds: 4, toleranceBytes: TOLERANCE_BYTES_PER_MESSAGE },
    timeoutMs: 120_000,
  });

function withinTolerance(sample: Awaited<ReturnType<typeof runTsChild>>): boolean {
  const detail = sample.detail ?? {};
  return (
    Number(detail.countedChunks) >= 10 && PATHS.every((path) => Number(detail[path]) < TOLERANCE_BYTES_PER_MESSAGE)
  );
}

describe('tryClaim/commit and offerBlock', () => {
  it('write without heap allocation per message (fresh process)', async () => {
    let sample = await measure();
    if (!withinTolerance(sample)) sample = await measure();
    const detail = sample.detail ?? {};
    const why = String(detail.rounds);
    expect(detail.countedChunks, why).toBeGreaterThanOrEqual(10);
    for (const path of PATHS) expect(detail[path], `${path}: ${why}`).toBeLessThan(TOLERANCE_BYTES_PER_MESSAGE);
    expect(detail.delivered).toBeGreaterThan(0);
  }, 300_000);
});
