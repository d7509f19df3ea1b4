/**
 * Faults around the TypeScript media driver (issue 15, "Faults"); the fault table in docs/driver.md lists these
 * with the cases proven elsewhere (a producer dead between claim and commit, SIGKILLed clients: ipc-lifecycle; a
 * second driver on a live dir: launch, media-driver, test/harness/ts-driver).
 *
 * - The driver SIGKILLed: the standalone `aeron-ts driver` (the harness's ts mode, its own process) dies under a
 *   Java client (test/driver/java/DriverTimeoutProbe.java) and a TS client; both report a driver timeout
 *   (Java `DriverTimeoutException`, our `DriverTimeoutError` DRIVER_TIMEOUT) within the deadline, and stopping the
 *   handle leaves no process and no directory.
 * - A TS client SIGKILLed (test/driver/fault-child.ts, its own Node process, kills itself once its publication,
 *   subscription and counter are acknowledged): the driver times it out (CLIENT_TIMEOUTS + 1) and releases all of
 *   them, the log file included.
 * - A flooding client: 4,000 ADD_COUNTER (about 450 bytes each) written without waiting while the driver (INVOKER)
 *   cannot run: the 1 MiB to-driver ring refuses writes (back pressure: `write` returns false, nothing throws, nothing
 *   is torn); written as it drains, every one is answered ON_COUNTER_READY with its own counter, whose label and key
 *   are the ones sent; the driver's heartbeat stays fresh and ERRORS stays 0.
 * - Garbage: 3,000 records of random type ids and random bytes (seeded) in the to-driver ring: ON_ERROR with
 *   MALFORMED_COMMAND, UNKNOWN_COMMAND_TYPE_ID and the other codes of Java's refusals, never a crash; the driver
 *   answers a well-formed command afterwards; its error log has the entries and Java's `ErrorStat` reads them.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { startMediaDriver, TS_DRIVER } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { assertNoLeftovers, isAlive } from '../../harness/processes.ts';
import { runTsChild } from '../../harness/ts-child.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { DriverTimeoutError } from '../../src/client/errors.ts';
import {
  CLIENT_CLOSE,
  ON_COUNTER_READY,
  ON_ERROR,
  ON_UNAVAILABLE_COUNTER,
} from '../../src/driver/command/control-protocol.ts';
import { AtomicBuffer } from '../../src/transport/atomic-buffer.ts';
import { RECORD_ALLOCATED } from '../../src/transport/counters-descriptor.ts';
import { readAllErrors } from '../../src/transport/distinct-error-log-reader.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { fmix32 } from '../support/message-pattern.ts';
import { awaitCondition } from '../support/wait.ts';
import { CncView, counterUpdate, errorResponse, launchTestDriver, type TestDriver } from './support.ts';

const ADD_COUNTER = 0x09;
/** System counter 15 (ERRORS). */
const ERRORS = 15;
/** System counter 24 (CLIENT_TIMEOUTS). */
const CLIENT_TIMEOUTS = 24;
/** Counters 0..45 are the driver's system counters. */
const LAST_SYSTEM_COUNTER_ID = 45;
const MALFORMED_COMMAND = 7;
const UNKNOWN_COMMAND_TYPE_ID = 6;
/** Short timers: clients made up by garbage commands are timed out within the test. */
const FAST_TIMERS = {
  timerIntervalNs: 20_000_000,
  clientLivenessTimeoutNs: 500_000_000,
  publicationUnblockTimeoutNs: 1_000_000_000,
};
const JAVA_MS = 120_000;
const TEST_MS = 180_000;

const opened: Array<{ driver: TestDriver; view: CncView }> = [];

afterEach(async () => {
  for (const { driver, view } of opened.splice(0)) {
    view[Symbol.dispose]();
    await driver.close();
  }
});

afterAll(() => assertNoLeftovers());

async function setup(options = {}): Promise<{ driver: TestDriver; view: CncView }> {
  const driver = await launchTestDriver(options);
  const view = new CncView(driver.aeronDir);
  opened.push({ driver, view });
  return { driver, view };
}

