/**
 * The TypeScript Archive server over `control-mode=response` channels (issue 18), on the harness driver (the Java
 * driver, or the TS driver with AERON_TEST_DRIVER=ts), with a UDP control channel:
 *
 * ```
 *  client: response subscription aeron:udp?control-mode=response|control=localhost:<P> (registration id R)
 *          request publication to the archive's control channel with response-correlation-id=R
 *  archive: CONNECT on request image I ─▶ response publication <client's channel>|response-correlation-id=I
 *  replay:  REPLAY_TOKEN ─▶ OK token; the client's replay subscription (registration id S) and a NEW request
 *           publication with response-correlation-id=S carry REPLAY(replayToken) on image J ─▶ the session is
 *           the token's; the replay publication is <replay channel>|response-correlation-id=J
 * ```
 * Proven with our `AeronArchive` (one session; two sessions on one response channel with concurrent replays to one
 * response replay channel) and with Java's (ArchiveProbe / ArchiveReplayProbe with a response control channel; a
 * probe written here that replays over a response replay channel); each case also runs against the Java
 * ArchivingMediaDriver where our client is the one asking, so both archives answer the same steps.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { getChannelParam } from '../../src/archive/archive-context.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import { awaitRecorded, connectAeron, receive } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition, offerUntilAccepted } from '../support/wait.ts';
import { recordAndReplayWithJavaClient } from './launch-support.ts';
import {
  type ArchiveClient,
  type ArchiveTarget,
  connectClient,
  launchTsArchive,
  type TsArchive,
  udpControlChannel,
} from './support.ts';

const CONTROL_STREAM_ID = 20;

/** A Java client that replays a recording over a response replay channel and prints each message. */
const RESPONSE_REPLAY_PROBE = `
import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ReplayParams;

public final class ResponseReplayProbe
{
    public static void main(final String[] args) throws Exception
    {
        // aeronDir controlChannel controlStreamId responseChannel recordingId length replayChannel replayStreamId count
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(args[0]));
            AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
                .aeron(aeron)
                .controlRequestChannel(args[1])
                .controlRequestStreamId(Integer.parseInt(args[2]))
                .controlResponseChannel(args[3])))
        {
            System.out.println("archiveId " + archive.archiveId());
            final int count = Integer.parseInt(args[8]);
            final int[] received = { 0 };
            try (Subscription replay = archive.replay(
                Long.parseLong(args[4]), args[6], Integer.parseInt(args[7]),
                new ReplayParams().position(0).length(Long.parseLong(args[5]))))
            {
                final long deadline = System.nanoTime() + 60_000_000_000L;
                while (received[0] < count)
                {
                    final int n = replay.poll((buffer, offset, length, header) ->
                    {
                        System.out.println("message " + buffer.getStringWithoutLengthAscii(offset, length));
                        received[0]++;
                    }, 10);
                    if (0 == n)
                    {
                        if (System.nanoTime() > deadline)
                        {
                            throw new IllegalStateException("replay timed out after " + received[0]);
                        }
                        Thread.sleep(1);
                    }
                }
            }
        }
        System.out.println("done");
        System.exit(0);
    }
}
`;

let probeClasses: string | undefined;

