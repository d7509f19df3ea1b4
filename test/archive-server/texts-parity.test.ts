/**
 * The same requests to Java 1.51.0's archive and to the TypeScript archive get the same answers: a recording of
 * 522 messages (1,024-byte frames, 64 KiB terms, 128 KiB segments) made by our client in each, then Java's
 * `AeronArchive` (test/java/ArchiveOpsProbe.java) runs one list of operations against each (segment requests with
 * their refusals, positions, an unknown recording, the subscription listing, an update of an unknown recording) and
 * the two outputs, with correlation ids masked (the recording ids are equal), are equal line for line.
 *
 * Then the texts a replication ends with when its source stops answering (Java's `ReplicationSession` timeouts):
 * both archives (a 1 s `aeron.archive.message.timeout` / `archiveClientMessageTimeoutMs`) replicate from a
 * source that goes silent at one request (`stalling-archive.ts`) and from a control channel nobody is on; the ERROR
 * each sends for the replication is the same, and is Java's text.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { connectAeron } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';
import { SILENT_REPLAY_SESSION_ID, type StallAt, StallingArchive } from './stalling-archive.ts';
import {
  type ArchiveTarget,
  connectClient,
  javaLocalTarget,
  launchTsArchive,
  recordStopped,
  type TsArchive,
} from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const SEG = 128 * 1024;
const COUNT = 4 * 128 + 10;
/** The message timeout of each archive's client of a replication source: how long a silent source is waited for. */
const MESSAGE_TIMEOUT_MS = 1000;
/** The replication channel both archives are asked to use (the texts name it). */
const REPLICATION_CHANNEL = 'aeron:udp?endpoint=localhost:0';

