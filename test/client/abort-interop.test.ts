/**
 * `AbortSignal` on the client's control operations, against the real Java media driver (1.51.0).
 *
 * - Already aborted: rejects at once with `AeronAbortedError` (code ABORTED, `cause` = the signal's reason),
 *   nothing sent.
 * - Aborted while waiting (the driver SIGSTOPped, so no answer can come): rejects within a second, not after
 *   the driver timeout; once the driver resumes, what the command created is removed again (REMOVE_*), so
 *   the driver shows no leftover publication, subscription, counter or destination.
 * - `Aeron.connect` on a directory without a driver (or with a cnc.dat never initialised) aborted at 100 ms:
 *   rejects promptly, its mapping of cnc.dat is gone and no timer of it is left.
 * - An abort after the answer changes nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { allThreadsStopped, assertNoLeftovers } from '../../harness/processes.ts';
import { makeAeronDir, removeDir } from '../../harness/temp-dir.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { AeronOptions } from '../../src/client/aeron-context.ts';
import { AeronAbortedError } from '../../src/client/errors.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';

const IPC = 'aeron:ipc?term-length=64k';
/** `AeronCounters` type ids (1.51.0). */
const PUBLISHER_LIMIT_TYPE_ID = 1;
const SUBSCRIBER_POSITION_TYPE_ID = 4;
const PUBLISHER_POSITION_TYPE_ID = 12;
const REASON = new Error('the caller gave up');

/** An AbortController that aborts with `REASON` after `ms`. */
function abortAfter(ms: number): AbortController {
  const controller = new AbortController();
  setTimeout(() => controller.abort(REASON), ms);
  return controller;
}

function abortedNow(): AbortSignal {
  return AbortSignal.abort(REASON);
}

/** Expects `promise` to reject with `AeronAbortedError` caused by `REASON`; returns ms until it did. */
async function expectAborted(promise: Promise<unknown>): Promise<number> {
  const start = performance.now();
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AeronAbortedError);
  expect((error as AeronAbortedError).code).toBe('ABORTED');
  expect((error as AeronAbortedError).cause).toBe(REASON);
  return performance.now() - start;
}

/** Number of live `Timeout` handles in this process (Node's resource info). */
function timerCount(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

function mapped(path: string): boolean {
  return readFileSync('/proc/self/maps', 'utf8').includes(path);
}

describe('Aeron.connect aborted (no driver needed)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) removeDir(dir);
  });

  it('an already aborted signal rejects at once', async () => {
    const dir = makeAeronDir();
    dirs.push(dir);
    expect(await expectAborted(Aeron.connect({ aeronDir: dir, signal: abortedNow() }))).toBeLessThan(100);
  });

  it('a directory with no driver, aborted at 100 ms → rejects within a second (driver timeout 10 s), no timer left', async () => {
    const dir = makeAeronDir();
    dirs.push(dir);
    const timersBefore = timerCount();
    const controller = abortAfter(100);
    const elapsed = await expectAborted(
      Aeron.connect({ aeronDir: dir, driverTimeoutMs: 10_000, signal: controller.signal }),
    );
    expect(elapsed).toBeLessThan(1_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(timerCount()).toBeLessThanOrEqual(timersBefore);
  });

  it('a cnc.dat never initialised (mapped, version 0), aborted at 100 ms → rejects at once, the mapping is gone', async () => {
    const dir = makeAeronDir();
    dirs.push(dir);
    const cnc = join(dir, 'cnc.dat');
    writeFileSync(cnc, new Uint8Array(64 * 1024));
    const controller = new AbortController();
    const connecting = Aeron.connect({ aeronDir: dir, driverTimeoutMs: 10_000, signal: controller.signal });
    await awaitCondition('cnc.dat mapped', () => mapped(cnc), 5_000, 5);
    controller.abort(REASON);
    expect(await expectAborted(connecting)).toBeLessThan(1_000);
    expect(mapped(cnc)).toBe(false);
  });
});

