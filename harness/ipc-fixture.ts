/**
 * One publication and one subscription sharing a log, as over `aeron:ipc`, driven by `FakeIpcDriver`.
 * Counter 0 is the publication limit, counter 1 the subscriber position.
 */
import type { ConcurrentPublication } from '../src/client/concurrent-publication.ts';
import type { ExclusivePublication } from '../src/client/exclusive-publication.ts';
import type { Image } from '../src/client/image.ts';
import type { Subscription } from '../src/client/subscription.ts';
import { FragmentAssembler, type Header, type ReadableBuffer } from '../src/logbuffer/index.ts';
import { FakeConductor } from './fake-conductor.ts';
import {
  createLogFile,
  FakeCounters,
  FakeIpcDriver,
  type LogFileDescription,
  type LogFileOptions,
} from './fake-driver.ts';

export const LIMIT_COUNTER_ID = 0;
export const SUBSCRIBER_COUNTER_ID = 1;

export interface Received {
  readonly bytes: Uint8Array;
  readonly position: number;
  readonly sessionId: number;
  readonly streamId: number;
  readonly flags: number;
  readonly reservedValue: number;
}

export class IpcFixture<P extends ConcurrentPublication | ExclusivePublication> {
  readonly counters = new FakeCounters();
  readonly conductor = new FakeConductor(this.counters);
  readonly log: LogFileDescription;
  readonly driver: FakeIpcDriver;
  readonly publication: P;
  readonly subscription: Subscription;
  readonly image: Image;
  readonly received: Received[] = [];
  readonly assembler = new FragmentAssembler((buffer, offset, length, header) =>
    this.received.push(copy(buffer, offset, length, header)),
  );

  constructor(kind: 'concurrent' | 'exclusive', dir: string, options: LogFileOptions = {}) {
    this.log = createLogFile(dir, { logType: kind === 'exclusive' ? 1 : 0, ...options });
    this.driver = new FakeIpcDriver({
      log: this.log,
      counters: this.counters,
      limitCounterId: LIMIT_COUNTER_ID,
      subscriberCounterIds: [SUBSCRIBER_COUNTER_ID],
    });
    this.publication = this.conductor.newPublication(kind, this.log, LIMIT_COUNTER_ID) as P;
    this.subscription = this.conductor.newSubscription({ streamId: this.log.streamId });
    this.image = this.conductor.addImage(this.subscription, this.log, SUBSCRIBER_COUNTER_ID);
  }

  /** Polls until nothing is left (bounded), running the driver duty; returns fragments read. */
  drain(): number {
    let total = 0;
    for (let i = 0; i < 10_000; i++) {
      const n = this.subscription.poll(this.assembler.onFragment, 100);
      this.driver.duty();
      if (n === 0) return total;
      total += n;
    }
    throw new Error('drain did not finish');
  }

  /** Offers until a position is returned, draining on back pressure/admin action; bounded. */
  offerAll(message: Uint8Array): number {
    for (let i = 0; i < 1000; i++) {
      const result = this.publication.offer(message);
      if (result > 0) return result;
      if (result !== -2 && result !== -3) throw new Error(`unexpected offer result ${result}`);
      this.drain();
    }
    throw new Error('offer did not succeed');
  }

  close(): void {
    this.driver.close();
    this.conductor.closeAll();
  }
}

export function copy(buffer: ReadableBuffer, offset: number, length: number, header: Header): Received {
  const bytes = new Uint8Array(length);
  buffer.getBytes(offset, bytes, 0, length);
  return {
    bytes,
    position: header.position(),
    sessionId: header.sessionId(),
    streamId: header.streamId(),
    flags: header.flags(),
    reservedValue: header.reservedValue(),
  };
}

/** Deterministic payload of `length` bytes seeded by `seed`. */
export function payload(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (seed * 31 + i * 7) & 0xff;
  return bytes;
}
