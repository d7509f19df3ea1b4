/**
 * Helpers for the client-level reliability rows (`client-*.test.ts`): the outcome of a call that must fail
 * (bounded; the waits themselves are in test/support/wait.ts), an error log to give `Aeron.connect` as its
 * error handler, a synchronous event-loop block (a starved duty cycle), and a fake "driver" CnC file whose
 * heartbeat is fresh but which never answers a command.
 *
 * Every wait here has a deadline and clears its own timer, so a case never leaves a timer behind.
 *
 * Fake driver CnC (`FakeDriverCnc`), all regions small and valid:
 * ```
 *  0      128                 128+ring            +broadcast        +4×512 metadata   +4×128 values  +1 KiB
 *  |header|-- to-driver ring --|-- to-clients bc --|-- counters md --|-- counters val --|-- error log --|
 *          (64 KiB + trailer)   (64 KiB + trailer)
 * ```
 * The ring's consumer heartbeat (trailer) is refreshed every 100 ms by a timer, its commands are never
 * read, and the broadcast stays empty: a driver that is alive but never answers.
 */
import { join } from 'node:path';
import {
  AtomicBuffer,
  BROADCAST_TRAILER_LENGTH,
  CNC_FILE,
  CNC_METADATA_LENGTH,
  cncRegions,
  ManyToOneRingBuffer,
  MappedFile,
  RING_TRAILER_LENGTH,
  readCncHeader,
  writeCncHeader,
} from '../../../src/transport/index.ts';
import { awaitCondition, within } from '../../support/wait.ts';

/** What `promise` rejected with (within `ms`); throws when it resolves or hangs. */
export async function rejectionOf(what: string, ms: number, promise: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await within(what, ms, promise);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('no outcome within')) throw e;
    return e;
  }
  throw new Error(`${what}: expected a rejection, resolved with ${String(value)}`);
}

/** What `fn` threw; throws when it returns. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw, nothing was thrown');
}

/** Collects what a client hands its error handler. */
export class ErrorLog {
  readonly errors: unknown[] = [];
  readonly handler = (e: unknown): void => {
    this.errors.push(e);
  };

  /** The first error that is an instance of `type`, or undefined. */
  first<T>(type: abstract new (...args: never[]) => T): T | undefined {
    for (const e of this.errors) if (e instanceof type) return e;
    return undefined;
  }

  /** Waits (bounded) for an error of `type`. */
  async await<T>(type: abstract new (...args: never[]) => T, timeoutMs: number): Promise<T> {
    await awaitCondition(
      `an error of type ${type.name} (seen: ${this.describe()})`,
      () => this.first(type) !== undefined,
      timeoutMs,
    );
    return this.first(type) as T;
  }

  describe(): string {
    return this.errors.map((e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e))).join(' | ') || 'none';
  }
}

/** Blocks this thread (the event loop) synchronously for `ms` without burning CPU. */
export function blockEventLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const FAKE_RING_CAPACITY = 64 * 1024;
const FAKE_BROADCAST_CAPACITY = 64 * 1024;
const FAKE_COUNTERS = 4;

/** A CnC file in `dir` with a live heartbeat and nobody reading commands (see the module comment). */
export class FakeDriverCnc {
  readonly path: string;
  readonly #file: MappedFile;
  readonly #ring: ManyToOneRingBuffer;
  readonly #timer: NodeJS.Timeout;

  constructor(dir: string) {
    const header = {
      toDriverBufferLength: FAKE_RING_CAPACITY + RING_TRAILER_LENGTH,
      toClientsBufferLength: FAKE_BROADCAST_CAPACITY + BROADCAST_TRAILER_LENGTH,
      countersMetadataBufferLength: FAKE_COUNTERS * 512,
      countersValuesBufferLength: FAKE_COUNTERS * 128,
      errorLogBufferLength: 1024,
      clientLivenessTimeoutNs: 10_000_000_000,
      startTimestampMs: Date.now(),
      pid: process.pid,
      filePageSize: 4096,
    };
    const length =
      CNC_METADATA_LENGTH +
      header.toDriverBufferLength +
      header.toClientsBufferLength +
      header.countersMetadataBufferLength +
      header.countersValuesBufferLength +
      header.errorLogBufferLength;
    this.path = join(dir, CNC_FILE);
    this.#file = MappedFile.create(this.path, length);
    const cnc = new AtomicBuffer(this.#file.buffer);
    writeCncHeader(cnc, header);
    this.#ring = new ManyToOneRingBuffer(cncRegions(cnc, readCncHeader(cnc)).toDriver);
    this.#ring.setConsumerHeartbeatTime(Date.now());
    this.#timer = setInterval(() => this.#ring.setConsumerHeartbeatTime(Date.now()), 100);
  }

  /** Bytes of commands written by clients and never consumed. */
  pendingCommandBytes(): number {
    return this.#ring.size();
  }

  close(): void {
    clearInterval(this.#timer);
    this.#file.close();
  }
}
