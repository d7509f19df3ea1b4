/**
 * Reliability row A11 (see README.md): bad input on OUR control response stream.
 *
 * Against the real archive this cannot be injected: our response subscription carries the `session-id` of our
 * control request publication (`ArchiveContext` conclude, as Java), so only the archive's response
 * publication (same session id) can reach it, and a second publisher spoofing that session id would corrupt
 * the archive's own image rather than deliver a separate message. So the raw messages are put straight on the
 * response stream of the in-memory fake archive (`test/archive/support/fake-archive.ts`), between real answers.
 *
 * A real-Image part puts the same bad messages through our Aeron client (Java MediaDriver, IPC) into the
 * archive's `ControlResponsePoller` over `AeronControlSubscription`: as Java's `Image.controlledPoll`, a
 * fragment whose handler threw is consumed and the error goes to the Aeron client's subscriber error handler,
 * so the next good response is decoded. A 3-byte message in a real term is followed by the frame's zero padding,
 * so its "header" reads schemaId 0: the same typed ArchiveError ("expected schemaId=101, actual=0").
 *
 * Parts: unknown template of schema 101, wrong schemaId, truncated header (3 bytes), a ControlResponse with a
 * blockLength larger than ours (a newer schema version: SBE forward compatibility). Each asserts: a typed
 * ArchiveError or nothing (never a crash of the loop), bounded time (`within`), the next call answered
 * correctly (nothing lost or duplicated: its own correlation id, its own value), and the client closed.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ControlResponseCode } from '../../codecs/generated/archive/ControlResponseCode.ts';
import { ControlResponseEncoder } from '../../codecs/generated/archive/ControlResponseEncoder.ts';
import { MessageHeaderEncoder } from '../../codecs/generated/archive/MessageHeaderEncoder.ts';
import { StopPositionRequestEncoder } from '../../codecs/generated/archive/StopPositionRequestEncoder.ts';
import { CodecError } from '../../codecs/runtime/codec-error.ts';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { AeronControlSubscription } from '../../src/archive/aeron-transport.ts';
import { ArchiveError } from '../../src/archive/archive-error.ts';
import { ControlResponsePoller } from '../../src/archive/control-response-poller.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { connectFake } from '../archive/support/connect.ts';
import type { FakeArchive } from '../archive/support/fake-archive.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { releaseAll } from '../support/release-all.ts';
import { awaitCondition, offerUntilAccepted, within } from '../support/wait.ts';
import { SharedDriverCase } from './support/resources.ts';
import { sbeHeader } from './support/sbe-header.ts';

const SCHEMA_ID = 101;

/** Puts raw bytes on every response stream of the fake. */
function inject(fake: FakeArchive, bytes: Uint8Array): void {
  for (const s of fake.subscriptions) if (!s.closed) s.messages.push(bytes);
}

let open: AeronArchive[] = [];
let resources: SharedDriverCase;
beforeEach(() => {
  resources = new SharedDriverCase();
});
afterEach(async () => {
  for (const a of open) a.close();
  for (const a of open) expect(a.state()).toBe('CLOSED');
  open = [];
  // no log of the case still mapped (after the client's linger), no timer, no process left
  await resources.release();
}, 30_000);

async function connect(errors: unknown[]) {
  const { fake, archive } = await within(
    'connect',
    10_000,
    connectFake({}, { errorHandler: (e) => errors.push(e), messageTimeoutMs: 2_000 }),
  );
  open.push(archive);
  fake.answers.set(StopPositionRequestEncoder.TEMPLATE_ID, 4_096);
  return { fake, archive };
}

/** After the bad input, calls are answered correctly: each resolves its own value. */
async function expectServed(archive: AeronArchive): Promise<unknown[]> {
  const outcomes: unknown[] = [];
  for (let i = 0; i < 3; i++) {
    outcomes.push(
      await within(
        'call',
        10_000,
        archive.getStopPosition(1).catch((e: unknown) => e),
      ),
    );
  }
  return outcomes;
}

