/**
 * The publication error frame handler against the real Java media driver (1.51.0): a UDP subscriber rejects
 * the image (REJECT_IMAGE), its driver sends an ERR frame to the publisher's driver, which reports it to the
 * publishing client as ON_PUBLICATION_ERROR; aeron-ts hands it to `onPublicationError`.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { PublicationErrorFrame } from '../../src/client/conductor-contract.ts';
import { ErrorCode } from '../../src/client/error-codes.ts';
import type { Image } from '../../src/client/image.ts';
import type { Publication } from '../../src/client/publication.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';

describeInterop('publication error frames from the Java media driver', () => {
  let driver: DriverHandle;

  beforeAll(async () => {
    driver = await startMediaDriver();
  });

  afterAll(async () => {
    await driver?.stop();
    assertNoLeftovers();
  });

  it('a rejected image reaches the publisher as a PublicationErrorFrame with IMAGE_REJECTED', async () => {
    const frames: PublicationErrorFrame[] = [];
    const publisher = await Aeron.connect({
      aeronDir: driver.aeronDir,
      driverTimeoutMs: 10_000,
      onPublicationError: (frame) => frames.push(frame),
    });
    const subscriber = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    try {
      const channel = `aeron:udp?endpoint=localhost:${await freeUdpPort()}`;
      const images: Image[] = [];
      const subscription = await subscriber.addSubscription(channel, 4001, (image) => images.push(image));
      const publication = await publisher.addPublication(channel, 4001);
      await awaitCondition('image available', () => images.length > 0 && publication.isConnected(), 30_000);

      await images[0]!.reject('rejected by the test');
      await awaitCondition('publication error frame', () => frames.length > 0, 30_000);

      const frame = frames[0]!;
      expect(frame.registrationId).toBe(publication.originalRegistrationId);
      expect(frame.sessionId).toBe(publication.sessionId);
      expect(frame.streamId).toBe(4001);
      expect(frame.errorCode).toBe(ErrorCode.IMAGE_REJECTED);
      expect(frame.errorMessage).toContain('rejected by the test');
      expect(frame.sourceAddress).toMatch(/^127\.0\.0\.1:\d+$/);
      subscription.close();
      publication.close();
    } finally {
      publisher.close();
      subscriber.close();
    }
  }, 90_000);

  it("Java's option name publicationErrorFrameHandler; a handler that closes its publication and its client", async () => {
    const frames: PublicationErrorFrame[] = [];
    const errors: unknown[] = [];
    let publisher: Aeron | null = null;
    let publication: Publication | null = null;
    publisher = await Aeron.connect({
      aeronDir: driver.aeronDir,
      driverTimeoutMs: 10_000,
      errorHandler: (e) => errors.push(e),
      publicationErrorFrameHandler: (frame) => {
        frames.push(frame);
        publication?.close();
        publisher?.close();
      },
    });
    const subscriber = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    try {
      const channel = `aeron:udp?endpoint=localhost:${await freeUdpPort()}`;
      const images: Image[] = [];
      await subscriber.addSubscription(channel, 4002, (image) => images.push(image));
      publication = await publisher.addPublication(channel, 4002);
      await awaitCondition('image available', () => images.length > 0 && publication!.isConnected(), 30_000);

      await images[0]!.reject('rejected by the test');
      await awaitCondition('publication error frame', () => frames.length > 0, 30_000);
      expect(frames[0]!.errorCode).toBe(ErrorCode.IMAGE_REJECTED);
      expect(publication.isClosed).toBe(true);
      expect(publisher.isClosed).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      publisher.close();
      subscriber.close();
    }
  }, 90_000);
});
