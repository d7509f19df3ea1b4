/**
 * `aeron-ts archive` in process (`runCli` with an abort signal standing in for SIGINT/SIGTERM):
 *
 * - standalone on a running TS media driver: settings from AERON_ARCHIVE_* variables, a properties file and -D in
 *   order, the JSON ready document (ignored names listed), our `AeronArchive` records and replays through it, the
 *   signal closes it (exit 0, the mark file released: a second archive then opens the same dir);
 * - `--with-driver`: a TS media driver and the archive in this process, a UDP control channel; our client records
 *   and replays over UDP control; the signal closes both (exit 0, "Shutdown Archive...");
 * - as a process: `aeron-ts archive --with-driver` stops on SIGTERM and on SIGINT (exit 0, the embedded aeron dir
 *   removed);
 * - refusals, exit 1 with the typed error's message: a bad value, no driver (also when the signal ends the wait
 *   for one), a dir held by a live archive;
 * - with Java (describeInterop): Java's `AeronArchive` records and replays through the standalone archive on a
 *   Java media driver, and through `--with-driver` over UDP.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type DriverHandle, JAVA_DRIVER, startMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { makeAeronDir, makeArchiveDir, makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import { runCli } from '../../src/cli/main.ts';
import { MediaDriver } from '../../src/driver/media-driver.ts';
import {
  type ControlEndpoint,
  localControl,
  recordAndReplayWithJavaClient,
  recordAndReplayWithOurClient,
} from '../archive-server/launch-support.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';
import { CLI_MAIN } from './support/run-cli.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});
const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (stops.length > 0) await stops.pop()!();
});

class Capture {
  text = '';
  write(chunk: string): void {
    this.text += chunk;
  }
}

/** Starts `aeron-ts <args>`; `stop()` aborts it like a signal and resolves its exit code. */
function start(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  const abort = new AbortController();
  const exit = runCli(args, { stdout, stderr, env, isTty: false, signal: abort.signal });
  const run = {
    stdout,
    stderr,
    exit,
    async stop(): Promise<number> {
      abort.abort();
      return exit;
    },
  };
  stops.push(() => run.stop());
  return run;
}

function archiveDir(): string {
  const dir = makeArchiveDir();
  dirs.push(dir);
  return dir;
}

async function readyDocument(run: ReturnType<typeof start>): Promise<Record<string, unknown>> {
  await awaitCondition(
    'the ready document',
    () => run.stdout.text.includes('"archiveDir"') || run.stderr.text !== '',
    90_000,
  );
  expect(run.stderr.text).toBe('');
  return JSON.parse(run.stdout.text) as Record<string, unknown>;
}

const SMALL_DRIVER = '-Daeron.counters.buffer.length=1m';

