/**
 * Reliability row C9 at the client level (see README.md): our client is lapped on the driver's to-clients
 * broadcast buffer, against the real Java MediaDriver 1.51.0. (The receiver part is in `transport-level.test.ts`.)
 *
 * Java 1.51.0: Agrona's `CopyBroadcastReceiver` throws IllegalStateException("unable to keep up with
 * broadcast"); `DriverEventsAdapter.receive` marks itself invalid; `ClientConductor.service` then
 * terminates the conductor (force-closes every resource) and, on the duty cycle, throws
 * AeronException("Driver events adapter is invalid", cause) to the error handler; the agent then closes the
 * client (close handlers run). Ours: the error handler gets `DriverEventsInvalidError` (code DRIVER_EVENTS_INVALID) "Driver events
 * adapter is invalid: unable to keep up with broadcast" whose cause is the transport's `BroadcastLappedError`
 * (code BROADCAST_LAPPED), and the client closes; commands in flight reject with that same error.
 *
 * How: the driver's to-clients buffer is its minimum, 1 MiB. Our client sends two commands, then its event loop
 * is blocked by `spawnSync` of a Java client (`ReliabilityBroadcastFlood`) that makes the driver broadcast
 * 600 ERROR responses of ~4 KiB each (≈ 2.4 MiB, so the buffer wraps twice) and exits. The block lasts as long
 * as the flood (bounded by spawnSync's timeout), far below the client liveness timeout (60 s here), so
 * neither side times out: the lap is the only fault. Then a fresh client on the same driver still works.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava } from '../../harness/java.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { DriverEventsAdapter, type DriverEventsListener } from '../../src/client/driver-events-adapter.ts';
import { Aeron, AeronClosedError, CLOSED, DriverEventsInvalidError } from '../../src/client/index.ts';
import { BroadcastCorruptError, BroadcastLappedError } from '../../src/transport/index.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { MessageVerifier } from '../support/message-pattern.ts';
import { awaitCondition, within } from '../support/wait.ts';
import { ErrorLog, rejectionOf } from './support/client-faults.ts';
import { sendAndVerify } from './support/exchange.ts';
import { ResourceTracker } from './support/resources.ts';

const IPC = 'aeron:ipc?term-length=64k';
/** Generous liveness on both sides: the event loop is blocked for the whole flood (JVM start included). */
const DRIVER_PROPERTIES = {
  'aeron.client.liveness.timeout': '60s',
  'aeron.publication.unblock.timeout': '90s', // must exceed the liveness timeout
  'aeron.timer.interval': '100ms',
  'aeron.clients.buffer.length': String(1024 * 1024 + 128),
};
const FLOOD_COUNT = 600;
const FLOOD_URI_LENGTH = 4000;
const FLOOD_TIMEOUT_MS = 45_000;

function expectTyped(e: unknown, type: abstract new (...args: never[]) => Error, code: string): void {
  expect(e).toBeInstanceOf(type);
  expect((e as { code: string }).code).toBe(code);
}

describe('C9 driver events adapter (no driver)', () => {
  const listener = {} as DriverEventsListener; // never called: the receiver throws first
  const cases: Array<[string, () => Error]> = [
    ['lapped', () => new BroadcastLappedError()],
    ['a corrupt record', () => new BroadcastCorruptError('record claims length 9999999')],
  ];
  for (const [what, make] of cases) {
    it(`C9 ${what} marks the adapter invalid (the conductor then terminates) and rethrows`, () => {
      const error = make();
      const adapter = new DriverEventsAdapter(
        7,
        {
          receive: () => {
            throw error;
          },
        },
        listener,
        new Set(),
      );
      expect(adapter.isInvalid).toBe(false);
      expect(() => adapter.receive()).toThrow(error);
      expect(adapter.isInvalid).toBe(true);
    });
  }
  it('C9 any other error from a handler leaves the adapter valid', () => {
    const adapter = new DriverEventsAdapter(
      7,
      {
        receive: () => {
          throw new RangeError('handler');
        },
      },
      listener,
      new Set(),
    );
    expect(() => adapter.receive()).toThrow(RangeError);
    expect(adapter.isInvalid).toBe(false);
  });
});

