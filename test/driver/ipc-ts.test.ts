/**
 * IPC through the TypeScript media driver with our own client (src/client's `Aeron`) on both ends: concurrent and
 * exclusive publications, every message size from 0 to the max message length (fragmented above the MTU), term
 * rotation on 64 KiB terms, every message checked; images, counters, log files and their release.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aeron } from '../../src/client/aeron.ts';
import type { PublicationErrorFrame } from '../../src/client/conductor-contract.ts';
import { RegistrationError } from '../../src/client/errors.ts';
import type { Image } from '../../src/client/image.ts';
import { FragmentAssembler } from '../../src/logbuffer/fragment-assembler.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import { RECORD_ALLOCATED } from '../../src/transport/counters-descriptor.ts';
import { readAllErrors } from '../../src/transport/distinct-error-log-reader.ts';
import { awaitCondition, offerUntilAccepted, pollUntil } from '../support/wait.ts';
import { launchTestDriver, type TestDriver } from './support.ts';

const TERM_LENGTH = 64 * 1024;
const CHANNEL = `aeron:ipc?term-length=${TERM_LENGTH}`;
const PUB_LMT_TYPE_ID = 1;
const SUB_POS_TYPE_ID = 4;
const PUB_POS_TYPE_ID = 12;
/** System counter 35: BYTES_CURRENTLY_MAPPED. */
const BYTES_CURRENTLY_MAPPED = 35;

/** Message `i` of length `length`: bytes (i * 31 + k) & 0xff. */
function message(i: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let k = 0; k < length; k++) bytes[k] = (i * 31 + k) & 0xff;
  return bytes;
}

function checkMessage(i: number, buffer: ReadableBuffer, offset: number, length: number, expectedLength: number): void {
  if (length !== expectedLength) throw new Error(`message ${i}: length ${length} != ${expectedLength}`);
  for (let k = 0; k < length; k++) {
    if ((buffer.getInt8(offset + k) & 0xff) !== ((i * 31 + k) & 0xff))
      throw new Error(`message ${i}: byte ${k} differs`);
  }
}

