/**
 * Reliability row P4 at the client level (see README.md): ADMIN_ACTION on term rotation, with three writers
 * racing on ONE concurrent publication's log (IPC, same channel and stream → the driver shares one log and
 * one session), against the real Java MediaDriver 1.51.0:
 *
 * - this process: an aeron-ts `ConcurrentPublication` (seed 40), interleaved with the subscriber;
 * - a Node child: another aeron-ts client (`support/rotation-writer-main.ts`, seed 41);
 * - a Java child: the real Java client (`test/java/ReliabilityRotationWriter.java`, seed 42).
 *
 * 64 KiB terms, 32-byte messages (64-byte frames), as fast as back pressure allows. Each writer retries on
 * ADMIN_ACTION (−3) at once and on BACK_PRESSURED after a short back-off, and counts ADMIN_ACTIONs.
 *
 * Why ADMIN_ACTION must appear (1.51.0 `TermAppender` + `ConcurrentPublication`): the log only rotates when a
 * writer's claim ends past the term (it pads the rest if its claim started inside, then `rotateLog`) and that
 * offer returns ADMIN_ACTION; every other writer whose claim also landed past the end gets ADMIN_ACTION too, and
 * one that reads a term count that does not match the tail's term id during the rotation as well. So the
 * writers' ADMIN_ACTIONs add up to at least the number of rotations (asserted), whoever rotates.
 *
 * Which writer's offer raced which rotation is not observable from outside, so the extra ADMIN_ACTIONs beyond
 * one per rotation (the races proper) are counted and printed, not asserted; the interleaving of the writers'
 * messages in the log (switches between writers) is asserted, showing that they did run at the same time.
 *
 * Asserted besides: every message of every writer arrives exactly once, in per-writer order, with its content
 * and the per-writer CRC (`MessageVerifier`, 3 sources); the subscriber ends at the last writer position; the
 * children exit 0; no log mapping, timer or child process is left (ResourceTracker).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { ADMIN_ACTION, Aeron, BACK_PRESSURED } from '../../src/client/index.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { expectedChecksum, fillMessage, MessageVerifier } from '../support/message-pattern.ts';
import type { ProbeProcess } from '../support/pubsub-probe.ts';
import { awaitCondition, within } from '../support/wait.ts';
import {
  compileJavaHelpers,
  startJavaRotationWriter,
  startTsRotationWriter,
  writerReport,
} from './support/child-clients.ts';
import { ErrorLog } from './support/client-faults.ts';
import { ResourceTracker } from './support/resources.ts';

const TERM_LENGTH = 64 * 1024;
const IPC = 'aeron:ipc?term-length=64k';
const STREAM_ID = 4004;
const MESSAGE_LENGTH = 32;
const FRAME_LENGTH = 64;
const COUNT_PER_WRITER = 20_000;
const SEED = 40;
const RUN_DEADLINE_MS = 150_000;

describeInterop('P4 against the Java media driver', () => {
  let driver: DriverHandle | undefined;
  let client: Aeron | undefined;
  let tracker: ResourceTracker;
  const children: ProbeProcess[] = [];

  beforeAll(() => {
    compileJavaHelpers();
  }, 300_000);

  beforeEach(() => {
    tracker = new ResourceTracker();
  });

  afterEach(async () => {
    for (const child of children.splice(0)) await child.kill();
    client?.close();
    client = undefined;
    await driver?.stop();
    driver = undefined;
    await tracker.settleTimers();
    tracker.release();
  }, 60_000);

  afterAll(() => {
    assertNoLeftovers();
  });

  it('P4 ADMIN_ACTION on rotation: 3 writers (aeron-ts here, aeron-ts child, Java child) on one concurrent log → transient −3, retried, nothing lost or duplicated', async () => {
    driver = await startMediaDriver({ properties: { 'aeron.timer.interval': '100ms' } });
    tracker.trackPid(driver.pid);
    tracker.trackFile(join(driver.aeronDir, 'cnc.dat'));
    const errors = new ErrorLog();
    client = await within(
      'connect',
      30_000,
      Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000, errorHandler: errors.handler }),
    );
    const subscription = await within('addSubscription', 20_000, client.addSubscription(IPC, STREAM_ID));
    const publication = await within('addPublication', 20_000, client.addPublication(IPC, STREAM_ID));
    tracker.trackFile(publication.logBuffers.path);
    await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1, 20_000);
    const startPosition = publication.position();

    const goFile = join(tracker.makeDir('p4'), 'go');
    const options = { aeronDir: driver.aeronDir, channel: IPC, streamId: STREAM_ID, count: COUNT_PER_WRITER, goFile };
    const tsWriter = startTsRotationWriter({ ...options, seed: SEED + 1 });
    children.push(tsWriter);
    tracker.trackPid(tsWriter.pid);
    const javaWriter = startJavaRotationWriter({ ...options, seed: SEED + 2 });
    children.push(javaWriter);
    tracker.trackPid(javaWriter.pid);
    await tsWriter.waitForLine(/^ready position=\d+$/, 60_000);
    await javaWriter.waitForLine(/^ready position=\d+$/, 60_000);
    // one shared log: still one image (one session) on the subscription, same session id everywhere
    expect(subscription.imageCount).toBe(1);
    expect(subscription.imageAtIndex(0).sessionId).toBe(publication.sessionId);

    const verifier = new MessageVerifier({
      sizes: [MESSAGE_LENGTH],
      seed: SEED,
      count: COUNT_PER_WRITER,
      sources: 3,
    });
    const scratch = new Uint8Array(MESSAGE_LENGTH);
    const onFragment = (buffer: ReadableBuffer, offset: number, length: number): void => {
      buffer.getBytes(offset, scratch, 0, length);
      verifier.onMessage(scratch, 0, length);
      const source = scratch[4] ?? -1; // low byte of the seed: which writer
      if (source !== lastSource) switches++;
      lastSource = source;
    };
    let lastSource = -1;
    let switches = 0;
    const message = new Uint8Array(MESSAGE_LENGTH);
    let sent = 0;
    let adminActions = 0;
    let backPressured = 0;
    let last = 0;
    writeFileSync(goFile, '');
    const deadline = Date.now() + RUN_DEADLINE_MS;
    while (!verifier.done) {
      if (Date.now() > deadline) {
        throw new Error(
          `stalled: sent=${sent} received=${verifier.received}/${verifier.expectedTotal} next=${[...verifier.next]}\n${tsWriter.describe()}\n${javaWriter.describe()}`,
        );
      }
      // a burst of our own offers, each retried at once on ADMIN_ACTION; back pressure ends the burst
      for (let burst = 0; burst < 64 && sent < COUNT_PER_WRITER; burst++) {
        fillMessage(message, 0, MESSAGE_LENGTH, SEED, sent);
        const result = publication.offer(message, 0, MESSAGE_LENGTH);
        if (result > 0) {
          last = result;
          sent++;
        } else if (result === ADMIN_ACTION) {
          adminActions++; // the same message is retried at once (next burst slot)
        } else if (result === BACK_PRESSURED) {
          backPressured++;
          break;
        } else {
          throw new Error(`offer ${sent}: unexpected ${result}`);
        }
      }
      const fragments = subscription.poll(onFragment, 256);
      if (fragments === 0) await sleep(1);
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }

    const ts = await writerReport(tsWriter, 60_000);
    const java = await writerReport(javaWriter, 60_000);
    expect(verifier.errors).toEqual([]);
    expect(verifier.received).toBe(3 * COUNT_PER_WRITER);
    for (let source = 0; source < 3; source++) {
      expect(verifier.next[source]).toBe(COUNT_PER_WRITER);
      expect(verifier.crcs[source]?.value()).toBe(expectedChecksum(verifier.sizes, SEED + source, COUNT_PER_WRITER));
    }
    await sleep(50);
    expect(subscription.poll(onFragment, 256)).toBe(0); // nothing extra after the last message
    expect(verifier.errorCount).toBe(0);

    const finalPosition = Math.max(last, ts.last, java.last);
    expect(subscription.imageAtIndex(0).position).toBe(finalPosition);
    // frames only (plus padding at term ends): at least 3 × COUNT frames were appended
    expect(finalPosition - startPosition).toBeGreaterThanOrEqual(3 * COUNT_PER_WRITER * FRAME_LENGTH);
    const rotations = Math.floor(finalPosition / TERM_LENGTH) - Math.floor(startPosition / TERM_LENGTH);
    const total = adminActions + ts.adminActions + java.adminActions;
    console.info(
      `P4: ${rotations} rotations; ADMIN_ACTION here=${adminActions} ts-child=${ts.adminActions} java-child=${java.adminActions}; writer switches in the log=${switches}; back pressure here=${backPressured} ts-child=${ts.backPressured} java-child=${java.backPressured}`,
    );
    expect(rotations).toBeGreaterThanOrEqual(50);
    // the writers really ran at the same time: their messages interleave in the log many times
    expect(switches).toBeGreaterThan(10);
    expect(total).toBeGreaterThanOrEqual(rotations);
    expect(errors.errors).toEqual([]);

    publication.close();
    subscription.close();
    await awaitCondition('log unmapped after the linger', () => publication.logBuffers.isClosed, 20_000);
  }, 300_000);
});
