/**
 * Reentrancy of the archive client's callback surfaces (issue 13, item 1), against the fake archive: what a
 * recording signal consumer, a listing consumer, the error handler, the async iterators and the standalone pollers
 * may call on the same client while they are being called. Requests are queued; `close()` is safe (the response
 * channel closes once the poll returns, nothing more is delivered); nested synchronous polls throw
 * ArchiveReentrantCallError. ReplayMerge, PersistentSubscription and RecordingEventsAdapter are covered against the
 * real archive in reentrancy-interop.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ControlResponseCode, RecordingSignal } from '../../codecs/generated/archive/index.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { ArchiveErrorCode } from '../../src/archive/archive-error.ts';
import type { RecordingDescriptor } from '../../src/archive/recording-descriptor.ts';
import { RecordingDescriptorPoller } from '../../src/archive/recording-descriptor-poller.ts';
import type { RecordingSignalEvent } from '../../src/archive/recording-signal.ts';
import { archiveOptions, closeAfterTest, connectFake } from './support/connect.ts';
import { FakeArchive } from './support/fake-archive.ts';

function addRecordings(fake: FakeArchive, n: number): void {
  for (let i = 0; i < n; i++) fake.recordings.push({ recordingId: i, streamId: 1000, channel: 'aeron:ipc' });
}

/** Calls each synchronous poll of `archive` and returns what each threw (or 'returned'). */
function nestedPolls(archive: AeronArchive): unknown[] {
  const calls = [
    () => archive.pollForRecordingSignals(),
    () => archive.pollForErrorResponse(),
    () => archive.checkForErrorResponse(),
  ];
  return calls.map((call) => {
    try {
      call();
      return 'returned';
    } catch (error) {
      return error;
    }
  });
}

const REENTRANT = { code: 'ARCHIVE_REENTRANT_CALL' };
const STOP_POSITION_REQUEST = 15;
const RECORDING_POSITION_REQUEST = 12;

describe('recording signal consumer', () => {
  it('a request from it is queued and resolves; a nested synchronous poll throws ArchiveReentrantCallError', async () => {
    let fake: FakeArchive | null = null;
    let archive: AeronArchive | null = null;
    let queued: Promise<number> | null = null;
    let nested: unknown[] = [];
    ({ fake, archive } = await connectFake(
      {},
      {
        recordingSignalConsumer: () => {
          if (queued !== null || archive === null) return;
          queued = archive.getStopPosition(3);
          nested = nestedPolls(archive);
        },
      },
    ));
    fake.answers.set(STOP_POSITION_REQUEST, 4096);
    fake.sendSignal(1, 3, 9, 0, RecordingSignal.STOP);
    await expect.poll(() => queued, { timeout: 5_000 }).not.toBeNull();
    expect(await (queued as unknown as Promise<number>)).toBe(4096);
    expect(nested).toEqual([
      expect.objectContaining(REENTRANT),
      expect.objectContaining(REENTRANT),
      expect.objectContaining(REENTRANT),
    ]);
    expect(archive.state()).toBe('CONNECTED');
  });

  it('close() from it rejects the call in flight with ArchiveClosedError; no later signal is dispatched', async () => {
    const seen: RecordingSignalEvent[] = [];
    let archive: AeronArchive | null = null;
    const c = await connectFake(
      {},
      {
        recordingSignalConsumer: (s) => {
          seen.push(s);
          archive?.close();
        },
      },
    );
    archive = c.archive;
    const { fake } = c;
    fake.silent.add(RECORDING_POSITION_REQUEST);
    const inFlight = archive.getRecordingPosition(1);
    await expect.poll(() => fake.lastRequest().name, { timeout: 5_000 }).toBe('RecordingPositionRequest');
    fake.sendSignal(1, 3, 9, 0, RecordingSignal.START);
    fake.sendSignal(1, 3, 9, 64, RecordingSignal.STOP);
    await expect(inFlight).rejects.toMatchObject({ code: 'ARCHIVE_CLOSED' });
    expect(seen.map((s) => s.signalName)).toEqual(['START']);
    expect(archive.state()).toBe('CLOSED');
    expect(fake.responses.closed).toBe(true);
    expect(fake.sessionClosed).toBe(true);
  });
});