function responseReplayProbe(): string {
  if (probeClasses === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'aeron-ts-test-response-replay-probe-'));
    const source = join(dir, 'ResponseReplayProbe.java');
    writeFileSync(source, RESPONSE_REPLAY_PROBE);
    try {
      // compiled into the harness's cache of classes; the source's directory is not needed after
      probeClasses = compileJava({ sources: [source], classpath: [aeronJarPath()] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return probeClasses;
}

async function responseChannel(): Promise<string> {
  return `aeron:udp?control-mode=response|control=localhost:${await freeUdpPort()}`;
}

/** Where the clients connect: our archive on the harness driver, or Java's ArchivingMediaDriver. */
interface Target extends ArchiveTarget {
  readonly archiveId: string;
}

for (const which of ['TypeScript', 'Java'] as const) {
  describeInterop(`${which} archive: control sessions and replays over control-mode=response channels`, () => {
    let ts: TsArchive | undefined;
    let javaArchive: ArchivingDriverHandle | undefined;
    let javaAeron: Aeron | undefined;
    let aeron: Aeron;
    let target: Target;

    beforeAll(async () => {
      if (which === 'TypeScript') {
        const controlChannel = await udpControlChannel();
        ts = await launchTsArchive('response-channel', {
          archiveId: 5151,
          controlChannel,
          controlStreamId: CONTROL_STREAM_ID,
          localControlStreamId: CONTROL_STREAM_ID + 1,
        });
        aeron = ts.aeron;
        target = {
          aeronDir: ts.driver.aeronDir,
          controlChannel,
          controlStreamId: CONTROL_STREAM_ID,
          archiveId: '5151',
        };
      } else {
        javaArchive = await startArchivingMediaDriver();
        javaAeron = await connectAeron(javaArchive);
        aeron = javaAeron;
        target = {
          aeronDir: javaArchive.aeronDir,
          controlChannel: javaArchive.controlChannel,
          controlStreamId: javaArchive.controlStreamId,
          archiveId: javaArchive.archiveId,
        };
      }
    }, 120_000);

    afterAll(async () => {
      javaAeron?.close();
      await ts?.close();
      await javaArchive?.stop();
    }, 60_000);

    const connect = (channel: string): Promise<ArchiveClient> =>
      connectClient(aeron, target, channel, { messageTimeoutMs: 20_000 });

    /** On our archive: waits until no control session is left (`what`), and expects no error. */
    async function expectSessionsEnded(what: string): Promise<void> {
      if (ts === undefined) return;
      const { server } = ts;
      await awaitCondition(what, () => server.controlSessionCount === 0, 30_000);
      expect(server.errors).toEqual([]);
    }

    /** Records `count` messages `<tag>-<i>` on `aeron:ipc` stream `streamId`; returns the stopped recording. */
    async function record(client: ArchiveClient, streamId: number, tag: string, count: number) {
      const { archive, signals } = client;
      const publication = await archive.addRecordedExclusivePublication('aeron:ipc', streamId);
      let position = 0;
      for (let i = 0; i < count; i++) {
        position = await offerUntilAccepted(publication, new TextEncoder().encode(`${tag}-${i}`));
      }
      await signals.await('START');
      const recordingId = await archive.findLastMatchingRecording(0, 'aeron:ipc', streamId, publication.sessionId);
      await awaitRecorded(archive, recordingId, position);
      await archive.stopRecordingPublication(publication);
      await signals.await('STOP');
      publication.close();
      return { recordingId, position };
    }

    const texts = (messages: Uint8Array[]): string[] => messages.map((m) => new TextDecoder().decode(m));

    it('answers our AeronArchive over a response channel and replays over a response replay channel', async () => {
      const client = await connect(await responseChannel());
      const { archive } = client;
      try {
        expect(getChannelParam(archive.context.controlRequestChannel, 'response-correlation-id')).toMatch(/^\d+$/);
        expect(String(archive.archiveId)).toBe(target.archiveId);
        const { recordingId, position } = await record(client, 1301, 'solo', 5);
        const replay = await archive.replay(recordingId, await responseChannel(), 1302, {
          position: 0,
          length: position,
        });
        expect(texts(await receive(replay, 5))).toEqual([0, 1, 2, 3, 4].map((i) => `solo-${i}`));
        replay.close();
        expect(client.signals.events.every((s) => s.controlSessionId === archive.controlSessionId)).toBe(true);
      } finally {
        archive.close();
      }
      await expectSessionsEnded('the session to end');
    }, 120_000);

    it('keeps two sessions on one response channel apart, with replays to one response replay channel', async () => {
      const channel = await responseChannel();
      const [a, b] = await Promise.all([connect(channel), connect(channel)]);
      try {
        expect(a.archive.controlSessionId).not.toBe(b.archive.controlSessionId);
        const [ra, rb] = await Promise.all([record(a, 1311, 'alpha', 4), record(b, 1312, 'beta', 6)]);
        for (const [client, recordingId] of [
          [a, ra.recordingId],
          [b, rb.recordingId],
        ] as const) {
          expect(client.signals.events.every((s) => s.controlSessionId === client.archive.controlSessionId)).toBe(true);
          expect(client.signals.events.every((s) => s.recordingId === recordingId)).toBe(true);
        }
        const replayChannel = await responseChannel();
        const [replayA, replayB] = await Promise.all([
          a.archive.replay(ra.recordingId, replayChannel, 1313, { position: 0, length: ra.position }),
          b.archive.replay(rb.recordingId, replayChannel, 1313, { position: 0, length: rb.position }),
        ]);
        const [ma, mb] = await Promise.all([receive(replayA, 4), receive(replayB, 6)]);
        expect(texts(ma)).toEqual([0, 1, 2, 3].map((i) => `alpha-${i}`));
        expect(texts(mb)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `beta-${i}`));
        replayA.close();
        replayB.close();
        a.archive.close();
        expect(await b.archive.getStopPosition(rb.recordingId)).toBe(rb.position);
      } finally {
        a.archive.close();
        b.archive.close();
      }
      await expectSessionsEnded('both sessions to end');
    }, 120_000);

    it("answers Java's AeronArchive over a response channel: records, replays over IPC and over a response channel", async () => {
      const control = await responseChannel();
      const endpoint = { ...target, responseChannel: control };
      await recordAndReplayWithJavaClient(endpoint, 1321, 7);

      const client = await connect(await responseChannel());
      let recordingId: number;
      let position: number;
      try {
        ({ recordingId, position } = await record(client, 1322, 'java', 3));
      } finally {
        client.archive.close();
      }
      const result = await runJava({
        classpath: [responseReplayProbe(), aeronJarPath()],
        mainClass: 'ResponseReplayProbe',
        jvmArgs: AERON_JVM_FLAGS,
        args: [
          target.aeronDir,
          target.controlChannel,
          String(target.controlStreamId),
          control,
          String(recordingId),
          String(position),
          await responseChannel(),
          '1323',
          '3',
        ],
        timeoutMs: 120_000,
      });
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      const lines = result.stdout.split('\n');
      expect(lines).toContain(`archiveId ${target.archiveId}`);
      expect(lines.filter((l) => l.startsWith('message '))).toEqual([0, 1, 2].map((i) => `message java-${i}`));
      await expectSessionsEnded('the sessions to end');
    }, 240_000);
  });
}