describeInterop('C9 against the Java media driver', () => {
  let classDir: string;
  let driver: DriverHandle | undefined;
  let tracker: ResourceTracker;
  const clients: Aeron[] = [];

  beforeAll(() => {
    const jar = aeronJarPath();
    classDir = compileJava({ sources: ['test/java/ReliabilityBroadcastFlood.java'], classpath: [jar] });
  }, 300_000);

  beforeEach(() => {
    tracker = new ResourceTracker();
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await driver?.stop();
    driver = undefined;
    await tracker.settleTimers();
    tracker.release();
  }, 60_000);

  afterAll(() => {
    assertNoLeftovers();
  });

  /** Blocks this event loop until the Java flooder has run to completion (bounded); returns its stdout. */
  function floodWhileBlocked(aeronDir: string): string {
    const result = spawnSync(
      'java',
      [
        ...AERON_JVM_FLAGS,
        '-cp',
        `${aeronJarPath()}:${classDir}`,
        'ReliabilityBroadcastFlood',
        aeronDir,
        String(FLOOD_COUNT),
        String(FLOOD_URI_LENGTH),
      ],
      { encoding: 'utf8', timeout: FLOOD_TIMEOUT_MS, killSignal: 'SIGKILL', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (result.pid !== undefined) tracker.trackPid(result.pid);
    expect(result.status, `flooder: ${result.stdout}\n${result.stderr}`).toBe(0);
    return result.stdout;
  }

  async function exchange(client: Aeron, streamId: number, count: number) {
    const subscription = await within('addSubscription', 20_000, client.addSubscription(IPC, streamId));
    const publication = await within('addPublication', 20_000, client.addExclusivePublication(IPC, streamId));
    tracker.trackFile(publication.logBuffers.path);
    await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1, 20_000);
    await sendAndVerify(publication, subscription, new MessageVerifier({ sizes: '8,100,1000', seed: 9, count }));
    return { subscription, publication };
  }

  it('C9 lapped on the to-clients broadcast → "Driver events adapter is invalid" (cause BROADCAST_LAPPED), client closed, pending calls rejected, driver still serves', async () => {
    driver = await startMediaDriver({ properties: DRIVER_PROPERTIES });
    tracker.trackPid(driver.pid);
    const cnc = tracker.trackFile(join(driver.aeronDir, 'cnc.dat'));
    const errors = new ErrorLog();
    let closes = 0;
    const client = await within(
      'connect',
      30_000,
      Aeron.connect({
        aeronDir: driver.aeronDir,
        driverTimeoutMs: 30_000,
        errorHandler: errors.handler,
        onClose: () => closes++,
      }),
    );
    clients.push(client);
    expect(client.interServiceTimeoutNs).toBe(60_000_000_000);
    // acknowledged traffic before the fault: all of it arrives
    const { publication } = await exchange(client, 1091, 200);

    // two commands in flight whose responses the flood will overwrite
    const pendingSubscription = client.addSubscription(IPC, 1092);
    const pendingSettled = rejectionOf('pending addSubscription', 60_000, pendingSubscription);
    const counterId = client.asyncAddCounter(1001, 'c9-pending');
    const output = floodWhileBlocked(driver.aeronDir);
    const flooded = /^flooded count=(\d+) bytes=(\d+)$/m.exec(output);
    expect(Number(flooded?.[2])).toBeGreaterThan(2 * 1024 * 1024);

    const e = await errors.await(DriverEventsInvalidError, 20_000);
    expect(e.code).toBe('DRIVER_EVENTS_INVALID');
    expect(e.message).toBe('Driver events adapter is invalid: unable to keep up with broadcast');
    expectTyped(e.cause, BroadcastLappedError, 'BROADCAST_LAPPED');
    // the lap is the only fault: no timeout of either side
    expect(errors.errors).toEqual([e]);
    await awaitCondition('client closed', () => client.isClosed, 5_000);
    expect(closes).toBe(1);

    // the command in flight rejects with the same typed error; the poll-able one and new calls: CLOSED
    expect(await pendingSettled).toBe(e);
    expect(client.hasActiveCommands()).toBe(false);
    let thrown: unknown;
    try {
      client.getCounter(counterId);
    } catch (x) {
      thrown = x;
    }
    expectTyped(thrown, AeronClosedError, 'CLOSED');
    expectTyped(
      await rejectionOf('addPublication after termination', 5_000, client.addPublication(IPC, 1093)),
      AeronClosedError,
      'CLOSED',
    );
    expect(publication.offer(new Uint8Array(8))).toBe(CLOSED);
    // released: no log, no CnC mapping, no conductor timer (ResourceTracker in afterEach checks timers too)
    expect(tracker.mappings(publication.logBuffers.path)).toBe(0);
    expect(tracker.mappings(cnc)).toBe(0);

    // the driver still serves a fresh client
    const fresh = await within(
      'fresh connect',
      30_000,
      Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 30_000 }),
    );
    clients.push(fresh);
    await exchange(fresh, 1094, 100);
    expect(fresh.isClosed).toBe(false);
  }, 180_000);
});
