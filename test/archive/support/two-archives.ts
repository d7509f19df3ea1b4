/**
 * Two ArchivingMediaDrivers for replication tests: a source and a destination, each with its own media driver
 * (own aeron dir, own archive dir, own UDP control endpoint), and on each a TS Aeron client plus our archive
 * client whose recording signals are logged.
 *
 * ```
 *   src ArchivingMediaDriver ◀─control─ srcArchive (TS)        src.aeron publishes the recorded live stream
 *        ▲  control + replay (replication channel of dst)
 *        │
 *   dst ArchivingMediaDriver ◀─control─ dstArchive (TS)        dst.archive.replicate(srcRecordingId, src control)
 * ```
 */
import { SourceLocation } from '../../../codecs/generated/archive/SourceLocation.ts';
import {
  type ArchivingDriverHandle,
  type ArchivingDriverOptions,
  startArchivingMediaDriver,
} from '../../../harness/driver.ts';
import { freeUdpPort } from '../../../harness/ports.ts';
import type { AeronArchive } from '../../../src/archive/aeron-archive.ts';
import type { Aeron } from '../../../src/client/aeron.ts';
import type { ConcurrentPublication } from '../../../src/client/concurrent-publication.ts';
import { offerUntilAccepted } from '../../support/wait.ts';
import { connectAeron, connectArchive, messagePayload, SignalLog } from './archive-interop.ts';

/** One archiving driver with a TS Aeron client and archive client on it. */
export interface ArchiveSide {
  readonly driver: ArchivingDriverHandle;
  readonly aeron: Aeron;
  readonly archive: AeronArchive;
  readonly signals: SignalLog;
}

export interface TwoArchives extends AsyncDisposable {
  readonly src: ArchiveSide;
  readonly dst: ArchiveSide;
  close(): Promise<void>;
}

async function startSide(options: ArchivingDriverOptions): Promise<ArchiveSide> {
  const driver = await startArchivingMediaDriver(options);
  let aeron: Aeron | undefined;
  try {
    aeron = await connectAeron(driver);
    const signals = new SignalLog();
    const archive = await connectArchive(aeron, driver, { recordingSignalConsumer: signals.consumer });
    return { driver, aeron, archive, signals };
  } catch (error) {
    aeron?.close();
    await driver.stop();
    throw error;
  }
}

async function closeSide(side: ArchiveSide | undefined): Promise<void> {
  if (side === undefined) return;
  side.archive.close();
  side.aeron.close();
  await side.driver.stop();
}

/**
 * Starts the source, then the destination (sequentially: JVM starts are heavy on 2 cores). Both drivers run
 * with `aeron.spies.simulate.connection=true`: a LOCAL recording of a UDP channel is a spy subscription, which
 * otherwise does not make the publication connected (offers return NOT_CONNECTED until a real receiver joins).
 */
export async function startTwoArchives(options: ArchivingDriverOptions = {}): Promise<TwoArchives> {
  const sideOptions: ArchivingDriverOptions = {
    ...options,
    properties: { 'aeron.spies.simulate.connection': 'true', ...options.properties },
  };
  const src = await startSide(sideOptions);
  let dst: ArchiveSide;
  try {
    dst = await startSide(sideOptions);
  } catch (error) {
    await closeSide(src);
    throw error;
  }
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await closeSide(dst);
      await closeSide(src);
    })();
    return closing;
  };
  return { src, dst, close, [Symbol.asyncDispose]: close };
}

/** A dynamic MDC channel on a fresh loopback port: the source archive and the destination's live merge join it. */
export async function liveChannel(): Promise<string> {
  const port = await freeUdpPort();
  return `aeron:udp?control-mode=dynamic|control=localhost:${port}|term-length=64k`;
}

/** A live stream recorded by the source archive. */
export interface LiveRecording {
  readonly channel: string;
  readonly streamId: number;
  readonly subscriptionId: number;
  readonly recordingId: number;
  readonly publication: ConcurrentPublication;
  /** Every payload offered so far, in order. */
  readonly payloads: Uint8Array[];
  /** Offers `count` more messages of `length` bytes; resolves the publication position after the last. */
  publish(count: number, length?: number): Promise<number>;
}

const SEED = 0x5eed;

/** Starts a LOCAL recording of `channel`/`streamId` on `side`, adds the publication and awaits the START signal. */
export async function startLiveRecording(side: ArchiveSide, channel: string, streamId: number): Promise<LiveRecording> {
  const subscriptionId = await side.archive.startRecording(channel, streamId, SourceLocation.LOCAL);
  const publication = await side.aeron.addPublication(channel, streamId);
  const start = await side.signals.await('START', (e) => e.subscriptionId === subscriptionId);
  const payloads: Uint8Array[] = [];
  const publish = async (count: number, length = 200): Promise<number> => {
    let position = publication.position();
    for (let i = 0; i < count; i++) {
      const payload = messagePayload(SEED + streamId, payloads.length, length);
      position = await offerUntilAccepted(publication, payload, 20_000);
      payloads.push(payload);
    }
    return position;
  };
  return { channel, streamId, subscriptionId, recordingId: start.recordingId, publication, payloads, publish };
}