/** A seeded generator of unsigned 32-bit values (fmix32 of a counter). */
function randomSource(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    return fmix32(state) >>> 0;
  };
}

describeInterop('faults: the standalone TS driver SIGKILLed under a Java and a TS client', () => {
  let classes: string;

  beforeAll(() => {
    classes = compileJava({
      sources: [join(import.meta.dirname, 'java', 'DriverTimeoutProbe.java')],
      classpath: [aeronJarPath()],
    });
  });

  it(
    'both clients report a driver timeout; no process or directory is left',
    async () => {
      const driver = await startMediaDriver({
        driver: TS_DRIVER,
        properties: { 'aeron.counters.buffer.length': '1m' },
        readyTimeoutMs: JAVA_MS,
      });
      const errors: unknown[] = [];
      let aeron: Aeron | undefined;
      const view = new CncView(driver.aeronDir);
      try {
        aeron = await Aeron.connect({
          aeronDir: driver.aeronDir,
          driverTimeoutMs: 5_000,
          errorHandler: (error) => errors.push(error),
        });
        await aeron.addCounter(1002, 'ts client before the kill');
        const java = runJava({
          classpath: [classes, aeronJarPath()],
          mainClass: 'DriverTimeoutProbe',
          jvmArgs: AERON_JVM_FLAGS,
          args: [driver.aeronDir, '5000', '90000'],
          timeoutMs: JAVA_MS,
        });
        let javaConnected = false;
        await awaitCondition(
          'the Java client connected (its counter allocated)',
          () => {
            view.counters.forEach((_id, _type, _key, label) => {
              if (label === 'driver-timeout-probe') javaConnected = true;
            });
            return javaConnected;
          },
          JAVA_MS,
        );

        expect(driver.kill('SIGKILL')).toBe(true);
        expect((await driver.exited).signal).toBe('SIGKILL');

        const result = await java;
        expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
        expect(result.stdout).toMatch(/^DRIVER_TIMEOUT .+/m);
        await awaitCondition(
          'the TS client to report the driver timeout',
          () => errors.some((e) => e instanceof DriverTimeoutError),
          90_000,
        );
        const timeout = errors.find((e) => e instanceof DriverTimeoutError) as DriverTimeoutError;
        expect(timeout.code).toBe('DRIVER_TIMEOUT');
      } finally {
        aeron?.close();
        view[Symbol.dispose]();
        await driver.stop();
      }
      expect(isAlive(driver.pid)).toBe(false);
      expect(existsSync(driver.aeronDir)).toBe(false);
    },
    TEST_MS,
  );
});

describe('faults: a TS client SIGKILLed', () => {
  it(
    'is timed out by the driver, which releases its publication, subscription, counters and log file',
    async () => {
      const { view, driver } = await setup({
        timerIntervalNs: 20_000_000,
        clientLivenessTimeoutNs: 2_000_000_000,
        publicationUnblockTimeoutNs: 3_000_000_000,
      });
      const child = runTsChild({
        module: join(import.meta.dirname, 'fault-child.ts'),
        exportName: 'addResourcesAndDie',
        args: { aeronDir: driver.aeronDir, streamId: 4_001 },
        timeoutMs: 120_000,
      });
      await expect(child).rejects.toThrow(/exited SIGKILL/);
      // What it held is still there until the driver times it out (its last heartbeat is at most 2 s old).
      const publications = join(driver.aeronDir, 'publications');
      await awaitCondition(
        'the dead client timed out and everything it held released',
        () =>
          view.counters.getCounterValue(CLIENT_TIMEOUTS) === 1 &&
          driver.driver.clientCount === 0 &&
          driver.driver.core.conductor.subscriptionCount === 0 &&
          driver.driver.core.conductor.ipcPublicationCount === 0 &&
          readdirSync(publications).length === 0,
        60_000,
      );
      let clientCounters = 0;
      view.counters.forEach((id) => {
        if (id > LAST_SYSTEM_COUNTER_ID) clientCounters++;
      });
      expect(clientCounters).toBe(0);
    },
    TEST_MS,
  );
});

