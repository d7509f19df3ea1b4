/**
 * The archive's own counters (Java `ArchiveCounters` and what `Archive.Context.conclude` allocates): key =
 * archiveId (int64), label = name + " - archiveId=<id>"; the error counter's label ends with the version info, as
 * Java's `allocateErrorCounter` appends it.
 *
 * | type id | Java (`AeronCounters`)                        | label (before " - archiveId=<id>")                             |
 * |---------|-----------------------------------------------|----------------------------------------------------------------|
 * | 101     | ARCHIVE_ERROR_COUNT_TYPE_ID                   | `Archive Errors` (then ` version=<v> commit=<sha>`)            |
 * | 102     | ARCHIVE_CONTROL_SESSIONS_TYPE_ID              | `Archive Control Sessions` (allocated by the conductor)        |
 * | 103     | ARCHIVE_MAX_CYCLE_TIME_TYPE_ID                | `archive-conductor max cycle time in ns: SHARED`               |
 * | 104     | ARCHIVE_CYCLE_TIME_THRESHOLD_EXCEEDED_TYPE_ID | `archive-conductor work cycle time exceeded count: threshold=100ms SHARED` |
 * | 105     | ARCHIVE_RECORDER_MAX_WRITE_TIME_TYPE_ID       | `archive-recorder max write time in ns`                        |
 * | 106     | ARCHIVE_RECORDER_TOTAL_WRITE_BYTES_TYPE_ID    | `archive-recorder total write bytes`                           |
 * | 107     | ARCHIVE_RECORDER_TOTAL_WRITE_TIME_TYPE_ID     | `archive-recorder total write time in ns`                      |
 * | 108     | ARCHIVE_REPLAYER_MAX_READ_TIME_TYPE_ID        | `archive-replayer max read time in ns`                         |
 * | 109     | ARCHIVE_REPLAYER_TOTAL_READ_BYTES_TYPE_ID     | `archive-replayer total read bytes`                            |
 * | 110     | ARCHIVE_REPLAYER_TOTAL_READ_TIME_TYPE_ID      | `archive-replayer total read time in ns`                       |
 * | 111     | ARCHIVE_RECORDING_SESSION_COUNT_TYPE_ID       | `Archive Recording Sessions`                                   |
 * | 112     | ARCHIVE_REPLAY_SESSION_COUNT_TYPE_ID          | `Archive Replay Sessions`                                      |
 * | 113     | ARCHIVE_CONTROL_SESSION_TYPE_ID               | `control-session: <client info>`, one per control session      |
 *
 * The control session counter (113) is keyed by archive id and control session id (int64 each); its value is the
 * control session id, its reference id the session's response publication (Java `ControlSessionCounter`).
 *
 * Values as Java's: the recorder's totals (bytes written, a padding frame counting its header only; time in
 * the file writes) and the replayer's (bytes read, time reading) accumulate in {@link IoTotals} that the
 * writers and replays add to, and are published to their counters after a duty cycle that did work (Java's
 * `Recorder.doWork` / `Replayer.doWork`); the session counts follow the live recording and replay sessions;
 * the conductor's cycle counters measure the time between duty cycles (SHARED: conductor, recorder and replayer
 * in one cycle; on the event loop a cycle includes whatever else ran in between). Times are nanoseconds as
 * doubles from `performance.now()` (exact integers below 2^53 ns, 104 days of summed write time).
 */
import type { Aeron } from '../client/aeron.ts';
import type { Counter } from '../client/counter.ts';
import { formatDuration } from '../driver/system-counters.ts';
import {
  ARCHIVE_CONTROL_SESSION_TYPE_ID,
  ARCHIVE_CONTROL_SESSIONS_TYPE_ID,
  ARCHIVE_CYCLE_TIME_THRESHOLD_EXCEEDED_TYPE_ID,
  ARCHIVE_ERROR_COUNT_TYPE_ID,
  ARCHIVE_MAX_CYCLE_TIME_TYPE_ID,
  ARCHIVE_RECORDER_MAX_WRITE_TIME_TYPE_ID,
  ARCHIVE_RECORDER_TOTAL_WRITE_BYTES_TYPE_ID,
  ARCHIVE_RECORDER_TOTAL_WRITE_TIME_TYPE_ID,
  ARCHIVE_RECORDING_SESSION_COUNT_TYPE_ID,
  ARCHIVE_REPLAY_SESSION_COUNT_TYPE_ID,
  ARCHIVE_REPLAYER_MAX_READ_TIME_TYPE_ID,
  ARCHIVE_REPLAYER_TOTAL_READ_BYTES_TYPE_ID,
  ARCHIVE_REPLAYER_TOTAL_READ_TIME_TYPE_ID,
} from '../transport/aeron-counters.ts';
import { counterOffset, MAX_LABEL_LENGTH, REFERENCE_ID_OFFSET } from '../transport/counters-descriptor.ts';
import type { CountersReader } from '../transport/counters-reader.ts';