describe('IPC through the TS driver, TS client on both ends', () => {
  let driver: TestDriver;
  let aeron: Aeron;

  beforeAll(async () => {
    driver = await launchTestDriver();
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, clientName: 'ipc-ts' });
  });

  afterAll(async () => {
    aeron?.close();
    await driver?.close();
  });

  for (const exclusive of [false, true]) {
    it(`${exclusive ? 'exclusive' : 'concurrent'}: sizes 0..max message length, term rotation, every message checked`, async () => {
      const streamId = exclusive ? 1002 : 1001;
      const subscription = await aeron.addSubscription(CHANNEL, streamId);
      const publication = exclusive
        ? await aeron.addExclusivePublication(CHANNEL, streamId)
        : await aeron.addPublication(CHANNEL, streamId);
      try {
        await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1);
        const image = subscription.images[0]!;
        expect(image.sessionId).toBe(publication.sessionId);
        expect(image.sourceIdentity).toBe('aeron:ipc');
        expect(publication.termBufferLength).toBe(TERM_LENGTH);
        const max = publication.maxMessageLength;
        const sizes = [0, 1, 31, 32, 33, 1375, 1376, 1377, 4000, max - 1, max];
        for (let n = 0; n < 200; n++) sizes.push((n * 977) % 3000);
        let received = 0;
        const assembler = new FragmentAssembler((buffer, offset, length) => {
          checkMessage(received, buffer, offset, length, sizes[received]!);
          received++;
        });
        for (let i = 0; i < sizes.length; i++) {
          await offerUntilAccepted(publication, message(i, sizes[i]!));
          subscription.poll(assembler.onFragment, 10);
        }
        await pollUntil(
          'every message',
          () => subscription.poll(assembler.onFragment, 10),
          () => received === sizes.length,
        );
        expect(publication.position()).toBeGreaterThan(3 * TERM_LENGTH);
      } finally {
        publication.close();
        subscription.close();
      }
    });
  }

  it('counters: pub-lmt, pub-pos and sub-pos with Java labels, bytes mapped; publication close makes the image unavailable and deletes the log', async () => {
    const streamId = 1003;
    const counters = driver.driver.countersManager;
    const conductor = driver.driver.core.conductor;
    await awaitCondition("earlier tests' publications to be gone", () => conductor.ipcPublicationCount === 0);
    const mappedBefore = counters.getCounterValue(BYTES_CURRENTLY_MAPPED);
    const unavailable: Image[] = [];
    const subscription = await aeron.addSubscription(CHANNEL, streamId, {
      unavailableImageHandler: (image) => unavailable.push(image),
    });
    const publication = await aeron.addPublication(CHANNEL, streamId);
    await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1);
    const registrationId = publication.registrationId;
    const sessionId = publication.sessionId;
    const limitId = counters.findByTypeIdAndRegistrationId(PUB_LMT_TYPE_ID, registrationId);
    const posId = counters.findByTypeIdAndRegistrationId(PUB_POS_TYPE_ID, registrationId);
    const subPosId = counters.findByTypeIdAndRegistrationId(SUB_POS_TYPE_ID, subscription.registrationId);
    expect(counters.getCounterLabel(limitId)).toBe(`pub-lmt: ${registrationId} ${sessionId} ${streamId} ${CHANNEL}`);
    expect(counters.getCounterLabel(posId)).toBe(
      `pub-pos (concurrent): ${registrationId} ${sessionId} ${streamId} ${CHANNEL}`,
    );
    expect(counters.getCounterLabel(subPosId)).toBe(
      `sub-pos: ${subscription.registrationId} ${sessionId} ${streamId} ${CHANNEL} @0`,
    );
    expect(counters.getCounterState(subPosId)).toBe(RECORD_ALLOCATED);
    expect(counters.getCounterOwnerId(subPosId)).toBe(aeron.clientId);
    expect(subscription.images[0]!.subscriberPositionId).toBe(subPosId);
    expect(counters.getCounterValue(limitId)).toBe(TERM_LENGTH / 2);

    const logFile = publication.logBuffers.path;
    expect(existsSync(logFile)).toBe(true);
    const logLength = 3 * TERM_LENGTH + 4096;
    expect(counters.getCounterValue(BYTES_CURRENTLY_MAPPED)).toBe(mappedBefore + logLength);
    await offerUntilAccepted(publication, message(0, 100));
    await pollUntil(
      'the message',
      () => subscription.poll(() => {}, 10),
      () => subscription.images[0]!.position > 0,
    );
    publication.close();
    await awaitCondition('the image to go', () => unavailable.length === 1 && subscription.imageCount === 0);
    await awaitCondition('the log file to be deleted', () => !existsSync(logFile));
    expect(counters.getCounterValue(BYTES_CURRENTLY_MAPPED)).toBe(mappedBefore);
    expect(driver.driver.countersManager.getCounterState(limitId)).not.toBe(RECORD_ALLOCATED);
    subscription.close();
  });
  it('shares a concurrent publication per stream (one log, one session) and keeps it until the last adder closes', async () => {
    const streamId = 1004;
    const unavailable: Image[] = [];
    const subscription = await aeron.addSubscription(CHANNEL, streamId, {
      unavailableImageHandler: (image) => unavailable.push(image),
    });
    const first = await aeron.addPublication(CHANNEL, streamId);
    const second = await aeron.addPublication(CHANNEL, streamId);
    const exclusive = await aeron.addExclusivePublication(CHANNEL, streamId);
    try {
      expect(second.originalRegistrationId).toBe(first.registrationId);
      expect(second.registrationId).not.toBe(first.registrationId);
      expect(second.sessionId).toBe(first.sessionId);
      expect(exclusive.sessionId).not.toBe(first.sessionId);
      await awaitCondition('two images', () => subscription.imageCount === 2);
      first.close();
      const position = await offerUntilAccepted(second, message(1, 64));
      const shared = subscription.images.find((image) => image.sessionId === second.sessionId)!;
      await pollUntil(
        'the shared image',
        () => subscription.poll(() => {}, 10),
        () => shared.position === position,
      );
      expect(shared.isEndOfStream).toBe(false);
      expect(unavailable).toHaveLength(0);
      second.close();
      await pollUntil(
        'the shared image to go',
        () => subscription.poll(() => {}, 10),
        () => unavailable.length === 1,
      );
      expect(unavailable[0]!.sessionId).toBe(first.sessionId);
      expect(subscription.imageCount).toBe(1);
    } finally {
      first.close();
      second.close();
      exclusive.close();
      subscription.close();
    }
  });

  it('session-id: a publication takes it, a subscription with it sees only that session, a clash is refused', async () => {
    const streamId = 1005;
    const tagged = await aeron.addSubscription(`${CHANNEL}|session-id=777`, streamId);
    const any = await aeron.addSubscription(CHANNEL, streamId);
    const p777 = await aeron.addExclusivePublication(`${CHANNEL}|session-id=777`, streamId);
    const other = await aeron.addExclusivePublication(CHANNEL, streamId);
    try {
      expect(p777.sessionId).toBe(777);
      await awaitCondition('images', () => any.imageCount === 2 && tagged.imageCount === 1);
      expect(tagged.images[0]!.sessionId).toBe(777);
      const clash = await aeron.addExclusivePublication(`${CHANNEL}|session-id=777`, streamId).catch((e: unknown) => e);
      expect(clash).toBeInstanceOf(RegistrationError);
      expect((clash as RegistrationError).errorCodeName).toBe('INVALID_CHANNEL');
      expect((clash as RegistrationError).message).toContain(
        `existing publication has clashing sessionId=777 for streamId=${streamId}`,
      );
    } finally {
      p777.close();
      other.close();
      tagged.close();
      any.close();
    }
  });

  it('refuses a UDP subscription channel Java refuses with INVALID_CHANNEL; accepts spies with no publication as Java does', async () => {
    const refused = await aeron.addSubscription('aeron:udp?endpoint=localhost', 1006).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RegistrationError);
    expect((refused as RegistrationError).errorCodeName).toBe('INVALID_CHANNEL');
    const spy = await aeron.addSubscription('aeron-spy:aeron:udp?endpoint=localhost:40124', 1006);
    expect(spy.channelStatusId).toBe(-1);
    expect(spy.imageCount).toBe(0);
    spy.close();
  });

  it('GET_NEXT_AVAILABLE_SESSION_ID answers the next session id of the sequence publications take, never a reserved one', async () => {
    const streamId = 1007;
    /** The driver's sequence: +1 with int32 wrap, over the reserved range -1..1000 (the defaults). */
    const nextOf = (id: number): number => {
      const next = (id + 1) | 0;
      return next >= -1 && next <= 1000 ? 1001 : next;
    };
    const first = await aeron.nextSessionId(streamId);
    const second = await aeron.nextSessionId(streamId);
    expect(first >= -1 && first <= 1000).toBe(false);
    expect(second).toBe(nextOf(first));
    const publication = await aeron.addExclusivePublication(CHANNEL, streamId);
    try {
      expect(publication.sessionId).toBe(nextOf(second));
    } finally {
      publication.close();
    }
  });
});

