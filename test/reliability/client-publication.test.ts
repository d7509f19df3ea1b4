/**
 * Reliability rows P1-P8 at the client level (see README.md): crafted log-buffer files mapped by the client's
 * `LogBuffers`, and publications against one real Java MediaDriver for the file (IPC, 64 KiB terms).
 *
 * Every case asserts the typed error or result code, bounded time (every wait has a deadline), no
 * acknowledged message lost or duplicated (`MessageVerifier`: sequence, length, content, CRC), and released
 * resources (ResourceTracker after each case: no log mapping, no timer; `assertNoLeftovers()` after the file).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { type DriverHandle, driverKind, startMediaDriver } from '../../harness/driver.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import {
  Aeron,
  BACK_PRESSURED,
  ChannelUriStringBuilder,
  CLOSED,
  FragmentAssembler,
  MAX_POSITION_EXCEEDED,
  MessageTooLongError,
  NOT_CONNECTED,
  type Publication,
  RegistrationError,
  type Subscription,
} from '../../src/client/index.ts';
import { LogBuffers, LogBuffersError } from '../../src/client/log-buffers.ts';
import { BufferClaim, LOG_META_DATA_LENGTH, setPageSize, setTermLength } from '../../src/logbuffer/index.ts';
import { AtomicBuffer } from '../../src/transport/index.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { expectedChecksum, fillMessage, MessageVerifier } from '../support/message-pattern.ts';
import { awaitCondition, within } from '../support/wait.ts';
import { ErrorLog, rejectionOf, thrownBy } from './support/client-faults.ts';
import { ResourceTracker } from './support/resources.ts';

const IPC = 'aeron:ipc?term-length=64k';
const TERM_LENGTH = 64 * 1024;

let tracker: ResourceTracker;
beforeEach(() => {
  tracker = new ResourceTracker();
});
afterEach(async () => {
  await tracker.settleTimers();
  tracker.release();
});

/** A `.logbuffer`-shaped file of `length` bytes whose metadata says `termLength` / `pageSize`. */
function craftLogFile(name: string, length: number, termLength: number, pageSize: number): string {
  const path = tracker.trackFile(join(tracker.makeDir('p1'), name));
  const bytes = new Uint8Array(length);
  if (length >= LOG_META_DATA_LENGTH) {
    const meta = new AtomicBuffer(bytes.buffer, length - LOG_META_DATA_LENGTH, LOG_META_DATA_LENGTH);
    setTermLength(meta, termLength);
    setPageSize(meta, pageSize);
  }
  writeFileSync(path, bytes);
  return path;
}

describe('P1 bad log buffer at map time (client LogBuffers on crafted files)', () => {
  const cases: Array<[string, number, number, number, string, string]> = [
    ['term length not a power of two', 3 * TERM_LENGTH + 4096, TERM_LENGTH + 32, 4096, 'INVALID_TERM_LENGTH', ''],
    ['term length below 64 KiB', 3 * 32 * 1024 + 4096, 32 * 1024, 4096, 'INVALID_TERM_LENGTH', ''],
    ['page size not a power of two', 3 * TERM_LENGTH + 4096, TERM_LENGTH, 5000, 'INVALID_PAGE_SIZE', ''],
    [
      'file shorter than the metadata',
      2048,
      TERM_LENGTH,
      4096,
      'TOO_SHORT',
      'Log file length less than min length of 4096',
    ],
    ['file shorter than 3 terms + metadata', TERM_LENGTH + 4096, TERM_LENGTH, 4096, 'TOO_SHORT', 'needs at least'],
  ];
  for (const [what, length, termLength, pageSize, code, text] of cases) {
    it(`P1 ${what} → LogBuffersError ${code}, nothing left mapped`, () => {
      const path = craftLogFile(`${code}.logbuffer`, length, termLength, pageSize);
      const e = thrownBy(() => LogBuffers.map(path));
      expect(e).toBeInstanceOf(LogBuffersError);
      expect((e as LogBuffersError).code).toBe(code);
      expect((e as Error).message).toContain(text);
      expect(tracker.mappings(path)).toBe(0);
    });
  }
});