describe('reliability A11: bad input on our response stream (fake archive)', () => {
  it('A11 unknown template id of schema 101 (e.g. a newer message) is skipped', async () => {
    const errors: unknown[] = [];
    const { fake, archive } = await connect(errors);
    inject(fake, sbeHeader(16, 9_999, SCHEMA_ID, 13, 16));
    expect(await expectServed(archive)).toEqual([4_096, 4_096, 4_096]);
    expect(errors).toEqual([]);
    expect(archive.state()).toBe('CONNECTED');
  });

  it('A11 wrong schemaId (fake stream that never consumes a throwing message) → typed ArchiveError on every call, no hang', async () => {
    const errors: unknown[] = [];
    const { fake, archive } = await connect(errors);
    inject(fake, sbeHeader(24, 1, 999, 13, 24));
    const outcomes = await expectServed(archive);
    // the poller throws; the fake's MemorySubscription does not consume a message whose handler threw (a real
    // Image does, like Java's: see the real-Image part below), so every call meets it: typed, bounded
    for (const e of outcomes) {
      expect(e).toBeInstanceOf(ArchiveError);
      expect((e as ArchiveError).code).toBe('ARCHIVE_ERROR');
      expect((e as ArchiveError).message).toBe('expected schemaId=101, actual=999');
    }
    archive.close();
    expect(archive.state()).toBe('CLOSED');
  });

  it('A11 truncated header (3 bytes, fake stream) → a typed error (CodecError SHORT_BUFFER) on the call, no hang', async () => {
    const errors: unknown[] = [];
    const { fake, archive } = await connect(errors);
    inject(fake, new Uint8Array([1, 2, 3]));
    const outcomes = await expectServed(archive);
    for (const e of [...outcomes, ...errors]) {
      expect(e).toBeInstanceOf(CodecError);
      expect((e as CodecError).code).toBe('SHORT_BUFFER');
    }
    archive.close();
    expect(archive.state()).toBe('CLOSED');
  });

  it('A11 ControlResponse with a larger blockLength (newer version) is decoded by its blockLength', async () => {
    const errors: unknown[] = [];
    const { fake, archive } = await connect(errors);
    fake.silent.add(StopPositionRequestEncoder.TEMPLATE_ID);
    const pending = archive.getStopPosition(1);
    await within(
      'request sent',
      10_000,
      (async () => {
        while (fake.requestsNamed('StopPositionRequest').length === 0) await new Promise((r) => setTimeout(r, 1));
      })(),
    );
    const correlationId = Number(fake.lastRequest().json.correlationId);
    // encode at the current layout, then widen the block by 16 bytes (zeros) before the var-data
    const current = new Uint8Array(256);
    const enc = new ControlResponseEncoder().wrapAndApplyHeader(current, 0, new MessageHeaderEncoder());
    enc
      .controlSessionId(fake.controlSessionId)
      .correlationId(correlationId)
      .relevantId(8_192)
      .code(ControlResponseCode.OK)
      .version(0)
      .errorMessage('');
    const block = ControlResponseEncoder.BLOCK_LENGTH;
    const total = 8 + enc.encodedLength();
    const wider = new Uint8Array(total + 16);
    wider.set(current.subarray(0, 8 + block), 0);
    wider.set(current.subarray(8 + block, total), 8 + block + 16);
    new DataView(wider.buffer).setUint16(0, block + 16, true);
    new DataView(wider.buffer).setUint16(6, 99, true); // a newer schema version
    inject(fake, wider);
    expect(await within('answer', 10_000, pending)).toBe(8_192);
    fake.silent.clear();
    expect(await expectServed(archive)).toEqual([4_096, 4_096, 4_096]);
    expect(errors).toEqual([]);
  });
});

describeInterop('reliability A11: bad input through a real Image into the ControlResponsePoller', () => {
  let driver: DriverHandle;
  let aeron: Aeron;
  const subscriberErrors: unknown[] = [];

  beforeAll(async () => {
    driver = await startMediaDriver();
    aeron = await Aeron.connect({
      aeronDir: driver.aeronDir,
      driverTimeoutMs: 10_000,
      subscriberErrorHandler: (e) => subscriberErrors.push(e),
    });
  }, 60_000);

  afterAll(async () => {
    await releaseAll(aeron, driver);
    assertNoLeftovers();
  }, 60_000);

  function controlResponse(correlationId: number, relevantId: number): Uint8Array {
    const bytes = new Uint8Array(256);
    const enc = new ControlResponseEncoder().wrapAndApplyHeader(bytes, 0, new MessageHeaderEncoder());
    enc.controlSessionId(1).correlationId(correlationId).relevantId(relevantId).code(ControlResponseCode.OK);
    enc.version(0).errorMessage('');
    return bytes.slice(0, 8 + enc.encodedLength());
  }

  const cases = [
    ['wrong schemaId', sbeHeader(24, 1, 999, 13, 24), /expected schemaId=101, actual=999/, 1],
    ['truncated header (3 bytes)', new Uint8Array([1, 2, 3]), /expected schemaId=101, actual=0/, 2],
    ['unknown template', sbeHeader(16, 9_999, SCHEMA_ID, 13, 16), null, 3],
  ] as const;
  for (const [what, bad, expected, streamOffset] of cases) {
    it(`A11 ${what} through a real Image: ${expected === null ? 'skipped' : 'typed error to the subscriber error handler'}, next response decoded`, async () => {
      const streamId = 6100 + streamOffset;
      const before = subscriberErrors.length;
      const subscription = await aeron.addSubscription('aeron:ipc?term-length=64k', streamId);
      const publication = await aeron.addExclusivePublication('aeron:ipc?term-length=64k', streamId);
      try {
        const poller = new ControlResponsePoller(new AeronControlSubscription(subscription, 'aeron:ipc'));
        await offerUntilAccepted(publication, bad, 20_000);
        await offerUntilAccepted(publication, controlResponse(42, 7), 20_000);
        await offerUntilAccepted(publication, controlResponse(43, 8), 20_000);
        const seen: number[][] = [];
        await awaitCondition(
          'both good responses',
          () => {
            poller.poll();
            if (poller.isPollComplete()) seen.push([poller.correlationId(), poller.relevantId()]);
            return seen.length >= 2;
          },
          20_000,
          1,
        );
        // nothing lost or duplicated after the bad message
        expect(seen).toEqual([
          [42, 7],
          [43, 8],
        ]);
        const errors = subscriberErrors.slice(before);
        if (expected === null) expect(errors).toEqual([]);
        else {
          expect(errors).toHaveLength(1);
          expect(errors[0]).toBeInstanceOf(Error);
          expect(String(errors[0])).toMatch(expected);
          expect(errors[0]).toBeInstanceOf(ArchiveError);
          expect((errors[0] as ArchiveError).code).toBe('ARCHIVE_ERROR');
        }
      } finally {
        publication.close();
        subscription.close();
      }
    }, 60_000);
  }
});