describe('aeron-ts archive', () => {
  it('runs standalone on a TS driver: AERON_ARCHIVE_*, then a file and -D in order; closes on the signal', async () => {
    await using driver = await MediaDriver.launchEmbedded({ threadingMode: 'SHARED' });
    const dir = archiveDir();
    const files = makeTestDir('archive-command');
    dirs.push(files);
    const properties = join(files, 'archive.properties');
    writeFileSync(properties, `aeron.archive.dir=${join(files, 'not-this')}\naeron.archive.id=41\n`);
    const run = start(
      [
        'archive',
        '--json',
        properties,
        `-Daeron.archive.dir=${dir}`,
        '-Daeron.archive.replication.channel=aeron:udp?endpoint=localhost:0',
      ],
      { AERON_DIR: driver.aeronDir, AERON_ARCHIVE_ID: '40', AERON_ARCHIVE_SEGMENT_FILE_LENGTH: '256k' },
    );
    expect(await readyDocument(run)).toEqual({
      aeronDir: driver.aeronDir,
      archiveDir: dir,
      archiveId: 41,
      controlChannel: null,
      controlStreamId: 10,
      localControlChannel: 'aeron:ipc?term-length=64k',
      localControlStreamId: 10,
      pid: process.pid,
      driver: null,
      ignored: [],
    });
    await recordAndReplayWithOurClient(localControl(driver.aeronDir), 2101, 1_000);

    const second = start(['archive', `-Daeron.dir=${driver.aeronDir}`, `-Daeron.archive.dir=${dir}`]);
    expect(await second.exit).toBe(1);
    expect(second.stderr.text).toMatch(/^aeron-ts: active mark file detected/);

    expect(await run.stop()).toBe(0);
    const again = start(['archive', `--aeron-dir=${driver.aeronDir}`, `-Daeron.archive.dir=${dir}`]);
    await awaitCondition(
      'the ready line',
      () => again.stdout.text.includes('archive ready') || again.stderr.text !== '',
      90_000,
    );
    expect(again.stderr.text).toBe('');
    expect(again.stdout.text).toContain(`archive ready: dir=${dir} archiveId=`);
    expect(await again.stop()).toBe(0);
    expect(again.stdout.text).toContain('Shutdown Archive...');
  }, 240_000);

  it('--with-driver runs a TS driver and the archive; our client records and replays over UDP control', async () => {
    const aeronDir = makeAeronDir();
    dirs.push(aeronDir);
    const port = await freeUdpPort();
    const controlChannel = `aeron:udp?endpoint=localhost:${port}`;
    const run = start([
      'archive',
      '--with-driver',
      `-Daeron.dir=${aeronDir}`,
      '-Daeron.dir.delete.on.shutdown=true',
      SMALL_DRIVER,
      `-Daeron.archive.dir=${archiveDir()}`,
      `-Daeron.archive.control.channel=${controlChannel}`,
      '-Daeron.archive.control.stream.id=11',
      '-Daeron.unknown.to.both=1',
      '-Daeron.threading.mode=INVOKER',
    ]);
    await awaitCondition(
      'the ready line',
      () => run.stdout.text.includes('archive ready') || run.stderr.text !== '',
      90_000,
    );
    expect(run.stderr.text).toBe('');
    expect(run.stdout.text).toContain('ignored (not read by this archive): aeron.unknown.to.both\n');
    expect(run.stdout.text).toContain(`media driver ready: dir=${aeronDir} pid=${process.pid} threadingMode=INVOKER`);
    expect(run.stdout.text).toContain(`control=${controlChannel} stream 11`);
    const udp: ControlEndpoint = {
      aeronDir,
      controlChannel,
      controlStreamId: 11,
      responseChannel: 'aeron:udp?endpoint=localhost:0',
    };
    await recordAndReplayWithOurClient(udp, 2201, 1_000);
    expect(await run.stop()).toBe(0);
    expect(run.stdout.text).toContain('Shutdown Archive...');
    expect(existsSync(aeronDir)).toBe(false);
  }, 240_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`as a process, --with-driver stops on ${signal}: exit 0, the embedded aeron dir removed`, async () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', CLI_MAIN, 'archive', '--json', '--with-driver', `-Daeron.archive.dir=${archiveDir()}`],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      const kill = () => {
        if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      };
      stops.push(async () => kill());
      await awaitCondition(
        'the ready document',
        () => stdout.includes('"archiveDir"') || child.exitCode !== null,
        90_000,
      );
      const ready = JSON.parse(stdout) as { aeronDir: string; pid: number };
      expect(ready.pid).toBe(child.pid);
      expect(existsSync(join(ready.aeronDir, 'cnc.dat'))).toBe(true);
      process.kill(child.pid!, signal);
      expect(await exited, stderr).toBe(0);
      expect(existsSync(ready.aeronDir)).toBe(false);
    }, 120_000);
  }

  it('refuses a bad value, a missing driver and an unknown flag with one line, exit 1', async () => {
    const bad = start(['archive', '--with-driver', '-Daeron.archive.segment.file.length=lots']);
    expect(await bad.exit).toBe(1);
    expect(bad.stderr.text).toBe('aeron-ts: aeron.archive.segment.file.length=lots should end with: k, m, or g\n');

    const odd = start(['archive', '-Daeron.archive.segment.file.length=3m', '--with-driver']);
    expect(await odd.exit).toBe(1);
    expect(odd.stderr.text).toBe(
      'aeron-ts: segmentFileLength must be a power of 2 between 64 KiB and 1 GiB: 3145728\n',
    );

    const flag = start(['archive', '--frobnicate']);
    expect(await flag.exit).toBe(1);
    expect(flag.stderr.text).toContain("unknown option '--frobnicate'");

    const missing = join(archiveDir(), 'no-driver-here');
    const none = start(['archive', `-Daeron.dir=${missing}`, `-Daeron.archive.dir=${archiveDir()}`], {
      AERON_DRIVER_TIMEOUT: '1000',
    });
    expect(await none.exit).toBe(1);
    expect(none.stderr.text).toMatch(/^aeron-ts: /);

    // Waiting for a driver that is not there: the signal ends the wait.
    const waiting = start(['archive', `-Daeron.dir=${missing}`, `-Daeron.archive.dir=${archiveDir()}`]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await waiting.stop()).toBe(1);
    expect(waiting.stderr.text).toMatch(/^aeron-ts: .*abort/i);
  }, 120_000);
});

describeInterop("aeron-ts archive: Java's AeronArchive through each form", () => {
  let javaDriver: DriverHandle | undefined;
  afterAll(async () => {
    await javaDriver?.stop();
  }, 60_000);

  it('standalone on a Java media driver (IPC control)', async () => {
    javaDriver = await startMediaDriver({ driver: JAVA_DRIVER });
    const run = start([
      'archive',
      '--json',
      `-Daeron.dir=${javaDriver.aeronDir}`,
      `-Daeron.archive.dir=${archiveDir()}`,
    ]);
    await readyDocument(run);
    await recordAndReplayWithJavaClient(localControl(javaDriver.aeronDir), 3101, 2_000);
    await recordAndReplayWithOurClient(localControl(javaDriver.aeronDir), 3201, 500);
    expect(await run.stop()).toBe(0);
  }, 300_000);

  it('--with-driver (UDP control)', async () => {
    const aeronDir = makeAeronDir();
    dirs.push(aeronDir);
    const port = await freeUdpPort();
    const controlChannel = `aeron:udp?endpoint=localhost:${port}`;
    const run = start([
      'archive',
      '--json',
      '--with-driver',
      `-Daeron.dir=${aeronDir}`,
      SMALL_DRIVER,
      `-Daeron.archive.dir=${archiveDir()}`,
      `-Daeron.archive.control.channel=${controlChannel}`,
    ]);
    const ready = await readyDocument(run);
    expect(ready.driver).toEqual({ threadingMode: 'SHARED' });
    await recordAndReplayWithJavaClient(
      { aeronDir, controlChannel, controlStreamId: 10, responseChannel: 'aeron:udp?endpoint=localhost:0' },
      3301,
      2_000,
    );
    expect(await run.stop()).toBe(0);
  }, 300_000);
});
