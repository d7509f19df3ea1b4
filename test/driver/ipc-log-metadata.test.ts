/**
 * The TS driver writes an IPC publication's log metadata as Java's driver does: the same channel (every parameter
 * that would otherwise be random fixed: session id, initial term id, starting term and offset) on the real Java
 * media driver (aeron-all 1.51.0) and on ours gives the same 4096 metadata bytes, but for the correlation id (the
 * registration id, which differs by nature). The OS socket buffer lengths included: Java reads them from a socket,
 * ours from /proc, and they agree.
 */
import { afterAll, expect, it } from 'vitest';
import { type DriverHandle, JAVA_DRIVER, startMediaDriver } from '../../harness/driver.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { LOG_CORRELATION_ID_OFFSET, LOG_META_DATA_LENGTH } from '../../src/logbuffer/log-buffer-descriptor.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';
import { launchTestDriver, type TestDriver } from './support.ts';

const CHANNEL =
  'aeron:ipc?term-length=64k|mtu=4096|session-id=4242|init-term-id=100|term-id=103|term-offset=2048|linger=3s|sparse=false';

/** Byte ranges that may differ: [offset, length]. */
const EXPECTED_DIFFERENCES: ReadonlyArray<readonly [number, number]> = [[LOG_CORRELATION_ID_OFFSET, 8]];

async function metadataOf(aeronDir: string, exclusive: boolean): Promise<Uint8Array> {
  const streamId = exclusive ? 78 : 77;
  const aeron = await Aeron.connect({ aeronDir, clientName: 'log-metadata' });
  try {
    const subscription = await aeron.addSubscription(CHANNEL, streamId);
    const publication = exclusive
      ? await aeron.addExclusivePublication(CHANNEL, streamId)
      : await aeron.addPublication(CHANNEL, streamId);
    await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1);
    const bytes = new Uint8Array(LOG_META_DATA_LENGTH);
    publication.logBuffers.metaDataBuffer.getBytes(0, bytes, 0, LOG_META_DATA_LENGTH);
    publication.close();
    subscription.close();
    return bytes;
  } finally {
    aeron.close();
  }
}

function differingOffsets(a: Uint8Array, b: Uint8Array): number[] {
  const offsets: number[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (EXPECTED_DIFFERENCES.some(([offset, length]) => i >= offset && i < offset + length)) continue;
    offsets.push(i);
  }
  return offsets;
}

describeInterop('IPC log metadata: TS driver vs Java driver', () => {
  let java: DriverHandle | undefined;
  let ts: TestDriver | undefined;

  afterAll(async () => {
    await java?.stop();
    await ts?.close();
  });

  it('concurrent and exclusive: the same metadata bytes but the correlation id', async () => {
    java = await startMediaDriver({ driver: JAVA_DRIVER });
    ts = await launchTestDriver();
    for (const exclusive of [false, true]) {
      const fromJava = await metadataOf(java.aeronDir, exclusive);
      const fromTs = await metadataOf(ts.aeronDir, exclusive);
      expect(differingOffsets(fromJava, fromTs), exclusive ? 'exclusive' : 'concurrent').toEqual([]);
    }
  });
});