describeInterop('TypeScript Archive server: the same answers as the Java archive', () => {
  let classes: string;
  let javaArchive: ArchivingDriverHandle;
  let ts: TsArchive;

  beforeAll(async () => {
    classes = compileJava({ sources: ['test/java/ArchiveOpsProbe.java'], classpath: [aeronJarPath()] });
    javaArchive = await startArchivingMediaDriver({
      properties: {
        'aeron.archive.segment.file.length': '128k',
        'aeron.archive.message.timeout': `${MESSAGE_TIMEOUT_MS}ms`,
      },
    });
    ts = await launchTsArchive('parity', { segmentFileLength: SEG, archiveClientMessageTimeoutMs: MESSAGE_TIMEOUT_MS });
  }, 180_000);

  afterAll(async () => {
    await ts?.close();
    await javaArchive?.stop();
  }, 60_000);

  /** Records COUNT messages of 992 bytes (1,024-byte frames) with our client; returns the recording id. */
  async function record(target: ArchiveTarget): Promise<number> {
    const aeron = await connectAeron(target);
    try {
      const side = await connectClient(aeron, target, IPC);
      try {
        const payloads = new Array<Uint8Array>(COUNT).fill(new Uint8Array(992));
        return (await recordStopped(side, IPC, 9501, payloads)).recordingId;
      } finally {
        side.archive.close();
      }
    } finally {
      aeron.close();
    }
  }

  async function operations(target: ArchiveTarget, id: number): Promise<string[]> {
    const ops = [
      `stopPosition~${id}`,
      `detach~${id}~${SEG + 32}`,
      `detach~${id}~${7 * SEG}`,
      `detach~${id}~${2 * SEG}`,
      `startPosition~${id}`,
      `detach~${id}~${SEG}`,
      `attach~${id}`,
      `startPosition~${id}`,
      // Java deletes files over later duty cycles: a delete request right after a purge may find it in progress
      `deleteDetached~${id}`,
      `purgeSegments~${id}~${2 * SEG}`,
      `purgeSegments~${id}~${SEG}`,
      'startPosition~999',
      `migrate~${id}~999`,
      'listSubs~ipc~0~false',
      `updateChannel~${id}~aeron:ipc?alias=renamed`,
      `listRecording~${id}`,
    ];
    const result = await runJava({
      classpath: [classes, aeronJarPath()],
      mainClass: 'ArchiveOpsProbe',
      jvmArgs: AERON_JVM_FLAGS,
      args: [target.aeronDir, target.controlChannel, String(target.controlStreamId), IPC, ...ops],
      timeoutMs: 120_000,
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    return result.stdout
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) =>
        l.replaceAll(/correlationId=-?\d+/g, 'correlationId=N').replaceAll(/\/[^ ]*\/(\d+-\d+\.rec)/g, '<dir>/$1'),
      );
  }

  it('answers the segment, position, listing and update requests of Java AeronArchive as Java does', async () => {
    const javaTarget = javaLocalTarget(javaArchive);
    const tsTarget = ts.local;
    const javaId = await record(javaTarget);
    const tsId = await record(tsTarget);
    expect(tsId).toBe(javaId);
    const javaLines = await operations(javaTarget, javaId);
    const tsLines = await operations(tsTarget, tsId);
    expect(tsLines).toEqual(javaLines);
    expect(javaLines).toContain('attach 2');
    expect(javaLines).toContain('purgeSegments 2');
  }, 240_000);

  /**
   * Each archive replicates recording 5 of the source on `srcControlChannel` (a live destination when `live`); the
   * text of the ERROR its replication ends with (REPLICATE_END follows), the same wait for both.
   */
  async function replicationErrors(srcControlChannel: string, live: boolean): Promise<{ java: string; ts: string }> {
    const targets = { java: javaLocalTarget(javaArchive), ts: ts.local };
    const liveDestination = `aeron:udp?endpoint=localhost:${await freeUdpPort()}`;
    const run = async (target: ArchiveTarget): Promise<string> => {
      const aeron = await connectAeron(target);
      try {
        const side = await connectClient(aeron, target, IPC);
        try {
          const replicationId = await side.archive.replicate(5, 10, srcControlChannel, {
            replicationChannel: REPLICATION_CHANNEL,
            ...(live ? { liveDestination } : {}),
          });
          let text: string | null = null;
          await awaitCondition(
            `the replication's error from ${target.controlChannel}`,
            () => {
              text = side.archive.pollForErrorResponse();
              return text !== null;
            },
            30_000,
          );
          await side.signals.await('REPLICATE_END', (e) => e.correlationId === replicationId);
          return text as unknown as string;
        } finally {
          side.archive.close();
        }
      } finally {
        aeron.close();
      }
    };
    const [java, tsText] = await Promise.all([run(targets.java), run(targets.ts)]);
    return { java, ts: tsText };
  }

  it("a source that goes silent: the replication ends with Java's ReplicationSession timeout texts on both archives", async () => {
    const expected: [StallAt, boolean, string | RegExp][] = [
      ['LIST_RECORDING', false, 'ERROR - failed to fetch remote recording descriptor'],
      ['RECORDING_POSITION', true, 'ERROR - failed to get recording position'],
      ['REPLAY', false, `ERROR - failed get acknowledgement of replay request to: ${REPLICATION_CHANNEL}`],
      [
        'REPLAY_IMAGE',
        false,
        new RegExp(
          `^ERROR - failed get replay image for sessionId=${SILENT_REPLAY_SESSION_ID} on channel=aeron:udp\\?`,
        ),
      ],
      ['LIVE_JOIN', true, 'ERROR - failed to get recording position'],
    ];
    for (const [stallAt, live, text] of expected) {
      const source = await StallingArchive.start({
        aeron: ts.aeron,
        controlChannel: `aeron:udp?endpoint=localhost:${await freeUdpPort()}`,
        controlStreamId: 10,
        stallAt,
      });
      try {
        const { java, ts: tsText } = await replicationErrors(source.controlChannel, live);
        expect({ stallAt, java }).toEqual({
          stallAt,
          java: typeof text === 'string' ? text : expect.stringMatching(text),
        });
        expect({ stallAt, ts: tsText }).toEqual({ stallAt, ts: java });
      } finally {
        await source.close();
      }
    }
  }, 300_000);

  it("no archive on the source control channel: Java's connect timeout text", async () => {
    const nowhere = `aeron:udp?endpoint=localhost:${await freeUdpPort()}`;
    const { java, ts: tsText } = await replicationErrors(nowhere, false);
    // Java's ReplicationSession text and the step of Java's AsyncConnect; then Java's client prints its Publication
    // and Subscription objects (registration ids, session id, …) where this project's client prints their channels
    const prefix = /^Replication connection failed=ERROR - Archive connect timeout: step=\w+ publication=/;
    expect(java).toMatch(prefix);
    expect(tsText.match(prefix)?.[0]).toBe(java.match(prefix)?.[0]);
  }, 120_000);
});