describeInterop('abort signals against the Java media driver', () => {
  let driver: DriverHandle;
  const clients: Aeron[] = [];
  let nextStreamId = 8000;
  const streamId = (): number => nextStreamId++;

  beforeAll(async () => {
    driver = await startMediaDriver({ properties: { 'aeron.image.liveness.timeout': '1s' } });
  });

  afterEach(() => {
    driver.kill('SIGCONT');
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await driver?.stop();
    assertNoLeftovers();
  });

  async function connect(options: AeronOptions = {}): Promise<{ aeron: Aeron; errors: unknown[] }> {
    const errors: unknown[] = [];
    const aeron = await Aeron.connect({
      aeronDir: driver.aeronDir,
      driverTimeoutMs: 10_000,
      errorHandler: (e) => errors.push(e),
      ...options,
    });
    clients.push(aeron);
    return { aeron, errors };
  }

  /** Runs `fn` with the driver stopped (no command is answered), then resumes it. */
  async function whileFrozen<T>(fn: () => Promise<T>): Promise<T> {
    expect(driver.kill('SIGSTOP')).toBe(true);
    try {
      await awaitCondition('driver stopped', () => allThreadsStopped(driver.pid), 10_000, 5);
      return await fn();
    } finally {
      driver.kill('SIGCONT');
    }
  }

  /** Labels of the allocated counters of `typeId` (label filter: `includes`). */
  function counterLabels(aeron: Aeron, typeIds: readonly number[], includes: string): string[] {
    const labels: string[] = [];
    aeron.forEachCounter((_id, typeId, _key, label) => {
      if (typeIds.includes(typeId) && label.includes(includes)) labels.push(label);
    });
    return labels;
  }

  /** Commands are processed in order: once this answers, every earlier command (the REMOVEs) was processed. */
  async function barrier(aeron: Aeron): Promise<void> {
    (await aeron.addCounter(9999, 'barrier')).close();
  }

  it('an already aborted signal: every add rejects at once and sends nothing', async () => {
    const { aeron, errors } = await connect();
    const signal = abortedNow();
    const id = streamId();
    await expectAborted(aeron.addPublication(IPC, id, { signal }));
    await expectAborted(aeron.addExclusivePublication(IPC, id, { signal }));
    await expectAborted(aeron.addSubscription(IPC, id, { signal }));
    await expectAborted(aeron.addSubscription(IPC, id, null, null, { signal }));
    await expectAborted(aeron.addCounter(9001, 'never sent', { signal }));
    await expectAborted(aeron.addStaticCounter(9001, 'never sent', 1234, undefined, { signal }));
    await expectAborted(aeron.nextSessionId(id, { signal }));
    expect(aeron.hasActiveCommands()).toBe(false);
    await barrier(aeron);
    expect(counterLabels(aeron, [9001], 'never sent')).toEqual([]);
    expect(counterLabels(aeron, [PUBLISHER_LIMIT_TYPE_ID], ` ${id} aeron:ipc`)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('addPublication / addExclusivePublication aborted while the driver is frozen → prompt rejection, removed once it resumes', async () => {
    const { aeron, errors } = await connect();
    const shared = streamId();
    const exclusive = streamId();
    await whileFrozen(async () => {
      const a = abortAfter(100);
      const b = abortAfter(100);
      const elapsed = await Promise.all([
        expectAborted(aeron.addPublication(IPC, shared, { signal: a.signal })),
        expectAborted(aeron.addExclusivePublication(IPC, exclusive, { signal: b.signal })),
      ]);
      for (const ms of elapsed) expect(ms).toBeLessThan(1_000);
    });
    await barrier(aeron);
    // The driver created both (ADD before REMOVE) and removed them: their counters go once they are freed.
    await awaitCondition(
      'no publication counters',
      () =>
        counterLabels(aeron, [PUBLISHER_LIMIT_TYPE_ID, PUBLISHER_POSITION_TYPE_ID], ` ${shared} aeron:ipc`).length ===
          0 &&
        counterLabels(aeron, [PUBLISHER_LIMIT_TYPE_ID, PUBLISHER_POSITION_TYPE_ID], ` ${exclusive} aeron:ipc`)
          .length === 0,
      20_000,
    );
    expect(aeron.hasActiveCommands()).toBe(false);
    expect(errors).toEqual([]);
  }, 60_000);

  it('addSubscription aborted while the driver is frozen → prompt rejection, no subscriber left in the driver', async () => {
    const { aeron, errors } = await connect();
    const id = streamId();
    let imageHandlerCalls = 0;
    await whileFrozen(async () => {
      const controller = abortAfter(100);
      const subscribing = aeron.addSubscription(IPC, id, {
        availableImageHandler: () => imageHandlerCalls++,
        signal: controller.signal,
      });
      expect(await expectAborted(subscribing)).toBeLessThan(1_000);
    });
    await barrier(aeron);
    const publication = await aeron.addExclusivePublication(IPC, id);
    expect(publication.isConnected()).toBe(false); // an IPC publication is connected as soon as a subscriber exists
    expect(counterLabels(aeron, [SUBSCRIBER_POSITION_TYPE_ID], ` ${id} aeron:ipc`)).toEqual([]);
    expect(imageHandlerCalls).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);

  it('addCounter aborted while the driver is frozen → prompt rejection, the counter is freed once it resumes', async () => {
    const { aeron, errors } = await connect();
    const label = `aborted counter ${streamId()}`;
    await whileFrozen(async () => {
      const controller = abortAfter(100);
      expect(await expectAborted(aeron.addCounter(9002, label, { signal: controller.signal }))).toBeLessThan(1_000);
    });
    await barrier(aeron);
    expect(counterLabels(aeron, [9002], label)).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('publication.addDestination aborted while frozen → removed again: the destination gets no image', async () => {
    const { aeron, errors } = await connect();
    const id = streamId();
    const endpoint = `aeron:udp?endpoint=localhost:${await freeUdpPort()}`;
    const subscription = await aeron.addSubscription(`${endpoint}|term-length=64k`, id);
    const publication = await aeron.addExclusivePublication('aeron:udp?control-mode=manual|term-length=64k', id);
    await whileFrozen(async () => {
      const controller = abortAfter(100);
      expect(await expectAborted(publication.addDestination(endpoint, { signal: controller.signal }))).toBeLessThan(
        1_000,
      );
    });
    await barrier(aeron);
    // A kept destination would get setups and heartbeats (an image within ms that stays); a removed one at most
    // an image that times out (image liveness 1 s here).
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(subscription.imageCount).toBe(0);
    // The same destination added for real does connect (so the check above could have seen it).
    await publication.addDestination(endpoint);
    await awaitCondition('image at the destination', () => subscription.imageCount === 1);
    expect(errors).toEqual([]);
  }, 60_000);

  it('subscription.addDestination aborted while frozen → removed once added: a publisher to it gets no subscriber', async () => {
    const { aeron, errors } = await connect();
    const id = streamId();
    const endpoint = `aeron:udp?endpoint=localhost:${await freeUdpPort()}`;
    const subscription = await aeron.addSubscription('aeron:udp?control-mode=manual', id);
    await whileFrozen(async () => {
      const controller = abortAfter(100);
      expect(await expectAborted(subscription.addDestination(endpoint, { signal: controller.signal }))).toBeLessThan(
        1_000,
      );
    });
    await barrier(aeron);
    await barrier(aeron); // the REMOVE_RCV_DESTINATION follows the ADD's answer
    const publication = await aeron.addExclusivePublication(`${endpoint}|term-length=64k`, id);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(subscription.imageCount).toBe(0);
    expect(publication.isConnected()).toBe(false);
    await subscription.addDestination(endpoint);
    await awaitCondition('image once added for real', () => subscription.imageCount === 1);
    expect(errors).toEqual([]);
  }, 60_000);

  it('an abort after the answer changes nothing', async () => {
    const { aeron, errors } = await connect();
    const controller = new AbortController();
    const id = streamId();
    const publication = await aeron.addExclusivePublication(IPC, id, { signal: controller.signal });
    const subscription = await aeron.addSubscription(IPC, id, { signal: controller.signal });
    const counter = await aeron.addCounter(9003, 'kept', { signal: controller.signal });
    controller.abort(REASON);
    await barrier(aeron);
    expect([publication.isClosed, subscription.isClosed, counter.isClosed]).toEqual([false, false, false]);
    await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1);
    expect(counterLabels(aeron, [9003], 'kept')).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('Aeron.connect aborted after it resolved: the client stays connected', async () => {
    const controller = new AbortController();
    const { aeron } = await connect({ signal: controller.signal });
    controller.abort(REASON);
    const publication = await aeron.addExclusivePublication(IPC, streamId());
    expect(publication.isClosed).toBe(false);
    expect(aeron.isClosed).toBe(false);
  });
});