describe('listing consumers', () => {
  it('a request from a descriptor consumer is queued behind the listing; a nested poll throws', async () => {
    const { fake, archive } = await connectFake();
    addRecordings(fake, 3);
    fake.answers.set(STOP_POSITION_REQUEST, 77);
    const requests: Promise<number>[] = [];
    let nested: unknown[] = [];
    const ids: number[] = [];
    const count = await archive.listRecordings(0, 10, (d) => {
      ids.push(d.recordingId);
      requests.push(archive.getStopPosition(d.recordingId));
      if (nested.length === 0) nested = nestedPolls(archive);
    });
    expect(count).toBe(3);
    expect(ids).toEqual([0, 1, 2]);
    expect(await Promise.all(requests)).toEqual([77, 77, 77]);
    expect(nested).toEqual([
      expect.objectContaining(REENTRANT),
      expect.objectContaining(REENTRANT),
      expect.objectContaining(REENTRANT),
    ]);
  });

  it('close() from a descriptor consumer ends the listing with ArchiveClosedError and delivers nothing more', async () => {
    const { fake, archive } = await connectFake();
    addRecordings(fake, 5);
    const ids: number[] = [];
    const listing = archive.listRecordings(0, 10, (d) => {
      ids.push(d.recordingId);
      archive.close();
    });
    await expect(listing).rejects.toMatchObject({ code: 'ARCHIVE_CLOSED' });
    expect(ids).toEqual([0]);
    expect(fake.responses.closed).toBe(true);
  });

  it("aborting the listing's own signal from its consumer stops the delivery; the session goes on", async () => {
    const { fake, archive } = await connectFake();
    addRecordings(fake, 5);
    const controller = new AbortController();
    const ids: number[] = [];
    const listing = archive.listRecordings(
      0,
      10,
      (d) => {
        ids.push(d.recordingId);
        controller.abort(new Error('enough'));
      },
      { signal: controller.signal },
    );
    await expect(listing).rejects.toMatchObject({ code: 'ARCHIVE_ABORTED', cause: new Error('enough') });
    expect(ids).toEqual([0]);
    const again: RecordingDescriptor[] = [];
    expect(await archive.listRecording(4, (d) => again.push(d))).toBe(1);
    expect(again[0]?.recordingId).toBe(4);
  });

  it('close() from a recording subscription descriptor consumer is safe', async () => {
    const { fake, archive } = await connectFake();
    fake.recordingSubscriptions.push(
      { subscriptionId: 1, streamId: 1, channel: 'aeron:ipc' },
      { subscriptionId: 2, streamId: 1, channel: 'aeron:ipc' },
    );
    const ids: number[] = [];
    const listing = archive.listRecordingSubscriptions(0, 10, 'aeron', 1, true, (d) => {
      ids.push(d.subscriptionId);
      archive.close();
    });
    await expect(listing).rejects.toMatchObject({ code: 'ARCHIVE_CLOSED' });
    expect(ids).toEqual([1]);
  });

  it('a standalone RecordingDescriptorPoller refuses a poll from its own consumer', () => {
    const fake = new FakeArchive();
    fake.addSubscription('aeron:ipc', 20);
    fake.sendDescriptor(4242, { recordingId: 0, streamId: 1, channel: 'aeron:ipc' });
    fake.sendDescriptor(4242, { recordingId: 1, streamId: 1, channel: 'aeron:ipc' });
    const poller = new RecordingDescriptorPoller(fake.responses, fake.controlSessionId, null, null);
    const ids: number[] = [];
    let nested: unknown = null;
    poller.reset(4242, 2, (d) => {
      ids.push(d.recordingId);
      try {
        poller.poll();
      } catch (error) {
        nested = error;
      }
    });
    poller.poll();
    expect(nested).toMatchObject(REENTRANT);
    expect(ids).toEqual([0, 1]);
    expect(poller.isDispatchComplete()).toBe(true);
  });
});