describe('faults: a client flooding the to-driver ring buffer', () => {
  it(
    'gets back pressure (write refused, nothing torn); every accepted ADD_COUNTER is answered with its own counter',
    async () => {
      const { view, driver } = await setup();
      const count = 4_000;
      const clientId = view.ring.nextCorrelationId();
      const key = new Uint8Array(112);
      const command = new AtomicBuffer(new ArrayBuffer(1024));
      const label = (i: number): string => `flood ${i} `.padEnd(300, String.fromCharCode(97 + (i % 26)));
      const correlationIds: number[] = [];
      const write = (i: number): boolean => {
        const correlationId = correlationIds[i] ?? view.ring.nextCorrelationId();
        correlationIds[i] = correlationId;
        for (let k = 0; k < key.length; k++) key[k] = (i + k) & 0xff;
        command.putInt64(0, clientId);
        command.putInt64(8, correlationId);
        command.putInt32(16, 3_000);
        command.putInt32(20, key.length);
        command.putBytes(24, key, 0, key.length);
        const length = 24 + key.length + command.putStringAscii(24 + key.length, label(i));
        return view.ring.write(ADD_COUNTER, command, 0, length);
      };

      // The driver (INVOKER) cannot run during this synchronous loop: the ring fills and refuses.
      let next = 0;
      let refused = 0;
      while (next < count) {
        if (write(next)) next++;
        else {
          refused++;
          break;
        }
      }
      expect(refused).toBe(1);
      const acceptedAtOnce = next;
      expect(acceptedAtOnce).toBeGreaterThan(1_000);
      expect(acceptedAtOnce).toBeLessThan(count);

      // Then as the driver drains it: every remaining command goes in.
      await awaitCondition(
        'every flood command written',
        () => {
          while (next < count && write(next)) next++;
          if (!(next < count)) return true;
          refused++;
          view.poll();
          return false;
        },
        60_000,
        1,
      );
      expect(refused).toBeGreaterThan(1);
      await awaitCondition(
        'an ON_COUNTER_READY for every flood command',
        () => {
          view.poll();
          return view.events.filter((e) => e.type === ON_COUNTER_READY).length >= count + 1;
        },
        60_000,
      );

      const counters = view.counters;
      const ready = new Map<number, number>();
      for (const event of view.events) {
        if (event.type === ON_COUNTER_READY) {
          const { correlationId, counterId } = counterUpdate(event);
          ready.set(correlationId, counterId);
        }
      }
      const counterIds = new Set<number>();
      for (let i = 0; i < count; i++) {
        const counterId = ready.get(correlationIds[i]!);
        expect(counterId, `flood ${i}`).toBeDefined();
        counterIds.add(counterId!);
        expect(counters.getCounterState(counterId!)).toBe(RECORD_ALLOCATED);
        expect(counters.getCounterLabel(counterId!)).toBe(label(i));
        expect(counters.getCounterRegistrationId(counterId!)).toBe(correlationIds[i]);
        const storedKey = counters.getCounterKey(counterId!).bytes;
        expect(storedKey[0]).toBe(i & 0xff);
        expect(storedKey[111]).toBe((i + 111) & 0xff);
      }
      expect(counterIds.size).toBe(count);
      expect(view.events.some((e) => e.type === ON_ERROR)).toBe(false);
      expect(counters.getCounterValue(ERRORS)).toBe(0);
      expect(Math.abs(view.ring.consumerHeartbeatTime() - Date.now())).toBeLessThan(10_000);

      // CLIENT_CLOSE releases the lot.
      view.send(CLIENT_CLOSE, clientId, -1);
      await awaitCondition(
        'every flood counter unavailable',
        () => {
          view.poll();
          return view.events.filter((e) => e.type === ON_UNAVAILABLE_COUNTER).length >= count + 1;
        },
        60_000,
      );
      expect(driver.driver.clientCount).toBe(0);
    },
    TEST_MS,
  );
});

