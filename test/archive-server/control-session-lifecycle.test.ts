/**
 * The TypeScript Archive server's control sessions beyond the happy path, on a harness driver over IPC:
 * - the archive dir is locked while the archive runs (a second launch: ACTIVE_MARK_FILE "active mark file
 *   detected") and free again after `close()`;
 * - a CONNECT of another major protocol version is answered ERROR "invalid client version 2.0.0, archive is
 *   1.12.0" with relevantId = the controlSessionId (Java's text), read from the raw response stream;
 * - a client that connects and goes away without CLOSE_SESSION (its response subscription gone) is dropped; a
 *   client that closes sends CLOSE_SESSION and is dropped; 10 clients connected at once each get their own
 *   session and their own listing answers;
 * - with a UDP control channel (`controlChannel`, on the Java driver: UDP is Java's here), a client connects over
 *   UDP with a UDP response channel and is answered there.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectRequestEncoder } from '../../codecs/generated/archive/ConnectRequestEncoder.ts';
import { ControlResponseDecoder } from '../../codecs/generated/archive/ControlResponseDecoder.ts';
import { MessageHeaderDecoder } from '../../codecs/generated/archive/MessageHeaderDecoder.ts';
import { MessageHeaderEncoder } from '../../codecs/generated/archive/MessageHeaderEncoder.ts';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { Archive } from '../../src/archive-server/archive.ts';
import { ArchiveServerError } from '../../src/archive-server/archive-server-error.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition, offerUntilAccepted, pollUntil } from '../support/wait.ts';
import { removeScratch, scratchDir } from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';

describeInterop('TypeScript Archive server: control session lifecycle', () => {
  let driver: DriverHandle;
  let archiveDir: string;
  let server: Archive;
  let aeron: Aeron;

  beforeAll(async () => {
    driver = await startMediaDriver();
    archiveDir = scratchDir('lifecycle');
    server = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir, archiveId: 4321 });
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
  }, 120_000);

  afterAll(async () => {
    aeron?.close();
    await server?.close();
    await driver?.stop();
    if (archiveDir !== undefined) removeScratch(archiveDir);
  }, 60_000);

  function connect(client: Aeron = aeron): Promise<AeronArchive> {
    return AeronArchive.connect({
      aeron: client,
      controlRequestChannel: IPC,
      controlRequestStreamId: 10,
      controlResponseChannel: IPC,
      messageTimeoutMs: 15_000,
    });
  }

  it('locks the archive dir while running (active mark file detected)', async () => {
    const second = await Archive.launch({ aeronDir: driver.aeronDir, archiveDir }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ArchiveServerError);
    expect((second as ArchiveServerError).code).toBe('ACTIVE_MARK_FILE');
    expect((second as Error).message).toBe('active mark file detected');
  }, 60_000);

  it("answers a CONNECT of protocol 2.0.0 with Java's version error, relevantId = the session id", async () => {
    const responses = await aeron.addSubscription(IPC, 7777);
    const requests = await aeron.addExclusivePublication(IPC, 10);
    try {
      const bytes = new Uint8Array(256);
      const encoder = new ConnectRequestEncoder()
        .wrapAndApplyHeader(bytes, 0, new MessageHeaderEncoder())
        .correlationId(4242)
        .responseStreamId(7777)
        .version(2 << 16)
        .responseChannel(IPC);
      await offerUntilAccepted(
        requests,
        bytes.subarray(0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength()),
      );
      const got: { code: number; correlationId: number; relevantId: number; message: string }[] = [];
      const header = new MessageHeaderDecoder();
      const decoder = new ControlResponseDecoder();
      const copy = new Uint8Array(1024);
      await pollUntil(
        'the version error',
        () =>
          responses.poll((buffer: ReadableBuffer, offset: number, length: number) => {
            buffer.getBytes(offset, copy, 0, length);
            header.wrap(copy, 0);
            if (header.templateId() !== ControlResponseDecoder.TEMPLATE_ID) return;
            decoder.wrapAndApplyHeader(copy, 0, header);
            got.push({
              correlationId: decoder.correlationId(),
              relevantId: decoder.relevantId(),
              code: decoder.codeRaw(),
              message: decoder.errorMessage(),
            });
          }, 10),
        () => got.length > 0,
        30_000,
      );
      expect(got[0]).toMatchObject({
        correlationId: 4242,
        code: 1,
        message: 'invalid client version 2.0.0, archive is 1.12.0',
      });
      expect(got[0]?.relevantId).toBeGreaterThan(0);
    } finally {
      requests.close();
      responses.close();
    }
    // the session gives up (connect timeout 5 s) once its client is gone
    await awaitCondition('the rejected session to end', () => server.controlSessionCount === 0, 30_000);
  }, 60_000);

  it('drops a session whose client vanished without CLOSE_SESSION, and one that closed', async () => {
    const other = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    const vanishing = await connect(other);
    expect(server.controlSessionCount).toBe(1);
    other.close(); // its response subscription goes with it; no CLOSE_SESSION reaches the archive
    vanishing.close();
    await awaitCondition('the abandoned session to end', () => server.controlSessionCount === 0, 30_000);
    const closing = await connect();
    expect(server.controlSessionCount).toBe(1);
    closing.close();
    await awaitCondition('the closed session to end', () => server.controlSessionCount === 0, 30_000);
  }, 60_000);

  it('serves 10 control sessions at once, each with its own responses', async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, () => connect()));
    try {
      expect(new Set(clients.map((c) => c.controlSessionId)).size).toBe(10);
      expect(server.controlSessionCount).toBe(10);
      const answers = await Promise.all(
        clients.map(async (c) => [String(c.archiveId), await c.listRecordings(0, 10, () => {})]),
      );
      expect(answers).toEqual(Array.from({ length: 10 }, () => ['4321', 0]));
    } finally {
      for (const c of clients) c.close();
    }
    await awaitCondition('every session to end', () => server.controlSessionCount === 0, 30_000);
    expect(server.errors).toEqual([]);
  }, 60_000);

  it('serves a client over a UDP control channel with a UDP response channel', async () => {
    const port = await freeUdpPort();
    const udpDir = scratchDir('udp');
    const udpServer = await Archive.launch({
      aeronDir: driver.aeronDir,
      archiveDir: udpDir,
      archiveId: 8765,
      controlChannel: `aeron:udp?endpoint=localhost:${port}`,
      controlStreamId: 20,
      localControlStreamId: 21,
    });
    try {
      const udpClient = await AeronArchive.connect({
        aeron,
        controlRequestChannel: `aeron:udp?endpoint=localhost:${port}`,
        controlRequestStreamId: 20,
        controlResponseChannel: 'aeron:udp?endpoint=localhost:0',
        messageTimeoutMs: 15_000,
      });
      try {
        expect(String(udpClient.archiveId)).toBe('8765');
        expect(await udpClient.listRecordings(0, 10, () => {})).toBe(0);
        expect(udpServer.controlSessionCount).toBe(1);
      } finally {
        udpClient.close();
      }
      await awaitCondition('the UDP session to end', () => udpServer.controlSessionCount === 0, 30_000);
    } finally {
      await udpServer.close();
      removeScratch(udpDir);
    }
  }, 60_000);
});
