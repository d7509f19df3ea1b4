/**
 * The archive client's idle strategy (Java `AeronArchive.Context.idleStrategy()` on the event loop): the
 * ready-made strategies' answers, and that the servicing loop consults the context's strategy while a call awaits
 * its answer (reset when a call starts, `idle(workCount)` after each poll) and while connecting.
 */
import { describe, expect, it } from 'vitest';
import { ControlResponseCode } from '../../codecs/generated/archive/index.ts';
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { resolveContext } from '../../src/archive/archive-context.ts';
import {
  ArchiveIdleStrategies,
  type ArchiveIdleStrategy,
  BackoffArchiveIdleStrategy,
} from '../../src/archive/archive-idle-strategy.ts';
import { awaitCondition } from '../support/wait.ts';
import { archiveOptions, connectFake } from './support/connect.ts';
import { FakeArchive } from './support/fake-archive.ts';

const RECORDING_POSITION_REQUEST = 12;

/** A strategy that records how it is consulted and answers `delayMs`. */
class RecordingIdleStrategy implements ArchiveIdleStrategy {
  readonly workCounts: number[] = [];
  resets = 0;

  constructor(private readonly delayMs = 0) {}

  idle(workCount: number): number {
    this.workCounts.push(workCount);
    return this.delayMs;
  }

  reset(): void {
    this.resets++;
  }
}

describe('ArchiveIdleStrategies', () => {
  it("backoff() follows Java's BackoffIdleStrategy(10, 20, 1 µs, 1 ms): 32 immediate re-polls, then doubling parks", () => {
    const backoff = ArchiveIdleStrategies.backoff();
    const answers = Array.from({ length: 45 }, () => backoff.idle(0));
    expect(answers.slice(0, 32)).toEqual(Array(32).fill(0));
    expect(answers.slice(32, 43)).toEqual([0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1]);
    expect(answers.slice(43)).toEqual([1, 1]);
    // Work, or a reset, starts it over.
    expect(backoff.idle(3)).toBe(0);
    expect(Array.from({ length: 33 }, () => backoff.idle(0)).at(-1)).toBe(0.001);
    backoff.reset();
    expect(backoff.idle(0)).toBe(0);
  });

  it('backoff(options) uses its spins, yields and park bounds, and rejects bad ones', () => {
    const backoff = new BackoffArchiveIdleStrategy({ maxSpins: 0, maxYields: 0, minParkMs: 5, maxParkMs: 12 });
    expect(Array.from({ length: 6 }, () => backoff.idle(0))).toEqual([0, 0, 0, 5, 10, 12]);
    expect(() => ArchiveIdleStrategies.backoff({ minParkMs: 2, maxParkMs: 1 })).toThrow(InvalidArgumentError);
    expect(() => ArchiveIdleStrategies.backoff({ maxSpins: -1 })).toThrow(InvalidArgumentError);
  });

  it('sleeping(ms) waits ms after an empty poll and 0 after work; yielding() always re-polls at once', () => {
    const sleeping = ArchiveIdleStrategies.sleeping(50);
    expect([sleeping.idle(0), sleeping.idle(2), sleeping.idle(0)]).toEqual([50, 0, 50]);
    expect(() => ArchiveIdleStrategies.sleeping(0)).toThrow(InvalidArgumentError);
    expect(() => ArchiveIdleStrategies.sleeping(Number.NaN)).toThrow(InvalidArgumentError);
    const yielding = ArchiveIdleStrategies.yielding();
    expect([yielding.idle(0), yielding.idle(5)]).toEqual([0, 0]);
  });

  it('defaults the context to a backoff strategy, one per client', () => {
    const a = resolveContext(archiveOptions(new FakeArchive()));
    const b = resolveContext(archiveOptions(new FakeArchive()));
    expect(a.idleStrategy).toBeInstanceOf(BackoffArchiveIdleStrategy);
    expect(a.idleStrategy).not.toBe(b.idleStrategy);
    const mine = ArchiveIdleStrategies.yielding();
    expect(resolveContext(archiveOptions(new FakeArchive(), { idleStrategy: mine })).idleStrategy).toBe(mine);
  });
});

describe('AeronArchive with an idle strategy', () => {
  it('consults the strategy while a call awaits its answer: reset at the start, idle(0) per empty poll', async () => {
    const strategy = new RecordingIdleStrategy(1);
    const { fake, archive } = await connectFake({}, { idleStrategy: strategy });
    fake.silent.add(RECORDING_POSITION_REQUEST);
    const resetsBefore = strategy.resets;
    const idlesBefore = strategy.workCounts.length;

    const pending = archive.getRecordingPosition(1);
    await awaitCondition(
      'five idle calls while the answer is pending',
      () => strategy.workCounts.length >= idlesBefore + 5,
      10_000,
    );
    expect(strategy.resets).toBe(resetsBefore + 1);
    expect(strategy.workCounts.slice(idlesBefore).every((w) => w === 0)).toBe(true);

    fake.sendResponse(archive.lastCorrelationId(), ControlResponseCode.OK, 4321);
    expect(await pending).toBe(4321);

    // A second call starts a fresh wait.
    const second = archive.getRecordingPosition(2);
    await awaitCondition('the second reset', () => strategy.resets === resetsBefore + 2, 10_000);
    fake.sendResponse(archive.lastCorrelationId(), ControlResponseCode.OK, 99);
    expect(await second).toBe(99);
  });

  it('passes the fragments a poll consumed as the work count', async () => {
    const strategy = new RecordingIdleStrategy(1);
    const { fake, archive } = await connectFake({}, { idleStrategy: strategy });
    fake.silent.add(RECORDING_POSITION_REQUEST);
    const idlesBefore = strategy.workCounts.length;
    const pending = archive.getRecordingPosition(1);
    await awaitCondition(
      'an idle call while the answer is pending',
      () => strategy.workCounts.length > idlesBefore,
      10_000,
    );
    expect(fake.lastRequest().name).toBe('RecordingPositionRequest');
    const from = strategy.workCounts.length;
    // Messages for another session are consumed (work) but do not answer the call.
    fake.sendResponse(archive.lastCorrelationId(), ControlResponseCode.OK, 1, '', fake.controlSessionId + 1);
    fake.sendResponse(archive.lastCorrelationId(), ControlResponseCode.OK, 2, '', fake.controlSessionId + 1);
    await awaitCondition('an idle call with work', () => strategy.workCounts.slice(from).some((w) => w > 0), 10_000);
    expect(strategy.workCounts.slice(from).reduce((sum, w) => sum + w, 0)).toBe(2);
    fake.sendResponse(archive.lastCorrelationId(), ControlResponseCode.OK, 3);
    expect(await pending).toBe(3);
  });

  it('paces the connect with the strategy (reset when a step moves on) and works with sleeping()', async () => {
    const strategy = new RecordingIdleStrategy(0);
    await connectFake({}, { idleStrategy: strategy });
    expect(strategy.resets).toBeGreaterThan(1);

    const slow = await connectFake({}, { idleStrategy: ArchiveIdleStrategies.sleeping(20) });
    slow.fake.answers.set(RECORDING_POSITION_REQUEST, 77);
    expect(await slow.archive.getRecordingPosition(3)).toBe(77);
  });
});