/** The archive's counter type ids, Java's `AeronCounters` values (defined once in src/transport/aeron-counters.ts). */
export {
  ARCHIVE_ERROR_COUNT_TYPE_ID,
  ARCHIVE_CONTROL_SESSIONS_TYPE_ID,
  ARCHIVE_MAX_CYCLE_TIME_TYPE_ID,
  ARCHIVE_CYCLE_TIME_THRESHOLD_EXCEEDED_TYPE_ID,
  ARCHIVE_RECORDER_MAX_WRITE_TIME_TYPE_ID,
  ARCHIVE_RECORDER_TOTAL_WRITE_BYTES_TYPE_ID,
  ARCHIVE_RECORDER_TOTAL_WRITE_TIME_TYPE_ID,
  ARCHIVE_REPLAYER_MAX_READ_TIME_TYPE_ID,
  ARCHIVE_REPLAYER_TOTAL_READ_BYTES_TYPE_ID,
  ARCHIVE_REPLAYER_TOTAL_READ_TIME_TYPE_ID,
  ARCHIVE_RECORDING_SESSION_COUNT_TYPE_ID,
  ARCHIVE_REPLAY_SESSION_COUNT_TYPE_ID,
  ARCHIVE_CONTROL_SESSION_TYPE_ID,
};

/** `ArchiveCounters.ARCHIVE_ID_LABEL_SUFFIX`. */
export const ARCHIVE_ID_LABEL_SUFFIX = ' - archiveId=';
/** This archive's version info in the error counter's label (Java: `version=<v> commit=<sha>`). */
export const ARCHIVE_VERSION_INFO = 'version=0.1.0 commit=aeron-ts';
/** `Archive.Configuration.CONDUCTOR_CYCLE_THRESHOLD_DEFAULT_NS`: 100 ms. */
export const CONDUCTOR_CYCLE_THRESHOLD_DEFAULT_NS = 100_000_000;
/** The threading mode this archive runs in (Java `ArchiveThreadingMode.SHARED`), in the cycle counters' labels. */
export const ARCHIVE_THREADING_MODE = 'SHARED';

const ARCHIVE_ID_KEY_OFFSET = 0;
const NS_PER_MS = 1_000_000;

/** The key of an archive counter: the archive id as int64. */
function archiveIdKey(archiveId: number): Uint8Array {
  const key = new Uint8Array(8);
  new DataView(key.buffer).setBigInt64(0, BigInt(archiveId), true);
  return key;
}

/** Options of the counter allocations: `signal` aborts the wait (`AeronAbortedError`). */
export interface AllocateOptions {
  /** Aborts the allocation (the client removes a counter whose answer comes later). */
  readonly signal?: AbortSignal | undefined;
}

/** An archive counter of `typeId` named `name` (Java `ArchiveCounters.allocate`). */
export function allocateArchiveCounter(
  aeron: Aeron,
  typeId: number,
  name: string,
  archiveId: number,
  options: AllocateOptions = {},
): Promise<Counter> {
  return aeron.addCounter(typeId, `${name}${ARCHIVE_ID_LABEL_SUFFIX}${archiveId}`, archiveIdKey(archiveId), options);
}

/** Java `ControlSessionCounter.NAME`: the first part of a control session counter's label. */
const CONTROL_SESSION_COUNTER_NAME = 'control-session';

/**
 * A control session's counter (Java `ControlSessionCounter.allocate`, type 113), added asynchronously; returns its
 * registration id. Key: the archive id, then the control session id (int64 each); label
 * `control-session: <clientInfo> - archiveId=<id>` (Java's `clientInfo`, or `sourceIdentity=… sessionId=…` of the
 * request image), cut to the longest label a counter takes. The session sets the value to its id and the
 * reference id to its response publication's registration id once both exist ({@link setCounterReferenceId}).
 */
