/**
 * Shared pieces of the archive interop suites (auth, replication, faults) against the real Java
 * ArchivingMediaDriver 1.51.0: connecting our archive client over a real Aeron client, recording a known
 * message stream, reading a recording back through a replay, and small bounded waits.
 *
 * Every wait has a deadline; nothing asserts time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ArchivingDriverHandle } from '../../../harness/driver.ts';
import { AeronArchive } from '../../../src/archive/aeron-archive.ts';
import type { ArchiveOptions } from '../../../src/archive/archive-context.ts';
import type { RecordingDescriptor } from '../../../src/archive/recording-descriptor.ts';
import type { RecordingSignalEvent } from '../../../src/archive/recording-signal.ts';
import { Aeron } from '../../../src/client/aeron.ts';

/** Client driver timeout: the driver heartbeats ~1/s, so stay well above 2 s on a loaded 2-core machine. */
export const DRIVER_TIMEOUT_MS = 10_000;

/** Polls `condition` every `intervalMs` until true; throws naming `what` after `timeoutMs`. */
export async function awaitCondition(
  what: string,
  condition: () => boolean,
  timeoutMs = 30_000,
  intervalMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** `promise`, or a rejection naming `what` after `ms` (the timer is cleared either way). */
export async function within<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no outcome within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A TS Aeron client on the archive's media driver; its asynchronous errors go to `errors` when given. */
export function connectAeron(archive: { readonly aeronDir: string }, errors?: unknown[]): Promise<Aeron> {
  return Aeron.connect({
    aeronDir: archive.aeronDir,
    driverTimeoutMs: DRIVER_TIMEOUT_MS,
    ...(errors === undefined ? {} : { errorHandler: (error: unknown) => errors.push(error) }),
  });
}

export type ArchiveClientOptions = Partial<Omit<ArchiveOptions, 'transport' | 'aeron' | 'aeronDir' | 'aeronOptions'>>;

/**
 * Our archive client over `aeron`, on the archive's UDP control channel with its response channel
 * (`options` override any field).
 */
export function connectArchive(
  aeron: Aeron,
  archive: ArchivingDriverHandle,
  options: ArchiveClientOptions = {},
): Promise<AeronArchive> {
  return AeronArchive.connect({
    aeron,
    controlRequestChannel: archive.controlChannel,
    controlRequestStreamId: archive.controlStreamId,
    controlResponseChannel: archive.responseChannel,
    messageTimeoutMs: 10_000,
    ...options,
  });
}

/** Our archive client over `aeron`, on the archive's local (IPC) control channel with responses on `aeron:ipc`. */
export function connectLocalArchive(
  aeron: Aeron,
  archive: ArchivingDriverHandle,
  options: ArchiveClientOptions = {},
): Promise<AeronArchive> {
  return AeronArchive.connect({
    aeron,
    controlRequestChannel: archive.localControlChannel,
    controlRequestStreamId: archive.localControlStreamId,
    controlResponseChannel: 'aeron:ipc',
    ...options,
  });
}

/** Collects an archive client's recording signals (from its `recordingSignalConsumer`). */
export class SignalLog {
  readonly events: RecordingSignalEvent[] = [];
  readonly consumer = (event: RecordingSignalEvent): void => {
    this.events.push(event);
  };

  /** Names of the signals so far that match `where`, in arrival order. */
  names(where: (event: RecordingSignalEvent) => boolean = () => true): string[] {
    return this.events.filter(where).map((e) => e.signalName);
  }

  /** Waits until a signal named `name` matching `where` (when given) arrived; returns the first such. */
  async await(
    name: string,
    where: (event: RecordingSignalEvent) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<RecordingSignalEvent> {
    const find = () => this.events.find((e) => e.signalName === name && where(e));
    await awaitCondition(`signal ${name} (seen: ${this.names().join(',')})`, () => find() !== undefined, timeoutMs);
    const found = find();
    if (found === undefined) throw new Error(`signal ${name} vanished`);
    return found;
  }
}

/** Payload of message `i` of a test stream: `length` bytes, deterministic in (`seed`, `i`). */
export function messagePayload(seed: number, i: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = (Math.imul(seed, 0x9e3779b9) + i) | 0;
  for (let j = 0; j < length; j++) {
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + j;
    bytes[j] = (x >>> 16) & 0xff;
  }
  new DataView(bytes.buffer).setInt32(0, i, true);
  return bytes;
}

/** Offers until accepted (back pressure, not yet connected), within `timeoutMs`; returns the new position. */
export async function offerWithin(
  publication: { offer(buffer: Uint8Array, offset?: number, length?: number): number },
  payload: Uint8Array,
  timeoutMs = 20_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = publication.offer(payload, 0, payload.length);
    if (result > 0) return result;
    if (result === -4 || result === -5) throw new Error(`offer failed: ${result}`);
    if (Date.now() > deadline) throw new Error(`offer not accepted within ${timeoutMs} ms (last result ${result})`);
    await sleep(1);
  }
}

/** All recordings of an archive, in id order. */
export async function listAll(archive: AeronArchive): Promise<RecordingDescriptor[]> {
  const all: RecordingDescriptor[] = [];
  await archive.listRecordings(0, 1_000, (d) => {
    all.push({ ...d });
  });
  return all;
}

/**
 * Replays `[position, position + length)` of a recording to `channel`/`streamId` and returns the payloads in
 * order, until `count` messages have arrived (deadline `timeoutMs`).
 */
export async function replayPayloads(
  aeron: Aeron,
  archive: AeronArchive,
  recordingId: number,
  position: number,
  length: number,
  count: number,
  channel: string,
  streamId: number,
  timeoutMs = 30_000,
): Promise<Uint8Array[]> {
  const subscription = await aeron.addSubscription(channel, streamId);
  try {
    const replaySessionId = await archive.startReplay(recordingId, position, length, channel, streamId);
    const received: Uint8Array[] = [];
    await awaitCondition(
      `${count} replayed messages of recording ${recordingId}`,
      () => {
        subscription.poll((buffer, offset, len) => {
          const copy = new Uint8Array(len);
          buffer.getBytes(offset, copy, 0, len);
          received.push(copy);
        }, 100);
        return received.length >= count;
      },
      timeoutMs,
      1,
    );
    await archive.stopReplay(replaySessionId).catch(() => {});
    return received;
  } finally {
    subscription.close();
  }
}