describe('REJECT_IMAGE of a live IPC image through the TS driver (Java 1.51.0 IpcPublication.reject)', () => {
  /** System counter 42: IMAGES_REJECTED. */
  const IMAGES_REJECTED = 42;
  /** System counter 15: ERRORS. */
  const ERRORS = 15;
  const COOL_DOWN_NS = 1_000_000_000;
  let driver: TestDriver;
  let aeron: Aeron;
  const frames: PublicationErrorFrame[] = [];

  beforeAll(async () => {
    driver = await launchTestDriver({ imageLivenessTimeoutNs: COOL_DOWN_NS, timerIntervalNs: 50_000_000 });
    aeron = await Aeron.connect({
      aeronDir: driver.aeronDir,
      clientName: 'ipc-ts-reject',
      onPublicationError: (frame) => frames.push(frame),
    });
  });

  afterAll(async () => {
    aeron?.close();
    await driver?.close();
  });

  it('error frame IMAGE_REJECTED to the publisher, IMAGES_REJECTED + 1, image unavailable, relinked after the cool-down', async () => {
    const streamId = 1101;
    const available: Image[] = [];
    const unavailable: Image[] = [];
    const subscription = await aeron.addSubscription(CHANNEL, streamId, {
      availableImageHandler: (image) => available.push(image),
      unavailableImageHandler: (image) => unavailable.push(image),
    });
    const publication = await aeron.addPublication(CHANNEL, streamId);
    try {
      await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1);
      const image = subscription.images[0]!;
      const rejectedAt = process.hrtime.bigint();
      await image.reject('bad data');
      await awaitCondition('error frame and unavailable image', () => frames.length === 1 && unavailable.length === 1);
      const frame = frames[0]!;
      expect(frame.registrationId).toBe(publication.registrationId);
      expect(frame.sessionId).toBe(publication.sessionId);
      expect(frame.streamId).toBe(streamId);
      expect(frame.errorCode).toBe(13);
      expect(frame.errorMessage).toBe('bad data');
      expect(frame.receiverId).toBe(-1);
      expect(frame.destinationRegistrationId).toBe(-1);
      expect(frame.groupTag).toBe(-1);
      expect(frame.sourceAddress).toMatch(/^127\.0\.0\.1:0$/);
      expect(subscription.imageCount).toBe(0);
      expect(driver.driver.countersManager.getCounterValue(IMAGES_REJECTED)).toBe(1);
      // Java's DriverConductor.onPublicationError: an AeronEvent (WARN) in the distinct error log, ERRORS + 1.
      const warnings = readAllErrors(driver.driver.errorLog.buffer).filter((e) =>
        e.encodedException.includes('WARN - onPublicationError'),
      );
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.observationCount).toBe(1);
      expect(warnings[0]!.encodedException).toBe(
        `ControlProtocolError: WARN - onPublicationError: registrationId=${publication.registrationId}, ` +
          `destinationRegistrationId=-1, sessionId=${publication.sessionId}, streamId=${streamId}, ` +
          'receiverId=-1, groupId=-1, errorCode=13, errorMessage=bad data',
      );
      expect(driver.driver.countersManager.getCounterValue(ERRORS)).toBeGreaterThanOrEqual(1);
      await awaitCondition('not connected', () => !publication.isConnected());

      await awaitCondition(
        'relinked after the cool-down',
        () => available.length === 2 && subscription.imageCount === 1,
      );
      expect(Number(process.hrtime.bigint() - rejectedAt)).toBeGreaterThanOrEqual(COOL_DOWN_NS);
      await awaitCondition('connected again', () => publication.isConnected());
      await offerUntilAccepted(publication, message(0, 100));
      let received = 0;
      await pollUntil(
        'the message on the new image',
        () => subscription.poll(() => received++, 10),
        () => received === 1,
      );
    } finally {
      publication.close();
      subscription.close();
    }
  });
});
