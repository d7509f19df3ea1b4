/**
 * The setup and steps the "Java archive on the TS driver" suites share (`archive-on-ts-driver.test.ts` over IPC,
 * `archive-udp-on-ts-driver.test.ts` over UDP): Aeron 1.51.0's `io.aeron.archive.Archive` in its own JVM as a plain
 * client of a SHARED TS driver in this process (64 KiB IPC terms), a TS `AeronArchive` connected to it, the
 * driver's CnC seen as a client sees it (`CncView`), and the Java probes of the suite compiled.
 *
 * ```
 *  beforeAll: compile the probes, TS driver (SHARED) -> Archive JVM (startArchive, TS_DRIVER) -> Aeron ->
 *             AeronArchive on the archive's local (aeron:ipc) or UDP control channel, recording signals collected
 *  afterAll:  AeronArchive, Aeron, Archive JVM, CncView, TS driver closed; no process or directory left
 * ```
 *
 * `useJavaArchiveOnTsDriver(options)` registers those hooks where it is called (inside the `describe` body) and
 * returns the parts (read them only inside tests) and the steps both suites take: wait for a recording's START /
 * STOP signal, publish the pattern messages, replay into a `MessageVerifier` or as texts, and close everything and
 * wait until the driver holds nothing for the archive or its clients.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type ArchivingDriverHandle, startArchive, TS_DRIVER } from '../../harness/driver.ts';
import { compileJava } from '../../harness/java.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { RecordingSignal, type RecordingSignalEvent } from '../../src/archive/recording-signal.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import { FragmentAssembler } from '../../src/logbuffer/fragment-assembler.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import { type ErrorObservation, readAllErrors } from '../../src/transport/distinct-error-log-reader.ts';
import { fillMessage, type MessageSizes, type MessageVerifier } from '../support/message-pattern.ts';
import { awaitCondition, type Offerer, offerUntilAccepted, pollUntil } from '../support/wait.ts';
import { CncView, launchTestDriver, type TestDriver } from './support.ts';

/** The TS driver's IPC term length; the suites use it for their channels too, so terms rotate within a test. */
export const ARCHIVE_TERM_LENGTH = 64 * 1024;
/** System counter 15 (ERRORS). */
export const ERRORS_COUNTER_ID = 15;
/** Counters 0..45 are the driver's system counters. */
export const SYSTEM_COUNTER_COUNT = 46;
/** Deadline of the suite's start, of each of its tests and of the replays' waits. */
export const ARCHIVE_TEST_TIMEOUT_MS = 180_000;
const REPLAY_DEADLINE_MS = 60_000;
const CLOSE_DEADLINE_MS = 60_000;

export interface JavaArchiveOnTsDriverOptions {
  /** The suite's Java probes, compiled against aeron-all in `beforeAll` (`classes`). */
  readonly javaSources: readonly string[];
  /** Settings over the harness's archive settings (`startArchive`). */
  readonly archiveProperties?: Readonly<Record<string, string>>;
  /** The control channel the TS `AeronArchive` uses: the archive's local one or its UDP one. */
  readonly control: 'local' | 'udp';
  /** The TS `AeronArchive`'s control response channel. */
  responseChannel(): string | Promise<string>;
}

/** The parts of the suite (set up by `beforeAll`) and its shared steps. */
export interface JavaArchiveOnTsDriver {
  readonly driver: TestDriver;
  readonly archive: ArchivingDriverHandle;
  readonly aeron: Aeron;
  readonly client: AeronArchive;
  /** The TS driver's CnC file as a client sees it (counters, error log). */
  readonly view: CncView;
  /** The compiled probes' class directory. */
  readonly classes: string;
  /** Every recording signal the TS client received. */
  readonly signals: readonly RecordingSignalEvent[];
  /** The recording id of the first START signal for `subscriptionId`. */
  startedRecording(subscriptionId: number): Promise<number>;
  /** Waits for the STOP signal of `recordingId`. */
  stoppedRecording(recordingId: number): Promise<void>;
  /** Offers messages 0..count-1 of `seed` (`fillMessage`), each until accepted; returns the last position. */
  publishPattern(publication: Offerer, sizes: MessageSizes, seed: number, count: number): Promise<number>;
  /** Polls `replay` through a fragment assembler into `verifier` until it has every message. */
  replayInto(replay: Subscription, verifier: MessageVerifier): Promise<void>;
  /** Polls `replay` until `count` messages arrived; returns them decoded as UTF-8 texts, in order. */
  replayTexts(replay: Subscription, count: number): Promise<string[]>;
  /** The driver's distinct error log, one observation per distinct error. */
  errors(): ErrorObservation[];
  /**
   * Closes the TS archive client and its Aeron client and stops the archive, then waits until the driver has
   * released everything they held: no log file, no counter beyond the system counters.
   */
  closeAndAwaitReleased(): Promise<void>;
}

interface Parts {
  readonly driver: TestDriver;
  readonly archive: ArchivingDriverHandle;
  readonly aeron: Aeron;
  readonly client: AeronArchive;
  readonly view: CncView;
  readonly classes: string;
}