describe('error handler', () => {
  it('close() from the error handler (an ERROR for no request) is safe', async () => {
    let archive: AeronArchive | null = null;
    const handled: unknown[] = [];
    const c = await connectFake(
      {},
      {
        errorHandler: (e) => {
          handled.push(e);
          archive?.close();
        },
      },
    );
    archive = c.archive;
    c.fake.sendResponse(99, ControlResponseCode.ERROR, ArchiveErrorCode.GENERIC, 'boom');
    c.fake.sendResponse(98, ControlResponseCode.ERROR, ArchiveErrorCode.GENERIC, 'not seen');
    await expect.poll(() => archive?.state(), { timeout: 5_000 }).toBe('CLOSED');
    expect(handled).toHaveLength(1);
    expect(c.fake.responses.closed).toBe(true);
  });
});

describe('async iterators', () => {
  it('the loop body runs outside the poll: it may await requests, and close() ends the listing with ArchiveClosedError', async () => {
    const { fake, archive } = await connectFake();
    addRecordings(fake, 3);
    fake.answers.set(STOP_POSITION_REQUEST, 5);
    const ids: number[] = [];
    const stops: number[] = [];
    const iterate = async (): Promise<void> => {
      for await (const d of archive.recordings(0, 10)) {
        ids.push(d.recordingId);
        stops.push(await archive.getStopPosition(d.recordingId));
        if (ids.length === 2) archive.close();
      }
    };
    await expect(iterate()).rejects.toMatchObject({ code: 'ARCHIVE_CLOSED' });
    // Descriptors received before the close are still yielded (the third, already buffered), then the error.
    expect(ids).toEqual([0, 1, 2]);
    expect(stops.slice(0, 2)).toEqual([5, 5]);
  });

  it('recordingSignals(): close() from the loop body ends the iteration', async () => {
    const { fake, archive } = await connectFake();
    const seen: string[] = [];
    const iterate = (async () => {
      for await (const s of archive.recordingSignals()) {
        seen.push(s.signalName);
        expect(nestedPolls(archive)).toEqual(['returned', 'returned', 'returned']);
        archive.close();
      }
    })();
    fake.sendSignal(1, 3, 9, 0, RecordingSignal.START);
    await iterate;
    expect(seen).toEqual(['START']);
  });
});

describe('AsyncConnect', () => {
  it('poll() from the credentials supplier throws ArchiveReentrantCallError; poll() after close() throws ArchiveClosedError', async () => {
    const fake = new FakeArchive({ challenge: new TextEncoder().encode('nonce') });
    let nested: unknown = null;
    const asyncConnect = AeronArchive.asyncConnect(
      archiveOptions(fake, {
        credentialsSupplier: {
          encodedCredentials: () => new Uint8Array(0),
          onChallenge: () => {
            try {
              asyncConnect.poll();
            } catch (error) {
              nested = error;
            }
            return new Uint8Array(0);
          },
        },
      }),
    );
    let archive: AeronArchive | null = null;
    for (let i = 0; i < 100 && archive === null; i++) archive = asyncConnect.poll();
    expect(archive).not.toBeNull();
    closeAfterTest(archive as AeronArchive);
    expect(nested).toMatchObject(REENTRANT);

    const closed = AeronArchive.asyncConnect(archiveOptions(new FakeArchive()));
    closed.close();
    expect(() => closed.poll()).toThrow(expect.objectContaining({ code: 'ARCHIVE_CLOSED' }));
    const failed = AeronArchive.asyncConnect(archiveOptions(new FakeArchive(), { messageTimeoutMs: 0 }));
    await new Promise((r) => setTimeout(r, 5));
    expect(() => failed.poll()).toThrow(expect.objectContaining({ code: 'ARCHIVE_TIMEOUT' }));
    expect(() => failed.poll()).toThrow(expect.objectContaining({ code: 'ARCHIVE_CLOSED' }));
  });
});
