/**
 * PersistentSubscription through loss (the C client's `aeron_archive_persistent_subscription_resilience_test`:
 * shouldReceiveAllMessagesWithLossOnBothChannels, shouldTransitionToLiveThroughLossyReplayWhilePublishing)
 * against the real Java 1.51.0 drivers:
 *
 * ```
 *   remote ArchivingMediaDriver: the MDC publication (fc=max), recorded locally by its archive
 *   local MediaDriver with Java's DebugReceiveChannelEndpoint: drops 10% of the data frames it receives (seeded),
 *       on every UDP receive channel: the live stream, the replay and the archive control responses
 *   our Aeron client on the local driver: the persistent subscription
 * ```
 * Lost frames come back through NAKs and retransmission, so frames arrive late and out of order on both
 * sources while the subscription replays, switches to live and keeps consuming. Every message (numbered and
 * checksummed) must be delivered once, in order, while the publisher keeps publishing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ArchivingDriverHandle,
  type DriverHandle,
  startArchivingMediaDriver,
  startMediaDriver,
} from '../../harness/driver.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { pollUntil } from '../support/wait.ts';
import {
  mdcChannels,
  PS_DRIVER_PROPERTIES,
  recordedPublisher,
  remoteSubscriptionOptions,
  TrackedSubscription,
} from './persistent-subscription-fixtures.ts';
import { connectAeron, connectArchive } from './support/archive-interop.ts';

const STREAM_ID = 4001;

describeInterop('PersistentSubscription with receive loss (Java drivers)', () => {
  let remote: ArchivingDriverHandle | undefined;
  let local: DriverHandle | undefined;
  let remoteAeron: Aeron | undefined;
  let archive: AeronArchive | undefined;
  let aeron: Aeron | undefined;

  beforeAll(async () => {
    remote = await startArchivingMediaDriver({
      properties: { ...PS_DRIVER_PROPERTIES, 'aeron.archive.segment.file.length': '65536' },
    });
    local = await startMediaDriver({ properties: PS_DRIVER_PROPERTIES, loss: { rate: 0.1, seed: 7 } });
    remoteAeron = await connectAeron(remote);
    archive = await connectArchive(remoteAeron, remote);
    aeron = await connectAeron(local);
  }, 120_000);

  afterAll(async () => {
    await releaseAll(aeron, archive, remoteAeron, local, remote);
    assertNoLeftovers();
  }, 60_000);

  it('replays, switches to live and stays live with 10% data loss while publishing: no gap, no duplicate', async () => {
    const { liveChannel, publicationChannel } = await mdcChannels();
    const publication = await archive!.addRecordedExclusivePublication(publicationChannel, STREAM_ID);
    const publisher = await recordedPublisher(archive!, publication);
    await publisher.persist(100);

    const tracked = await TrackedSubscription.create(
      remoteSubscriptionOptions(aeron!, remote!, publisher.recordingId, liveChannel, STREAM_ID, 10_000),
    );
    const { persistent, receiver } = tracked;
    const total = 300;
    let publishing = true;
    const background = (async () => {
      while (publishing && publisher.published < total) {
        await publisher.publish(1);
        await sleep(2);
      }
    })();
    try {
      await pollUntil(
        `all ${total} messages, live`,
        () => tracked.poll(),
        () => publisher.published >= total && receiver.count >= total && persistent.isLive(),
        120_000,
        { detail: () => `${tracked.detail()} published=${publisher.published}` },
      );
      expect(receiver.errors).toEqual([]);
      expect(receiver.count).toBe(total);
      expect(persistent.hasFailed()).toBe(false);
      expect(tracked.events[0]).toBe('joined');
      expect(naksSent(aeron!)).toBeGreaterThan(0); // the loss generator is active
    } finally {
      publishing = false;
      await background;
      persistent.close();
      publication.close();
    }
  }, 240_000);
});

/** The local driver's "NAKs sent" system counter. */
function naksSent(client: Aeron): number {
  let value = -1;
  client.countersReader.forEach((id, typeId, _key, label) => {
    if (typeId === 0 && label === 'NAKs sent') value = client.countersReader.getCounterValue(id);
  });
  return value;
}
