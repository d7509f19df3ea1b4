/**
 * Where the driver's duty cycle runs and how it is launched: SHARED (a worker thread that maps the files
 * itself) and INVOKER (this thread's event loop) serve the same commands; launchEmbedded picks a fresh
 * directory under Java's default and deletes it on close; a SHARED driver's failures reach the launching
 * thread as typed errors; its in-thread parts are refused with a typed error.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeAeronDir, removeDir } from '../../harness/temp-dir.ts';
import { MediaDriverError } from '../../src/driver/driver-error.ts';
import { MediaDriver } from '../../src/driver/media-driver.ts';
import type { ThreadingMode } from '../../src/driver/media-driver-context.ts';
import { describeError, toMediaDriverError } from '../../src/driver/shared-driver-protocol.ts';
import { defaultAeronDir } from '../../src/transport/aeron-directory.ts';
import { CncView, counterUpdate, SMALL_DRIVER, waitFor } from './support.ts';

const ON_COUNTER_READY = 0x0f08;
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function launched(threadingMode: ThreadingMode, aeronDir = makeAeronDir()): Promise<MediaDriver> {
  cleanups.push(() => removeDir(aeronDir));
  const driver = await MediaDriver.launch({ ...SMALL_DRIVER, aeronDir, threadingMode });
  cleanups.push(() => driver.close());
  return driver;
}

describe.each(['SHARED', 'INVOKER'] as const)('threadingMode %s', (threadingMode) => {
  it('answers ADD_COUNTER, stamps its heartbeat, labels its cycle counters with the mode, and closes', async () => {
    const driver = await launched(threadingMode);
    expect(driver.threadingMode).toBe(threadingMode);
    using view = new CncView(driver.aeronDir);
    expect(view.counters.getCounterLabel(26)).toBe(`Conductor max cycle time doing its work in ns: ${threadingMode}`);
    const clientId = view.ring.nextCorrelationId();
    const correlationId = view.ring.nextCorrelationId();
    view.addCounter(clientId, correlationId, 1001, 'launch-test');
    const ready = await view.awaitEvent(
      'ON_COUNTER_READY',
      (e) => e.type === ON_COUNTER_READY && counterUpdate(e).correlationId === correlationId,
    );
    expect(view.counters.getCounterLabel(counterUpdate(ready).counterId)).toBe('launch-test');
    const heartbeat = view.ring.consumerHeartbeatTime();
    expect(heartbeat).toBeGreaterThan(0);
    await driver.close();
    expect(driver.isClosed).toBe(true);
    expect(view.ring.consumerHeartbeatTime()).toBe(-1);
    await driver.close();
  });

  it('refuses a directory with a live driver (ACTIVE_DRIVER)', async () => {
    const first = await launched(threadingMode);
    const error = await MediaDriver.launch({ ...SMALL_DRIVER, aeronDir: first.aeronDir, threadingMode }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MediaDriverError);
    expect((error as MediaDriverError).code).toBe('ACTIVE_DRIVER');
  });
});

describe('SHARED', () => {
  it('keeps its parts in the worker: reaching one from this thread is a typed error', async () => {
    const driver = await launched('SHARED');
    expect(() => driver.countersManager).toThrow(MediaDriverError);
    expect(() => driver.clientCount).toThrow(/threadingMode SHARED/);
  });

  it("carries the worker's errors to this thread as typed errors (MediaDriverError's code, else DIRECTORY)", () => {
    const own = toMediaDriverError(describeError(new MediaDriverError('ACTIVE_DRIVER', 'live')));
    expect(own).toBeInstanceOf(MediaDriverError);
    expect([own.code, own.message]).toEqual(['ACTIVE_DRIVER', 'live']);
    const other = toMediaDriverError(describeError(new RangeError('cannot map')));
    expect([other.code, other.message]).toEqual(['DIRECTORY', 'RangeError: cannot map']);
  });

  it('refuses clocks, which cannot cross to the worker', async () => {
    const error = await MediaDriver.launch({
      aeronDir: '/tmp/unused',
      threadingMode: 'SHARED',
      epochClock: Date.now,
    }).catch((e: unknown) => e);
    expect((error as MediaDriverError).code).toBe('INVALID_CONFIGURATION');
  });
});

describe('abort', () => {
  it.each(['SHARED', 'INVOKER'] as const)(
    '%s: an aborted signal refuses to launch (ABORTED, the reason as cause)',
    async (mode) => {
      const reason = new Error('stop');
      const aeronDir = makeAeronDir();
      cleanups.push(() => removeDir(aeronDir));
      const error = await MediaDriver.launch(
        { ...SMALL_DRIVER, aeronDir, threadingMode: mode },
        { signal: AbortSignal.abort(reason) },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaDriverError);
      expect((error as MediaDriverError).code).toBe('ABORTED');
      expect((error as MediaDriverError).cause).toBe(reason);
    },
  );

  it('SHARED: aborting while the worker starts stops it; the directory is free for the next driver', async () => {
    const aeronDir = makeAeronDir();
    cleanups.push(() => removeDir(aeronDir));
    const abort = new AbortController();
    const launching = MediaDriver.launch(
      { ...SMALL_DRIVER, aeronDir, threadingMode: 'SHARED' },
      { signal: abort.signal },
    ).catch((e: unknown) => e);
    setImmediate(() => abort.abort());
    const error = await launching;
    expect((error as MediaDriverError).code).toBe('ABORTED');
    const next = await launched('SHARED', aeronDir);
    expect(next.isClosed).toBe(false);
  });
});

describe('launchEmbedded', () => {
  it("runs SHARED (the default) in <Java's default dir>-<uuid> and deletes it on close", async () => {
    const driver = await MediaDriver.launchEmbedded({ counterValuesBufferLength: 1024 * 1024 });
    cleanups.push(() => removeDir(driver.aeronDir));
    cleanups.push(() => driver.close());
    expect(driver.aeronDir).toMatch(
      new RegExp(
        `^${defaultAeronDir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$`,
      ),
    );
    expect(driver.threadingMode).toBe('SHARED');
    expect(existsSync(join(driver.aeronDir, 'cnc.dat'))).toBe(true);
    await driver.close();
    await waitFor('the directory to go', () => !existsSync(driver.aeronDir));
  });

  it('takes a directory other than the default, and keeps it when asked', async () => {
    const aeronDir = makeAeronDir();
    cleanups.push(() => removeDir(aeronDir));
    const driver = await MediaDriver.launchEmbedded({ ...SMALL_DRIVER, aeronDir, dirDeleteOnShutdown: false });
    cleanups.push(() => driver.close());
    expect(driver.aeronDir).toBe(aeronDir);
    await driver.close();
    expect(existsSync(join(aeronDir, 'cnc.dat'))).toBe(true);
  });
});