/** Registers the hooks of {@link JavaArchiveOnTsDriver} in the calling suite. */
export function useJavaArchiveOnTsDriver(options: JavaArchiveOnTsDriverOptions): JavaArchiveOnTsDriver {
  const signals: RecordingSignalEvent[] = [];
  let classes: string | undefined;
  let driver: TestDriver | undefined;
  let view: CncView | undefined;
  let archive: ArchivingDriverHandle | undefined;
  let aeron: Aeron | undefined;
  let client: AeronArchive | undefined;

  beforeAll(async () => {
    classes = compileJava({ sources: [...options.javaSources], classpath: [aeronJarPath()] });
    driver = await launchTestDriver({ threadingMode: 'SHARED', ipcTermBufferLength: ARCHIVE_TERM_LENGTH });
    view = new CncView(driver.aeronDir);
    archive = await startArchive(driver.aeronDir, {
      driver: TS_DRIVER,
      ...(options.archiveProperties === undefined ? {} : { properties: options.archiveProperties }),
    });
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    const local = options.control === 'local';
    client = await AeronArchive.connect({
      aeron,
      controlRequestChannel: local ? archive.localControlChannel : archive.controlChannel,
      controlRequestStreamId: local ? archive.localControlStreamId : archive.controlStreamId,
      controlResponseChannel: await options.responseChannel(),
      messageTimeoutMs: 20_000,
      recordingSignalConsumer: (signal) => signals.push(signal),
    });
  }, ARCHIVE_TEST_TIMEOUT_MS);

  afterAll(async () => {
    client?.close();
    aeron?.close();
    await archive?.stop();
    view?.[Symbol.dispose]();
    await driver?.close();
    assertNoLeftovers();
  }, CLOSE_DEADLINE_MS);

  const parts = (): Parts => {
    if (
      classes === undefined ||
      driver === undefined ||
      view === undefined ||
      archive === undefined ||
      aeron === undefined ||
      client === undefined
    ) {
      throw new Error('useJavaArchiveOnTsDriver: read before the suite started (only tests may use it)');
    }
    return { classes, driver, view, archive, aeron, client };
  };

  return {
    get driver() {
      return parts().driver;
    },
    get archive() {
      return parts().archive;
    },
    get aeron() {
      return parts().aeron;
    },
    get client() {
      return parts().client;
    },
    get view() {
      return parts().view;
    },
    get classes() {
      return parts().classes;
    },
    signals,

    async startedRecording(subscriptionId) {
      const started = (s: RecordingSignalEvent): boolean =>
        s.signal === RecordingSignal.START && s.subscriptionId === subscriptionId;
      await awaitCondition('the START signal', () => signals.some(started));
      return signals.find(started)!.recordingId;
    },

    async stoppedRecording(recordingId) {
      await awaitCondition('the STOP signal', () =>
        signals.some((s) => s.signal === RecordingSignal.STOP && s.recordingId === recordingId),
      );
    },

    async publishPattern(publication, sizes, seed, count) {
      const buffer = new Uint8Array(sizes.max);
      let position = 0;
      for (let i = 0; i < count; i++) {
        const length = sizes.sizeOf(i);
        fillMessage(buffer, 0, length, seed, i);
        position = await offerUntilAccepted(publication, buffer.subarray(0, length));
      }
      return position;
    },

    async replayInto(replay, verifier) {
      const assembler = new FragmentAssembler((buffer: ReadableBuffer, offset: number, length: number) => {
        const bytes = new Uint8Array(length);
        buffer.getBytes(offset, bytes, 0, length);
        verifier.onMessage(bytes, 0, length);
      });
      await pollUntil(
        `${verifier.expectedTotal} replayed messages`,
        () => replay.poll(assembler.onFragment, 64),
        () => verifier.done,
        REPLAY_DEADLINE_MS,
        { detail: () => `received ${verifier.received}, errors ${verifier.errors.join('; ')}` },
      );
    },

    async replayTexts(replay, count) {
      const texts: string[] = [];
      const decoder = new TextDecoder();
      await pollUntil(
        `${count} messages replayed to TS`,
        () =>
          replay.poll((buffer, offset, length) => {
            const bytes = new Uint8Array(length);
            buffer.getBytes(offset, bytes, 0, length);
            texts.push(decoder.decode(bytes));
          }, 64),
        () => texts.length >= count,
        REPLAY_DEADLINE_MS,
      );
      return texts;
    },

    errors: () => readAllErrors(parts().view.regions.errorLog),

    async closeAndAwaitReleased() {
      const {
        client: archiveClient,
        aeron: aeronClient,
        archive: archiveProcess,
        driver: tsDriver,
        view: cnc,
      } = parts();
      archiveClient.close();
      aeronClient.close();
      await archiveProcess.stop();
      await awaitCondition(
        'the archive and client resources released by the driver',
        () => {
          const logs = readdirSync(join(tsDriver.aeronDir, 'publications'));
          let clientCounters = 0;
          cnc.counters.forEach((id) => {
            if (id >= SYSTEM_COUNTER_COUNT) clientCounters++;
          });
          return logs.length === 0 && clientCounters === 0;
        },
        CLOSE_DEADLINE_MS,
        { intervalMs: 50 },
      );
    },
  };
}
