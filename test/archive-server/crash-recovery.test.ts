/**
 * The TypeScript Archive server SIGKILLed mid-recording and launched again on the same directory (issue 18's
 * fault row): the killed archive's mark file keeps the directory locked until its activity timestamp is 10 s old
 * (ACTIVE_MARK_FILE, retried); the new archive's catalog recovery gives the recording left ACTIVE the stop
 * position of its last whole fragment (everything acknowledged was written: the process died, not the OS); our
 * client lists it stopped there and replays every message; Java's `ArchiveTool verify` passes on the directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, runJava } from '../../harness/java.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import type { Archive } from '../../src/archive-server/archive.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import { listAll, SignalLog } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { offerUntilAccepted, pollUntil } from '../support/wait.ts';
import { launchAfterKilledArchive, payloadOf, removeScratch, scratchDir } from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const COUNT = 3_000;
const CHILD = fileURLToPath(new URL('./archive-child.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

function launchChild(aeronDir: string, archiveDir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, CHILD, aeronDir, archiveDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`archive child not ready: ${out}`));
    }, 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`archive child exited ${code}: ${out}`));
    });
  });
}

describeInterop('TypeScript Archive server: SIGKILL mid-recording, restart, recovery', () => {
  let driver: DriverHandle;
  let archiveDir: string;
  let child: ChildProcess | undefined;
  let restarted: Archive | undefined;

  beforeAll(async () => {
    driver = await startMediaDriver({ properties: { 'aeron.client.liveness.timeout': '3s' } });
    archiveDir = scratchDir('crash');
  }, 120_000);

  afterAll(async () => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await restarted?.close();
    await driver?.stop();
    if (archiveDir !== undefined) removeScratch(archiveDir);
  }, 60_000);

  it('recovers the active recording to its last fragment and replays every message', async () => {
    child = await launchChild(driver.aeronDir, archiveDir);
    const aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    const payloads: Uint8Array[] = [];
    let position = 0;
    let recordingId = -1;
    try {
      const signals = new SignalLog();
      const client = await AeronArchive.connect({
        aeron,
        controlRequestChannel: IPC,
        controlRequestStreamId: 10,
        controlResponseChannel: IPC,
        messageTimeoutMs: 15_000,
        recordingSignalConsumer: signals.consumer,
      });
      const subscriptionId = await client.startRecording(IPC, 8100, SourceLocation.LOCAL);
      const publication = await aeron.addExclusivePublication(IPC, 8100);
      recordingId = (await signals.await('START', (e) => e.subscriptionId === subscriptionId, 30_000)).recordingId;
      for (let i = 0; i < COUNT; i++) {
        const p = payloadOf(8, i);
        payloads.push(p);
        position = await offerUntilAccepted(publication, p);
      }
      await client.awaitRecordingPosition(recordingId, position, { timeoutMs: 60_000 });
      const pid = child.pid as number;
      const exited = new Promise((r) => child?.on('exit', r));
      process.kill(pid, 'SIGKILL');
      await exited;
      publication.close();
      client.close();
    } finally {
      aeron.close();
    }

    // the dead archive's mark file holds the dir for up to 10 s
    restarted = await launchAfterKilledArchive({ aeronDir: driver.aeronDir, archiveDir, archiveId: 99 });
    const aeron2 = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    try {
      const client = await AeronArchive.connect({
        aeron: aeron2,
        controlRequestChannel: IPC,
        controlRequestStreamId: 10,
        controlResponseChannel: IPC,
        messageTimeoutMs: 15_000,
      });
      const listed = await listAll(client);
      expect(listed.map((d) => [d.recordingId, d.startPosition, d.stopPosition])).toEqual([[recordingId, 0, position]]);
      const subscription = await aeron2.addSubscription('aeron:ipc', 8101);
      const received: Uint8Array[] = [];
      await client.startReplay(recordingId, 0, position, 'aeron:ipc', 8101);
      await pollUntil(
        `${COUNT} replayed messages`,
        () =>
          subscription.poll((buffer: ReadableBuffer, offset: number, length: number) => {
            const copy = new Uint8Array(length);
            buffer.getBytes(offset, copy, 0, length);
            received.push(copy);
          }, 256),
        () => received.length >= COUNT,
        60_000,
      );
      expect(received.findIndex((p, i) => !Buffer.from(p).equals(payloads[i] as Uint8Array))).toBe(-1);
      subscription.close();
      client.close();
    } finally {
      aeron2.close();
    }
    await restarted.close();
    expect(restarted.errors).toEqual([]);
    const tool = await runJava({
      classpath: [aeronJarPath()],
      mainClass: 'io.aeron.archive.ArchiveTool',
      args: [archiveDir, 'verify', '-a'],
      jvmArgs: AERON_JVM_FLAGS,
      stdin: 'n\n',
      timeoutMs: 120_000,
    });
    expect(tool.code, `${tool.stdout}${tool.stderr}`).toBe(0);
    expect(tool.stdout).toContain(`(recordingId=${recordingId}) OK`);
  }, 240_000);
});
