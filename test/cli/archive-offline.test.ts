/**
 * The offline archive commands against a real ArchivingMediaDriver (pinned 1.51.0 jar): a Java client
 * (test/java/CatalogProbe.java) makes three recordings (two stopped, one left active) and provokes an error
 * the archive logs; `recordings --archive-dir --json` is compared field by field with Java's listRecordings,
 * while the archive runs and again after it has exited; `describe-recording` shows the segment file;
 * `errors --archive-dir` shows the logged error.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { aeronJarPath, PROJECT_ROOT } from '../../harness/aeron-jars.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava } from '../../harness/java.ts';
import { assertNoLeftovers, track, untrack } from '../../harness/processes.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { runCliProcess } from './support/run-cli.ts';

interface RecordingJson {
  recordingId: number;
  state: string;
  active: boolean;
  startTimestamp: number;
  stopTimestamp: number;
  startPosition: number;
  stopPosition: number;
  initialTermId: number;
  segmentFileLength: number;
  termBufferLength: number;
  mtuLength: number;
  sessionId: number;
  streamId: number;
  strippedChannel: string;
  originalChannel: string;
  sourceIdentity: string;
}

/** Java's listRecordings line (`R`/`F` tag, then tab-separated fields) as the CLI's JSON fields. */
function javaDescriptors(stdout: string, tag: string): Omit<RecordingJson, 'state' | 'active'>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`${tag} `))
    .map((l) => {
      const f = l.slice(2).split('\t');
      const num = (i: number): number => Number(f[i]);
      return {
        recordingId: num(0),
        startTimestamp: num(1),
        stopTimestamp: num(2),
        startPosition: num(3),
        stopPosition: num(4),
        initialTermId: num(5),
        segmentFileLength: num(6),
        termBufferLength: num(7),
        mtuLength: num(8),
        sessionId: num(9),
        streamId: num(10),
        strippedChannel: f[11] ?? '',
        originalChannel: f[12] ?? '',
        sourceIdentity: f[13] ?? '',
      };
    });
}

