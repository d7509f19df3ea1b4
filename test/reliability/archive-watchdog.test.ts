/**
 * The replay watchdog (`src/archive/replay-watchdog.ts`, row A7 / Aeron issue #1900) against a scripted
 * archive: no Java. Behaviour only: which outcome, which calls to the archive; never how long it took
 * (every wait is bounded by `within`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { ArchiveError, ArchiveNotConnectedError, ReplayStalledError, watchReplay } from '../../src/archive/index.ts';
import { within } from '../support/wait.ts';
import { ResourceTracker } from './support/resources.ts';

class ScriptedArchive {
  recorded: number;
  readonly stopped: bigint[] = [];
  queries = 0;
  failWith: Error | null = null;
  constructor(recorded: number) {
    this.recorded = recorded;
  }
  getMaxRecordedPosition(_recordingId: number): Promise<number> {
    this.queries++;
    return this.failWith === null ? Promise.resolve(this.recorded) : Promise.reject(this.failWith);
  }
  stopReplay(replaySessionId: bigint): Promise<void> {
    this.stopped.push(replaySessionId);
    return Promise.reject(new Error('already gone')); // a failure to stop is ignored
  }
}

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('A7 replay watchdog (scripted archive)', () => {
  // no data flows through a scripted archive: the loss/duplication check is the real-archive A7 in archive-storage
  let tracker: ResourceTracker;
  beforeEach(() => {
    tracker = new ResourceTracker();
  });
  afterEach(async () => {
    await tracker.settleTimers();
    tracker.release(); // the watchdog's timer is gone whatever the outcome
  });

  it('no progress while the recording has more → ReplayStalledError, replay stopped, timer released', async () => {
    const before = timers();
    const archive = new ScriptedArchive(4096);
    const image = { position: 1024 };
    const watch = watchReplay(archive, image, 7, { stallTimeoutMs: 50, checkIntervalMs: 5, replaySessionId: 99n });
    const error = await within(
      'stall',
      10_000,
      watch.done.then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(error).toBeInstanceOf(ReplayStalledError);
    expect(error).toBeInstanceOf(ArchiveError); // one catch (ArchiveError) covers it
    const stalled = error as ReplayStalledError;
    expect(stalled.code).toBe('REPLAY_STALLED');
    expect([stalled.recordingId, stalled.position, stalled.recordedPosition]).toEqual([7, 1024, 4096]);
    expect(stalled.message).toMatch(/recording 7 stalled.*position=1024, recorded position=4096/);
    expect(archive.stopped).toEqual([99n]);
    expect(timers()).toBe(before);
  });

  it('progress keeps it quiet; reaching endPosition resolves', async () => {
    const archive = new ScriptedArchive(1_000_000);
    const image = { position: 0 };
    const mover = setInterval(() => {
      image.position += 32;
    }, 5);
    try {
      const watch = watchReplay(archive, image, 1, { stallTimeoutMs: 200, checkIntervalMs: 5, endPosition: 3200 });
      await within('end', 20_000, watch.done);
      expect(image.position).toBeGreaterThanOrEqual(3200);
      expect(archive.stopped).toEqual([]);
    } finally {
      clearInterval(mover);
    }
  });

  it('caught up with an idle live recording → no stall (the clock restarts); stop() resolves', async () => {
    const archive = new ScriptedArchive(2048);
    const image = { position: 2048 };
    const watch = watchReplay(archive, image, 3, { stallTimeoutMs: 20, checkIntervalMs: 2 });
    let settled = false;
    watch.done.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    // let it ask the archive several times
    await within(
      'queries',
      20_000,
      (async () => {
        while (archive.queries < 3) await new Promise((r) => setTimeout(r, 5));
      })(),
    );
    expect(settled).toBe(false);
    watch.stop();
    await within('stop', 5_000, watch.done);
    expect(archive.stopped).toEqual([]);
  });

  it('an archive call failing while checking → done rejects with that (typed) error', async () => {
    const archive = new ScriptedArchive(4096);
    const boom = new ArchiveNotConnectedError('response channel from archive is not connected');
    archive.failWith = boom;
    const watch = watchReplay(archive, { position: 0 }, 1, { stallTimeoutMs: 10, checkIntervalMs: 2 });
    await expect(within('outcome', 10_000, watch.done)).rejects.toBe(boom);
    expect(boom.code).toBe('ARCHIVE_NOT_CONNECTED');
  });

  it('rejects a non-positive stall timeout', () => {
    expect(() => watchReplay(new ScriptedArchive(0), { position: 0 }, 1, { stallTimeoutMs: 0 })).toThrow(
      InvalidArgumentError,
    );
  });
});