describeInterop('faults: garbage commands in the to-driver ring buffer', () => {
  it(
    'are answered ON_ERROR (MALFORMED_COMMAND, UNKNOWN_COMMAND_TYPE_ID, ...), the driver stays live, ErrorStat reads its log',
    async () => {
      const { view, driver } = await setup(FAST_TIMERS);
      const seed = 0x15f;
      const random = randomSource(seed);
      const record = new AtomicBuffer(new ArrayBuffer(256));
      const total = 3_000;
      let written = 0;
      await awaitCondition(
        `${total} garbage records written (seed ${seed})`,
        () => {
          for (let burst = 0; burst < 100 && written < total; burst++) {
            // Type ids 1..0x20 (every command and some unknown ids) most of the time, else anything up to 0x7fff.
            const typeId = random() % 8 === 0 ? 1 + (random() % 0x7fff) : 1 + (random() % 0x20);
            const length = random() % 161;
            for (let k = 0; k < length; k += 4) record.putInt32(k, random() | 0);
            if (!view.ring.write(typeId, record, 0, length)) break;
            written++;
          }
          view.poll();
          return written === total;
        },
        60_000,
        1,
      );
      // One of each on purpose: a short ADD_COUNTER and an unknown type id.
      view.send(ADD_COUNTER, 1, 2, () => 4);
      view.send(0x7ff0, 1, 3);
      const probe = view.ring.nextCorrelationId();
      view.addCounter(view.ring.nextCorrelationId(), probe, 3_001, 'after the garbage');
      await view.awaitEvent(
        'a well-formed command answered after the garbage',
        (e) => e.type === ON_COUNTER_READY && counterUpdate(e).correlationId === probe,
      );

      const codes = new Map<number, number>();
      for (const event of view.events) {
        if (event.type === ON_ERROR) {
          const { errorCode } = errorResponse(event);
          codes.set(errorCode, (codes.get(errorCode) ?? 0) + 1);
        }
      }
      expect(codes.get(MALFORMED_COMMAND)).toBeGreaterThan(0);
      expect(codes.get(UNKNOWN_COMMAND_TYPE_ID)).toBeGreaterThan(0);
      // Only Java's codes for refused commands: INVALID_CHANNEL, UNKNOWN_SUBSCRIPTION/PUBLICATION/COUNTER,
      // UNKNOWN_COMMAND_TYPE_ID, MALFORMED_COMMAND, NOT_SUPPORTED, GENERIC_ERROR.
      expect(
        [...codes.keys()].every((code) => [1, 2, 3, 5, 6, 7, 8, 11].includes(code)),
        JSON.stringify([...codes]),
      ).toBe(true);
      expect(Math.abs(view.ring.consumerHeartbeatTime() - Date.now())).toBeLessThan(10_000);

      const logged = readAllErrors(view.regions.errorLog);
      expect(logged.length).toBeGreaterThan(1);
      expect(logged.some((e) => e.encodedException.includes('command typeId='))).toBe(true);
      expect(logged.some((e) => e.encodedException.includes('too short'))).toBe(true);
      expect(view.counters.getCounterValue(ERRORS)).toBeGreaterThanOrEqual(logged.length);

      const errorStat = await runJava({
        classpath: [aeronJarPath()],
        mainClass: 'io.aeron.samples.ErrorStat',
        jvmArgs: [...AERON_JVM_FLAGS, `-Daeron.dir=${driver.aeronDir}`],
        timeoutMs: JAVA_MS,
      });
      expect(errorStat.stderr).toBe('');
      const distinct = readAllErrors(view.regions.errorLog).length;
      expect(errorStat.stdout).toContain(`${distinct} distinct errors observed.`);
      expect(errorStat.stdout).toMatch(/observations from .* for:\nControlProtocolError: command typeId=/);
    },
    TEST_MS,
  );
});