async function recordingsJson(args: readonly string[]): Promise<RecordingJson[]> {
  const result = await runCliProcess(['recordings', ...args, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as { recordings: RecordingJson[] }).recordings;
}

function comparable(r: RecordingJson): Omit<RecordingJson, 'state' | 'active'> {
  const { state: _state, active: _active, ...rest } = r;
  const {
    controlSessionId: _c,
    correlationId: _k,
    checksum: _s,
    ...fields
  } = rest as RecordingJson & {
    controlSessionId?: number;
    correlationId?: number;
    checksum?: number;
  };
  return fields;
}

class CatalogProbe {
  stdout = '';
  stderr = '';
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<void>;

  constructor(driver: ArchivingDriverHandle) {
    const classDir = compileJava({
      sources: [join(PROJECT_ROOT, 'test/java/CatalogProbe.java')],
      classpath: [aeronJarPath()],
    });
    this.child = spawn(
      'java',
      [
        ...AERON_JVM_FLAGS,
        '-cp',
        `${classDir}:${aeronJarPath()}`,
        'CatalogProbe',
        driver.aeronDir,
        driver.controlChannel,
        String(driver.controlStreamId),
        driver.responseChannel,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const pid = this.child.pid;
    if (pid === undefined) throw new Error('could not start java');
    track({ pid, name: 'CatalogProbe', dirs: [] });
    this.child.stdout.on('data', (d: Buffer) => {
      this.stdout += d.toString();
    });
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) =>
      this.child.on('close', () => {
        untrack(pid);
        resolve();
      }),
    );
  }

  async waitFor(line: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!new RegExp(`^${line}$`, 'm').test(this.stdout)) {
      if (this.child.exitCode !== null)
        throw new Error(`CatalogProbe exited before ${line}:\n${this.stdout}\n${this.stderr}`);
      if (Date.now() > deadline)
        throw new Error(`CatalogProbe: no ${line} within ${timeoutMs} ms:\n${this.stdout}\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  kill(): void {
    if (this.child.pid !== undefined && this.child.exitCode === null) {
      try {
        process.kill(this.child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

describeInterop('offline archive commands against the Java archive', () => {
  let driver: ArchivingDriverHandle | undefined;
  let probe: CatalogProbe | undefined;
  const archiveDir = (): string => driver?.archiveDir ?? '';

  beforeAll(async () => {
    driver = await startArchivingMediaDriver();
    probe = new CatalogProbe(driver);
    await probe.waitFor('READY');
  }, 180_000);

  afterAll(async () => {
    probe?.kill();
    await probe?.exited;
    await driver?.stop();
    assertNoLeftovers();
  }, 180_000);

  it('recordings --json, read while the archive runs, equals Java listRecordings (active one has stop -1)', async () => {
    const java = javaDescriptors(probe?.stdout ?? '', 'R');
    expect(java.map((d) => d.streamId)).toEqual([1001, 1002, 1003]);
    const ours = await recordingsJson(['--archive-dir', archiveDir()]);
    expect(ours.map(comparable)).toEqual(java);
    expect(ours.map((r) => r.state)).toEqual(['VALID', 'VALID', 'VALID']);
    expect(ours.map((r) => r.active)).toEqual([false, false, true]);
    expect(ours[2]?.stopPosition).toBe(-1);
    expect(ours[2]?.stopTimestamp).toBe(-1);
    expect(ours[1]?.termBufferLength).toBe(128 * 1024);
  }, 180_000);

  it('filters by --stream, --channel, --from and --count; text shows the active recording', async () => {
    expect(
      (await recordingsJson(['--archive-dir', archiveDir(), '--stream', '1002'])).map((r) => r.recordingId),
    ).toEqual([1]);
    expect(
      (await recordingsJson(['--archive-dir', archiveDir(), '--channel', 'k2-live'])).map((r) => r.recordingId),
    ).toEqual([2]);
    expect(
      (await recordingsJson(['--archive-dir', archiveDir(), '--from', '1', '--count', '1'])).map((r) => r.recordingId),
    ).toEqual([1]);
    const text = await runCliProcess(['recordings', '--archive-dir', archiveDir()]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^\s*2\s+1003\s+-?\d+\s+0\s+active\s/m);
    expect(text.stdout).toContain('3 recordings in the catalog of');
  }, 180_000);

  it('describe-recording shows every field and the segment file', async () => {
    const result = await runCliProcess(['describe-recording', '1', '--archive-dir', archiveDir(), '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as {
      recording: RecordingJson;
      segmentFiles: { name: string; segmentBasePosition: number; size: number }[];
    };
    expect(comparable(doc.recording)).toEqual(javaDescriptors(probe?.stdout ?? '', 'R')[1]);
    expect(doc.segmentFiles).toEqual([
      { name: '1-0.rec', segmentBasePosition: 0, size: doc.recording.segmentFileLength },
    ]);
    const text = await runCliProcess(['describe-recording', '1', '--archive-dir', archiveDir()]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^original channel:\s+aeron:ipc\?term-length=128k\|alias=k2-two$/m);
    expect(text.stdout).toContain('1 segment files:');
    expect(text.stdout).toContain('1-0.rec');
  }, 180_000);

  it('describe-recording of an unknown id fails with one line and exit 1', async () => {
    const result = await runCliProcess(['describe-recording', '99', '--archive-dir', archiveDir()]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('recording 99 is not in the catalog');
  }, 180_000);

  it("errors --archive-dir shows the error the archive logged for the probe's bad channel", async () => {
    expect(probe?.stdout).toMatch(/^ERROR .*not-an-aeron-uri/m);
    const result = await runCliProcess(['errors', '--archive-dir', archiveDir(), '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { source: string; errors: { encodedException: string }[] };
    expect(doc.source).toBe('archive');
    expect(doc.errors.some((e) => e.encodedException.includes('not-an-aeron-uri'))).toBe(true);
  }, 180_000);

  it('after the recording stops and the archive exits, recordings equals Java listRecordings again', async () => {
    probe?.child.stdin.end();
    await probe?.waitFor('DONE');
    const java = javaDescriptors(probe?.stdout ?? '', 'F');
    expect(java).toHaveLength(3);
    expect(java[2]?.stopPosition).toBeGreaterThan(0);
    driver?.kill('SIGTERM');
    await driver?.exited;
    const ours = await recordingsJson(['--archive-dir', archiveDir()]);
    expect(ours.map(comparable)).toEqual(java);
    expect(ours.every((r) => !r.active)).toBe(true);
    const errors = await runCliProcess(['errors', '--archive-dir', archiveDir()]);
    expect(errors.code).toBe(0);
    expect(errors.stdout).toContain('not-an-aeron-uri');
  }, 240_000);
});