describeInterop('P rows against the Java media driver', () => {
  let driver: DriverHandle | undefined;
  let client: Aeron | undefined;
  let errors: ErrorLog;

  beforeAll(async () => {
    driver = await startMediaDriver({ properties: { 'aeron.timer.interval': '100ms' } });
  });
  afterAll(async () => {
    await driver?.stop();
    assertNoLeftovers();
  });
  beforeEach(async () => {
    errors = new ErrorLog();
    client = await within(
      'connect',
      30_000,
      Aeron.connect({ aeronDir: driver!.aeronDir, driverTimeoutMs: 5_000, errorHandler: errors.handler }),
    );
    tracker.trackFile(join(driver!.aeronDir, 'cnc.dat'));
  });
  afterEach(async () => {
    client?.close();
    client = undefined;
    expect(errors.errors).toEqual([]);
  });

  async function pair(channel: string, streamId: number): Promise<{ sub: Subscription; pub: Publication }> {
    const sub = await within('addSubscription', 20_000, client!.addSubscription(channel, streamId));
    const pub = await within('addExclusivePublication', 20_000, client!.addExclusivePublication(channel, streamId));
    tracker.trackFile(pub.logBuffers.path);
    // the driver publishes the connected flag and the publication limit in separate steps: wait for both
    await awaitCondition(
      'connected, with a publication limit',
      () => pub.isConnected() && sub.imageCount === 1 && pub.availableWindow() > 0,
      20_000,
    );
    return { sub, pub };
  }

  /** Polls until `verifier` has every message (bounded), yielding to the conductor. */
  async function drain(sub: Subscription, verifier: MessageVerifier, timeoutMs = 20_000): Promise<void> {
    const scratch = new Uint8Array(Math.max(8, verifier.sizes.max));
    const deadline = Date.now() + timeoutMs;
    while (!verifier.done) {
      if (Date.now() > deadline) throw new Error(`drain stalled at ${verifier.received}/${verifier.expectedTotal}`);
      const n = sub.poll((buffer, offset, length) => {
        buffer.getBytes(offset, scratch, 0, length);
        verifier.onMessage(scratch, 0, length);
      }, 100);
      if (n === 0) await sleep(1);
    }
  }

  function expectVerified(verifier: MessageVerifier): void {
    expect(verifier.errors).toEqual([]);
    expect(verifier.received).toBe(verifier.expectedTotal);
    expect(verifier.checksum()).toBe(expectedChecksum(verifier.sizes, verifier.baseSeed, verifier.countPerSource));
  }

  it('P3 no subscriber → NOT_CONNECTED (-1), nothing written', async () => {
    const pub = await within('addExclusivePublication', 20_000, client!.addExclusivePublication(IPC, 3001));
    tracker.trackFile(pub.logBuffers.path);
    const before = pub.position();
    expect(pub.isConnected()).toBe(false);
    expect(pub.offer(new Uint8Array(64))).toBe(NOT_CONNECTED);
    expect(pub.position()).toBe(before);
    pub.close();
  });

  it('P3 subscriber stops polling → BACK_PRESSURED (-2), nothing overwritten; resumes once it polls', async () => {
    const { sub, pub } = await pair(IPC, 3002);
    const message = new Uint8Array(1000);
    let accepted = 0;
    let result = 0;
    for (let i = 0; i < 10_000; i++) {
      fillMessage(message, 0, 1000, 32, accepted);
      result = pub.offer(message, 0, 1000);
      if (result < 0) break;
      accepted++;
    }
    expect(result).toBe(BACK_PRESSURED);
    expect(accepted).toBeGreaterThan(10);
    // more data than one window was never accepted, so nothing the subscriber has not read was overwritten
    const first = new MessageVerifier({ sizes: '1000', seed: 32, count: accepted });
    await drain(sub, first);
    expectVerified(first);
    // the consumer moved: offers are accepted again, and the stream continues in order
    const more = 20;
    const next = new MessageVerifier({ sizes: '1000', seed: 33, count: more });
    let sent = 0;
    await awaitCondition(
      'offers accepted again',
      () => {
        while (sent < more) {
          fillMessage(message, 0, 1000, 33, sent);
          if (pub.offer(message, 0, 1000) < 0) return false;
          sent++;
        }
        return true;
      },
      20_000,
    );
    await drain(sub, next);
    expectVerified(next);
  });

  it('P3 after close() → CLOSED (-4) and no throw', async () => {
    const { sub, pub } = await pair(IPC, 3003);
    // no data flows: nothing was offered before the close, and nothing can be after it
    pub.close();
    expect(pub.isClosed).toBe(true);
    expect(pub.offer(new Uint8Array(32))).toBe(CLOSED);
    expect(pub.tryClaim(32, new BufferClaim())).toBe(CLOSED);
    sub.close();
    await awaitCondition('log unmapped after the close linger', () => pub.logBuffers.isClosed, 10_000);
  });

  it('P3 subscriber closes mid-stream → isConnected false, offers NOT_CONNECTED; acknowledged data was delivered', async () => {
    const { sub, pub } = await pair(IPC, 3004);
    const verifier = new MessageVerifier({ sizes: '100,200', seed: 34, count: 50 });
    const message = new Uint8Array(200);
    for (let i = 0; i < 50; i++) {
      fillMessage(message, 0, verifier.sizes.sizeOf(i), 34, i);
      expect(pub.offer(message, 0, verifier.sizes.sizeOf(i))).toBeGreaterThan(0);
    }
    await drain(sub, verifier);
    expectVerified(verifier);
    sub.close();
    // not connected, and the limit down to the position (the driver's next duty cycle after the flag): only then
    // does an offer fail; before, it may still append below the old limit, as Java's publication does
    await awaitCondition(
      'publication not connected, at its limit',
      () => !pub.isConnected() && pub.availableWindow() <= 0,
      20_000,
    );
    expect(pub.offer(message, 0, 100)).toBe(NOT_CONNECTED);
  });

  it('P5 MAX_POSITION_EXCEEDED: the last offer returns exactly termLength×2^31, later ones -5', async () => {
    const messageLength = 32;
    const maxPosition = TERM_LENGTH * 2 ** 31;
    const lastMessagePosition = maxPosition - (messageLength + 32);
    const channel = new ChannelUriStringBuilder()
      .media('ipc')
      .initialPosition(lastMessagePosition, -777, TERM_LENGTH)
      .build();
    expect(channel).toContain('term-id=2147482870');
    expect(channel).toContain('term-offset=65472');
    const { sub, pub } = await pair(channel, 3005);
    expect(pub.maxPossiblePosition).toBe(maxPosition);
    expect(pub.position()).toBe(lastMessagePosition);
    expect(sub.imageAtIndex(0).joinPosition).toBe(lastMessagePosition);
    const message = new Uint8Array(messageLength);
    fillMessage(message, 0, messageLength, 35, 0);
    expect(pub.offer(message)).toBe(maxPosition);
    expect(pub.offer(message)).toBe(MAX_POSITION_EXCEEDED);
    expect(pub.offer(message)).toBe(MAX_POSITION_EXCEEDED);
    const verifier = new MessageVerifier({ sizes: [messageLength], seed: 35, count: 1 });
    await drain(sub, verifier);
    expectVerified(verifier);
  });

  it('P7 term-id int32 wrap: positions rise monotonically across 4+ terms, every message arrives once', async () => {
    const channel = `${IPC}|init-term-id=2147483646|term-id=2147483647|term-offset=0`;
    const { sub, pub } = await pair(channel, 3007);
    expect(pub.position()).toBe(TERM_LENGTH);
    const count = 300; // ~300 KiB through 64 KiB terms: term ids 2147483647, -2147483648, …
    const verifier = new MessageVerifier({ sizes: 'random:7:1:2000', seed: 37, count });
    const scratch = new Uint8Array(2000);
    const message = new Uint8Array(2000);
    let sent = 0;
    let last = pub.position();
    const assembler = new FragmentAssembler((buffer, offset, length) => {
      buffer.getBytes(offset, scratch, 0, length);
      verifier.onMessage(scratch, 0, length);
    });
    const deadline = Date.now() + 30_000;
    while (!verifier.done) {
      if (Date.now() > deadline) throw new Error(`stalled at sent=${sent} received=${verifier.received}`);
      if (sent < count) {
        const length = verifier.sizes.sizeOf(sent);
        fillMessage(message, 0, length, 37, sent);
        const position = pub.offer(message, 0, length);
        if (position > 0) {
          expect(position).toBeGreaterThan(last);
          last = position;
          sent++;
        }
      }
      const n = sub.poll(assembler.onFragment, 20);
      if (n === 0) await sleep(0);
    }
    expectVerified(verifier);
    expect(last).toBeGreaterThan(4 * TERM_LENGTH);
    expect(sub.imageAtIndex(0).position).toBe(last);
  });

  it('P7 bad initial position: mismatched second publication and unaligned term-offset → RegistrationError', async () => {
    const base = `${IPC}|init-term-id=5|term-id=6|term-offset=0`;
    const first = await within('first', 20_000, client!.addPublication(base, 3017));
    tracker.trackFile(first.logBuffers.path);
    const mismatched = await rejectionOf(
      'second publication at another position',
      20_000,
      client!.addPublication(`${IPC}|init-term-id=5|term-id=7|term-offset=0`, 3017),
    );
    expect(mismatched).toBeInstanceOf(RegistrationError);
    expect((mismatched as RegistrationError).code).toBe('REGISTRATION');
    const unaligned = await rejectionOf(
      'unaligned term-offset',
      20_000,
      client!.addExclusivePublication(`${IPC}|init-term-id=5|term-id=6|term-offset=33`, 3027),
    );
    expect(unaligned).toBeInstanceOf(RegistrationError);
    expect((unaligned as RegistrationError).code).toBe('REGISTRATION');
    expect((unaligned as RegistrationError).errorCodeName).toBe(driverKind().facts.unalignedTermOffsetErrorCode);
    // no data flows: both registrations are refused before any publication exists
    expect(client!.hasActiveCommands()).toBe(false);
    first.close();
  });

  it('P8 message or claim too long → MessageTooLongError, nothing written; negative length → InvalidArgumentError', async () => {
    const { sub, pub } = await pair(IPC, 3008);
    expect(pub.maxMessageLength).toBe(TERM_LENGTH / 8);
    const before = pub.position();
    const big = new Uint8Array(pub.maxMessageLength + 1);
    const e = thrownBy(() => pub.offer(big));
    expect(e).toBeInstanceOf(MessageTooLongError);
    expect((e as MessageTooLongError).code).toBe('MESSAGE_TOO_LONG');
    expect((e as MessageTooLongError).maxLength).toBe(pub.maxMessageLength);
    const claim = thrownBy(() => pub.tryClaim(pub.maxPayloadLength + 1, new BufferClaim()));
    expect(claim).toBeInstanceOf(MessageTooLongError);
    expect((claim as MessageTooLongError).code).toBe('MESSAGE_TOO_LONG');
    expect((claim as MessageTooLongError).maxLength).toBe(pub.maxPayloadLength);
    // argument validation throws InvalidArgumentError, an AeronError (Java: IllegalArgumentException)
    expect(thrownBy(() => pub.tryClaim(-1, new BufferClaim()))).toBeInstanceOf(InvalidArgumentError);
    expect(pub.position()).toBe(before);
    // exactly maxMessageLength still goes through, whole
    fillMessage(big, 0, pub.maxMessageLength, 38, 0);
    await awaitCondition('max-length offer', () => pub.offer(big, 0, pub.maxMessageLength) > 0, 20_000);
    const verifier = new MessageVerifier({ sizes: [pub.maxMessageLength], seed: 38, count: 1 });
    const scratch = new Uint8Array(pub.maxMessageLength);
    const assembler = new FragmentAssembler((buffer, offset, length) => {
      buffer.getBytes(offset, scratch, 0, length);
      verifier.onMessage(scratch, 0, length);
    });
    await awaitCondition(
      'reassembled',
      () => {
        sub.poll(assembler.onFragment, 10);
        return verifier.done;
      },
      20_000,
    );
    expectVerified(verifier);
  });
});
