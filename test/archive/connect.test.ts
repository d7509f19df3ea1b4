import { describe, expect, it } from 'vitest';
import { makeAeronDir, removeDir } from '../../harness/temp-dir.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { ArchiveAbortedError, ArchiveError, ArchiveTimeoutError } from '../../src/archive/archive-error.ts';
import { AsyncConnect, AsyncConnectState } from '../../src/archive/async-connect.ts';
import { PersistentSubscription } from '../../src/archive/persistent-subscription.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import { ErrorCode } from '../../src/client/error-codes.ts';
import { RegistrationError } from '../../src/client/errors.ts';
import { archiveOptions, closeAfterTest, connectFake } from './support/connect.ts';
import { FakeArchive } from './support/fake-archive.ts';

const text = (s: string) => new TextEncoder().encode(s);
const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');

describe('AeronArchive.connect', () => {
  it('sends AuthConnectRequest, ArchiveIdRequest and the activating KeepAlive, as Java 1.51.0', async () => {
    const { fake, archive } = await connectFake();
    expect(fake.requests.map((r) => r.name)).toEqual(['AuthConnectRequest', 'ArchiveIdRequest', 'KeepAliveRequest']);
    const [connect, archiveId, keepAlive] = fake.requests;
    expect(connect?.json).toEqual({
      correlationId: 1000,
      responseStreamId: 20,
      version: (1 << 16) | (12 << 8),
      responseChannel: 'aeron:udp?endpoint=localhost:0|term-length=65536|mtu=1408|sparse=true',
      encodedCredentials: '',
      clientInfo: 'name=unit-test version=0.1.0 commit=aeron-ts',
    });
    expect(archiveId?.json).toEqual({ controlSessionId: 777, correlationId: 1001 });
    expect(keepAlive?.json).toEqual({ controlSessionId: 777, correlationId: -1 });
    expect(fake.publications[0]?.channel).toBe(
      'aeron:udp?endpoint=localhost:8010|term-length=65536|mtu=1408|sparse=true',
    );
    expect(fake.publications[0]?.streamId).toBe(10);
    expect(fake.subscriptions[0]?.streamId).toBe(20);
    expect(archive.controlSessionId).toBe(777);
    expect(archive.archiveId).toBe(4242n);
    expect(archive.state()).toBe('CONNECTED');
  });

  it('skips the archive id request for archives older than 1.11.0 (archiveId -1)', async () => {
    const { fake, archive } = await connectFake({ version: (1 << 16) | (10 << 8) });
    expect(fake.requests.map((r) => r.name)).toEqual(['AuthConnectRequest', 'KeepAliveRequest']);
    expect(archive.archiveId).toBe(-1n);
  });

  it('answers a Challenge with the credentials supplier and connects', async () => {
    const seen: string[] = [];
    const { fake, archive } = await connectFake(
      { challenge: text('nonce'), acceptCredentials: 'secret' },
      {
        credentialsSupplier: {
          encodedCredentials: () => text('user:admin'),
          onChallenge: (c) => {
            seen.push(new TextDecoder().decode(c));
            return text('secret');
          },
        },
      },
    );
    expect(seen).toEqual(['nonce']);
    expect(fake.requests.map((r) => r.name)).toEqual([
      'AuthConnectRequest',
      'ChallengeResponse',
      'ArchiveIdRequest',
      'KeepAliveRequest',
    ]);
    expect(fake.requests[0]?.json.encodedCredentials).toBe(hex('user:admin'));
    expect(fake.requests[1]?.json).toEqual({
      controlSessionId: 777,
      correlationId: 1001,
      encodedCredentials: hex('secret'),
    });
    expect(archive.controlSessionId).toBe(777);
  });

  it('rejected credentials end in ArchiveError AUTHENTICATION_REJECTED, a CloseSessionRequest and closed channels', async () => {
    const fake = new FakeArchive({ acceptCredentials: 'right' });
    const error = await AeronArchive.connect(
      archiveOptions(fake, {
        credentialsSupplier: { encodedCredentials: () => text('wrong'), onChallenge: () => new Uint8Array(0) },
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveError);
    expect(error).toMatchObject({ code: 'ARCHIVE_ERROR', errorCode: 10, errorCodeName: 'AUTHENTICATION_REJECTED' });
    expect(fake.lastRequest().name).toBe('CloseSessionRequest');
    expect(fake.publications[0]?.closed).toBe(true);
    expect(fake.subscriptions[0]?.closed).toBe(true);
  });

  it('times out with ArchiveTimeoutError when the archive never answers', async () => {
    const fake = new FakeArchive();
    fake.silent.add(58);
    const error = await AeronArchive.connect(archiveOptions(fake, { messageTimeoutMs: 50 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveTimeoutError);
    expect(error).toMatchObject({ code: 'ARCHIVE_TIMEOUT' });
    expect(String((error as Error).message)).toContain('AWAIT_CONNECT_RESPONSE');
    expect(fake.publications[0]?.closed).toBe(true);
    expect(fake.subscriptions[0]?.closed).toBe(true);
  });

  it('is aborted by an AbortSignal', async () => {
    const fake = new FakeArchive();
    fake.silent.add(58);
    const controller = new AbortController();
    const pending = AeronArchive.connect(archiveOptions(fake), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user')), 10);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveAbortedError);
    expect(fake.subscriptions[0]?.closed).toBe(true);
  });

  it('with aeronDir and no driver, an abort at 100 ms rejects within 1 s (not after the driver timeout)', async () => {
    const aeronDir = makeAeronDir();
    try {
      const controller = new AbortController();
      const reason = new Error('user gave up');
      setTimeout(() => controller.abort(reason), 100);
      const started = performance.now();
      const error = await AeronArchive.connect(
        {
          aeronDir,
          aeronOptions: { driverTimeoutMs: 10_000 },
          controlRequestChannel: 'aeron:ipc',
          controlResponseChannel: 'aeron:ipc',
        },
        { signal: controller.signal },
      ).catch((e: unknown) => e);
      const elapsedMs = performance.now() - started;
      expect(error).toBeInstanceOf(ArchiveAbortedError);
      expect(error).toMatchObject({ code: 'ARCHIVE_ABORTED', cause: reason });
      expect(elapsedMs).toBeLessThan(1_000);
    } finally {
      removeDir(aeronDir);
    }
  });

  it('with aeronDir and no driver, timeoutMs bounds the Aeron client connect too (ArchiveTimeoutError)', async () => {
    const aeronDir = makeAeronDir();
    try {
      const started = performance.now();
      const error = await AeronArchive.connect(
        {
          aeronDir,
          aeronOptions: { driverTimeoutMs: 10_000 },
          controlRequestChannel: 'aeron:ipc',
          controlResponseChannel: 'aeron:ipc',
        },
        { timeoutMs: 150 },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArchiveTimeoutError);
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      removeDir(aeronDir);
    }
  });

  it('can be polled step by step', () => {
    const fake = new FakeArchive();
    const asyncConnect = new AsyncConnect(archiveOptions(fake));
    const steps: number[] = [asyncConnect.step()];
    let archive: AeronArchive | null = null;
    for (let i = 0; i < 100 && archive === null; i++) {
      archive = asyncConnect.poll();
      if (steps.at(-1) !== asyncConnect.step()) steps.push(asyncConnect.step());
    }
    expect(archive).not.toBeNull();
    closeAfterTest(archive as AeronArchive);
    expect(steps).toEqual([
      AsyncConnectState.AWAIT_SUBSCRIPTION,
      AsyncConnectState.ADD_PUBLICATION,
      AsyncConnectState.AWAIT_PUBLICATION_CONNECTED,
      AsyncConnectState.SEND_CONNECT_REQUEST,
      AsyncConnectState.AWAIT_SUBSCRIPTION_CONNECTED,
      AsyncConnectState.AWAIT_CONNECT_RESPONSE,
      AsyncConnectState.SEND_ARCHIVE_ID_REQUEST,
      AsyncConnectState.AWAIT_ARCHIVE_ID_RESPONSE,
      AsyncConnectState.DONE,
    ]);
  });

  it('adds response-correlation-id to the request channel for control-mode=response, and pins session ids otherwise', async () => {
    const fake = new FakeArchive();
    const archive = await AeronArchive.connect(
      archiveOptions(fake, { controlResponseChannel: 'aeron:udp?control-mode=response|control=localhost:10002' }),
    );
    closeAfterTest(archive);
    expect(fake.publications[0]?.channel).toContain('|response-correlation-id=1');

    const pinned = new FakeArchive();
    const withSessionIds = Object.assign(pinned, { nextSessionId: () => 5150 });
    const archive2 = await AeronArchive.connect(archiveOptions(withSessionIds));
    closeAfterTest(archive2);
    expect(pinned.publications[0]?.channel).toContain('|session-id=5150');
    expect(pinned.subscriptions[0]?.channel).toContain('|session-id=5150');
  });

  it('checks the options as Java Context.conclude does', async () => {
    const fake = new FakeArchive();
    await expect(AeronArchive.connect(archiveOptions(fake, { controlRequestChannel: '' }))).rejects.toThrow(
      'controlRequestChannel must be set',
    );
    await expect(AeronArchive.connect(archiveOptions(fake, { messageRetryAttempts: 0 }))).rejects.toThrow(
      'messageRetryAttempts must be > 0',
    );
    await expect(AeronArchive.connect(archiveOptions(fake, { clientName: 'x'.repeat(101) }))).rejects.toThrow(
      'clientName length',
    );
  });
});

/** Just enough of an `Aeron` client for `AeronControlTransport`: registrations that never complete. */
function stubAeron(getSubscription: () => null = () => null) {
  const calls = { nextSessionId: 0, subscriptions: [] as string[], publications: [] as string[] };
  let resolveSessionId: (id: number) => void = () => {};
  const sessionId = new Promise<number>((resolve) => {
    resolveSessionId = resolve;
  });
  const aeron = {
    nextSessionId: () => {
      calls.nextSessionId++;
      return sessionId;
    },
    asyncAddSubscription: (channel: string) => {
      calls.subscriptions.push(channel);
      return calls.subscriptions.length;
    },
    getSubscription: getSubscription,
    asyncAddExclusivePublication: (channel: string) => {
      calls.publications.push(channel);
      return 100 + calls.publications.length;
    },
    getExclusivePublication: () => null,
    removeSubscription: () => Promise.resolve(),
    removePublication: () => Promise.resolve(),
    nextCorrelationId: () => 1,
  };
  return { aeron: aeron as unknown as Aeron, calls, resolveSessionId };
}

describe('PersistentSubscription.create', () => {
  it('with aeronDir and no driver, an abort at 100 ms rejects within 1 s', async () => {
    const aeronDir = makeAeronDir();
    try {
      const reason = new Error('user gave up');
      const controller = new AbortController();
      setTimeout(() => controller.abort(reason), 100);
      const started = performance.now();
      const error = await PersistentSubscription.create(
        {
          aeronDir,
          archive: { controlRequestChannel: 'aeron:ipc', controlResponseChannel: 'aeron:ipc' },
          recordingId: 0,
          liveChannel: 'aeron:ipc',
          liveStreamId: 1,
          replayChannel: 'aeron:ipc',
          replayStreamId: 2,
        },
        { signal: controller.signal },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArchiveAbortedError);
      expect(error).toMatchObject({ cause: reason });
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      removeDir(aeronDir);
    }
  });
});

describe('AeronArchive.asyncConnect over an Aeron client', () => {
  const channels = {
    controlRequestChannel: 'aeron:udp?endpoint=localhost:8010',
    controlResponseChannel: 'aeron:udp?endpoint=localhost:0',
  };

  it('pins session-id on both control channels as connect() does: waits for the driver, then adds the subscription', async () => {
    const { aeron, calls, resolveSessionId } = stubAeron();
    const asyncConnect = AeronArchive.asyncConnect({ aeron, ...channels });
    expect(asyncConnect.poll()).toBeNull();
    expect(calls.nextSessionId).toBe(1);
    expect(calls.subscriptions).toEqual([]);
    resolveSessionId(4242);
    await Promise.resolve();
    expect(asyncConnect.poll()).toBeNull();
    expect(calls.subscriptions).toEqual([
      'aeron:udp?endpoint=localhost:0|term-length=65536|mtu=1408|sparse=true|session-id=4242',
    ]);
    expect(asyncConnect.context.controlRequestChannel).toBe(
      'aeron:udp?endpoint=localhost:8010|term-length=65536|mtu=1408|sparse=true|session-id=4242',
    );
    expect(asyncConnect.step()).toBe(AsyncConnectState.AWAIT_SUBSCRIPTION);
    asyncConnect.close();
  });

  it('asks for no session id with a control-mode=response response channel', () => {
    const { aeron, calls } = stubAeron();
    const asyncConnect = AeronArchive.asyncConnect({
      aeron,
      controlRequestChannel: channels.controlRequestChannel,
      controlResponseChannel: 'aeron:udp?control-mode=response|control=localhost:10002',
    });
    expect(asyncConnect.poll()).toBeNull();
    expect(calls.nextSessionId).toBe(0);
    expect(calls.subscriptions).toHaveLength(1);
    asyncConnect.close();
  });

  it('adds a control subscription again when the driver answers RESOURCE_TEMPORARILY_UNAVAILABLE (1.52.2)', async () => {
    let failures = 0;
    const { aeron, calls, resolveSessionId } = stubAeron(() => {
      failures++;
      if (failures === 1) throw new RegistrationError(1, ErrorCode.RESOURCE_TEMPORARILY_UNAVAILABLE, 'busy');
      if (failures === 3) throw new RegistrationError(2, ErrorCode.GENERIC_ERROR, 'refused');
      return null;
    });
    const asyncConnect = AeronArchive.asyncConnect({ aeron, ...channels });
    resolveSessionId(7);
    await Promise.resolve();
    expect(asyncConnect.poll()).toBeNull();
    expect(calls.subscriptions).toHaveLength(2);
    expect(asyncConnect.poll()).toBeNull();
    expect(() => asyncConnect.poll()).toThrow(RegistrationError);
    expect(calls.subscriptions).toHaveLength(2);
  });
});

describe('AeronArchive.segmentFileBasePosition', () => {
  const TERM = 64 * 1024;
  const SEGMENT = 4 * TERM;
  it('is the start of the segment holding the position, counted from the start term base (Java)', () => {
    expect(AeronArchive.segmentFileBasePosition(0, 0, TERM, SEGMENT)).toBe(0);
    expect(AeronArchive.segmentFileBasePosition(0, SEGMENT - 32, TERM, SEGMENT)).toBe(0);
    expect(AeronArchive.segmentFileBasePosition(0, SEGMENT, TERM, SEGMENT)).toBe(SEGMENT);
    // A recording starting inside a term: segments count from that term's base, before the start.
    expect(AeronArchive.segmentFileBasePosition(TERM + 1024, TERM + 2048, TERM, SEGMENT)).toBe(TERM);
    expect(AeronArchive.segmentFileBasePosition(TERM + 1024, TERM + SEGMENT, TERM, SEGMENT)).toBe(TERM + SEGMENT);
    // Beyond 2^32 (Java longs): no 32-bit truncation.
    const start = 2 ** 40 + 3 * TERM + 96;
    expect(AeronArchive.segmentFileBasePosition(start, start + 5 * SEGMENT, TERM, SEGMENT)).toBe(
      2 ** 40 + 3 * TERM + 5 * SEGMENT,
    );
  });
});
