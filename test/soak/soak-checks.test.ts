/** The soak's own checks detect what they claim to: SequenceChecker classification and the flat-memory verdict. */
import { describe, expect, it } from 'vitest';
import { fillMessage, MessageSizes } from '../support/message-pattern.ts';
import type { ResourceSample } from './resource-sample.ts';
import { SequenceChecker } from './sequence-checker.ts';
import { emptySoakTotals, judge } from './soak-verdict.ts';

const SEED = 77;
const sizes = new MessageSizes('random:3:8:300');

function deliver(checker: SequenceChecker, index: number, seed = SEED, corruptAt = -1): void {
  const length = sizes.sizeOf(index);
  fillMessage(checker.scratch, 0, length, seed, index);
  if (corruptAt >= 0) checker.scratch[corruptAt] = (checker.scratch[corruptAt] ?? 0) ^ 0xff;
  checker.onMessage(length);
}

describe('SequenceChecker', () => {
  it('accepts a range delivered exactly once, in order', () => {
    const checker = new SequenceChecker('t', SEED, sizes, 5, 25);
    for (let i = 5; i < 25; i++) deliver(checker, i);
    checker.finish();
    expect(checker.done).toBe(true);
    expect(checker.received).toBe(20);
    expect(checker.problems).toBe(0);
  });

  it('counts gaps as lost, repeats as duplicated, bad bytes as corrupted, strangers as unexpected', () => {
    const checker = new SequenceChecker('t', SEED, sizes, 0, 10);
    deliver(checker, 0);
    deliver(checker, 3); // 1, 2 lost
    deliver(checker, 3); // duplicate
    deliver(checker, 4, SEED, 9); // corrupted payload byte
    deliver(checker, 5, SEED + 1); // foreign seed
    deliver(checker, 12); // beyond the range
    checker.finish(); // 5..9 never arrived
    expect(checker.lost).toBe(2 + 5);
    expect(checker.duplicated).toBe(1);
    expect(checker.corrupted).toBe(1);
    expect(checker.unexpected).toBe(2);
    expect(checker.received).toBe(2);
  });
});

function sample(elapsedMs: number, heapUsed: number, aeronMappings = 3): ResourceSample {
  return {
    elapsedMs,
    gc: true,
    heapUsed,
    heapTotal: 2 * heapUsed,
    rss: 100e6,
    external: 50e6,
    arrayBuffers: 1e5,
    handles: 3,
    handlesByKind: { Timeout: 3 },
    aeronMappings,
    mappings: 450,
    fds: 30,
    counters: 90,
    driverErrors: 0,
    archiveErrors: 0,
    controlSessions: 1,
  };
}

describe('judge', () => {
  const totals = () => {
    const t = emptySoakTotals();
    t.rounds = 1;
    t.live.received = 1;
    t.replay.received = 1;
    return t;
  };

  it('passes flat samples, baseline taken after warm-up', () => {
    const samples = [sample(0, 10e6), sample(60_000, 16e6), sample(120_000, 17e6)];
    expect(judge(totals(), samples, 60_000).filter((c) => !c.ok)).toEqual([]);
  });

  it('fails a heap that grew past the tolerance and a mapping that stayed', () => {
    const samples = [sample(0, 10e6), sample(60_000, 16e6), sample(120_000, 40e6, 4)];
    const failed = judge(totals(), samples, 60_000)
      .filter((c) => !c.ok)
      .map((c) => c.name);
    expect(failed).toEqual(['flat heapUsed after GC', 'flat aeron-dir mappings']);
  });

  it('fails on any lost message', () => {
    const t = totals();
    t.replay.lost = 1;
    const failed = judge(t, [sample(0, 1e6)], 0).filter((c) => !c.ok);
    expect(failed.map((c) => c.name)).toEqual(['lost']);
  });
});