export function allocateControlSessionCounter(
  aeron: Aeron,
  archiveId: number,
  controlSessionId: number,
  clientInfo: string,
): number {
  const key = new Uint8Array(16);
  const view = new DataView(key.buffer);
  view.setBigInt64(0, BigInt(archiveId), true);
  view.setBigInt64(8, BigInt(controlSessionId), true);
  const label = `${CONTROL_SESSION_COUNTER_NAME}: ${clientInfo}${ARCHIVE_ID_LABEL_SUFFIX}${archiveId}`;
  return aeron.asyncAddCounter(ARCHIVE_CONTROL_SESSION_TYPE_ID, label.slice(0, MAX_LABEL_LENGTH), key);
}

/** Release store of a counter's reference id through the client's counters (Java `AeronCounters.setReferenceId`). */
export function setCounterReferenceId(aeron: Aeron, counterId: number, referenceId: number): void {
  aeron.countersReader.valuesBuffer.putInt64Ordered(counterOffset(counterId) + REFERENCE_ID_OFFSET, referenceId);
}

/** The archive's error counter (Java `ArchiveCounters.allocateErrorCounter`). */
export function allocateErrorCounter(aeron: Aeron, archiveId: number, options: AllocateOptions = {}): Promise<Counter> {
  return aeron.addCounter(
    ARCHIVE_ERROR_COUNT_TYPE_ID,
    `Archive Errors${ARCHIVE_ID_LABEL_SUFFIX}${archiveId} ${ARCHIVE_VERSION_INFO}`,
    archiveIdKey(archiveId),
    options,
  );
}

/**
 * Id of the first allocated counter of `typeId` whose key starts with `archiveId`, or -1 (Java
 * `ArchiveCounters.find`). Control path: allocates.
 */
export function findArchiveCounter(counters: CountersReader, typeId: number, archiveId: number): number {
  let found = -1;
  counters.forEach((counterId, counterTypeId, key) => {
    if (found < 0 && counterTypeId === typeId && key.getInt64(ARCHIVE_ID_KEY_OFFSET) === archiveId) found = counterId;
  });
  return found;
}

/**
 * Bytes and time of the recorder's writes or the replayer's reads (Java `Recorder` / `Replayer` fields):
 * `add` per block, no allocation.
 */
export class IoTotals {
  /** Bytes moved so far. */
  bytes = 0;
  /** Nanoseconds spent moving them. */
  timeNs = 0;
  /** The longest single operation, in ns. */
  maxTimeNs = 0;

  /** Adds one operation of `bytes` that took `timeNs`. */
  add(bytes: number, timeNs: number): void {
    this.bytes += bytes;
    this.timeNs += timeNs;
    if (timeNs > this.maxTimeNs) this.maxTimeNs = timeNs;
  }
}

/** Nanoseconds from a monotonic clock, as a double (no allocation). */
export function nanoTime(): number {
  return Math.round(performance.now() * NS_PER_MS);
}

/**
 * The counters `Archive.launch` allocates besides the error and control sessions counters (module comment's
 * table, 103-112), with the totals they publish. Close it once.
 */
export class ArchiveCounters implements Disposable {
  /** What the recording writers add to (published to 105-107). */
  readonly recorder = new IoTotals();
  /** What the replays add to (published to 108-110). */
  readonly replayer = new IoTotals();
  readonly #counters: Counter[];
  readonly #maxCycleTime: Counter;
  readonly #cycleTimeThresholdExceeded: Counter;
  readonly #maxWriteTime: Counter;
  readonly #totalWriteBytes: Counter;
  readonly #totalWriteTime: Counter;
  readonly #maxReadTime: Counter;
  readonly #totalReadBytes: Counter;
  readonly #totalReadTime: Counter;
  readonly #recordingSessions: Counter;
  readonly #replaySessions: Counter;
  readonly #cycleThresholdNs: number;
  #maxCycleTimeNs = 0;
  #lastCycleNs = 0;
  #recordingSessionCount = 0;
  #replaySessionCount = 0;

  private constructor(counters: Counter[], cycleThresholdNs: number) {
    this.#counters = counters;
    const at = (i: number): Counter => counters[i] as Counter;
    this.#maxCycleTime = at(0);
    this.#cycleTimeThresholdExceeded = at(1);
    this.#recordingSessions = at(2);
    this.#replaySessions = at(3);
    this.#maxWriteTime = at(4);
    this.#totalWriteBytes = at(5);
    this.#totalWriteTime = at(6);
    this.#maxReadTime = at(7);
    this.#totalReadBytes = at(8);
    this.#totalReadTime = at(9);
    this.#cycleThresholdNs = cycleThresholdNs;
  }

  /**
   * Allocates the counters in Java's order (module comment). A failure or an abort closes the ones already
   * allocated and rejects.
   */
  static async allocate(
    aeron: Aeron,
    archiveId: number,
    options: AllocateOptions & { readonly cycleThresholdNs?: number } = {},
  ): Promise<ArchiveCounters> {
    const thresholdNs = options.cycleThresholdNs ?? CONDUCTOR_CYCLE_THRESHOLD_DEFAULT_NS;
    const mode = ARCHIVE_THREADING_MODE;
    const plan: ReadonlyArray<readonly [number, string]> = [
      [ARCHIVE_MAX_CYCLE_TIME_TYPE_ID, `archive-conductor max cycle time in ns: ${mode}`],
      [
        ARCHIVE_CYCLE_TIME_THRESHOLD_EXCEEDED_TYPE_ID,
        `archive-conductor work cycle time exceeded count: threshold=${formatDuration(thresholdNs)} ${mode}`,
      ],
      [ARCHIVE_RECORDING_SESSION_COUNT_TYPE_ID, 'Archive Recording Sessions'],
      [ARCHIVE_REPLAY_SESSION_COUNT_TYPE_ID, 'Archive Replay Sessions'],
      [ARCHIVE_RECORDER_MAX_WRITE_TIME_TYPE_ID, 'archive-recorder max write time in ns'],
      [ARCHIVE_RECORDER_TOTAL_WRITE_BYTES_TYPE_ID, 'archive-recorder total write bytes'],
      [ARCHIVE_RECORDER_TOTAL_WRITE_TIME_TYPE_ID, 'archive-recorder total write time in ns'],
      [ARCHIVE_REPLAYER_MAX_READ_TIME_TYPE_ID, 'archive-replayer max read time in ns'],
      [ARCHIVE_REPLAYER_TOTAL_READ_BYTES_TYPE_ID, 'archive-replayer total read bytes'],
      [ARCHIVE_REPLAYER_TOTAL_READ_TIME_TYPE_ID, 'archive-replayer total read time in ns'],
    ];
    const counters: Counter[] = [];
    try {
      for (const [typeId, name] of plan) {
        counters.push(await allocateArchiveCounter(aeron, typeId, name, archiveId, options));
      }
    } catch (e) {
      for (const c of counters) c.close();
      throw e;
    }
    return new ArchiveCounters(counters, thresholdNs);
  }

  /** Starts the cycle measurement (Java `DutyCycleTracker.update`). */
  start(nowNs: number): void {
    this.#lastCycleNs = nowNs;
  }

  /**
   * After one duty cycle ending at `nowNs` that did `work`: the cycle time counters, the totals when there was
   * work (Java publishes them after a recorder / replayer cycle with work), the session counts when they changed.
   */
  onDutyCycle(nowNs: number, work: number, recordingSessions: number, replaySessions: number): void {
    const cycleNs = nowNs - this.#lastCycleNs;
    this.#lastCycleNs = nowNs;
    if (cycleNs > this.#maxCycleTimeNs) {
      this.#maxCycleTimeNs = cycleNs;
      this.#maxCycleTime.set(cycleNs);
    }
    if (cycleNs > this.#cycleThresholdNs) this.#cycleTimeThresholdExceeded.increment();
    if (work > 0) {
      const recorder = this.recorder;
      this.#totalWriteBytes.set(recorder.bytes);
      this.#totalWriteTime.set(recorder.timeNs);
      this.#maxWriteTime.set(recorder.maxTimeNs);
      const replayer = this.replayer;
      this.#totalReadBytes.set(replayer.bytes);
      this.#totalReadTime.set(replayer.timeNs);
      this.#maxReadTime.set(replayer.maxTimeNs);
    }
    if (recordingSessions !== this.#recordingSessionCount) {
      this.#recordingSessionCount = recordingSessions;
      this.#recordingSessions.set(recordingSessions);
    }
    if (replaySessions !== this.#replaySessionCount) {
      this.#replaySessionCount = replaySessions;
      this.#replaySessions.set(replaySessions);
    }
  }

  /** Frees every counter. Idempotent. */
  close(): void {
    for (const c of this.#counters) if (!c.isClosed) c.close();
  }

  /** Same as `close`. */
  [Symbol.dispose](): void {
    this.close();
  }
}
