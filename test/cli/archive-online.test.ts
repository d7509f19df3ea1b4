/**
 * The online archive commands against a real ArchivingMediaDriver (pinned 1.51.0 jar): the Java client
 * (test/java/CatalogProbe.java) makes three recordings (two stopped, one active); `recordings --json` through
 * the running archive (local IPC control channel by default, UDP via options or AERON_ARCHIVE_* environment)
 * equals the offline `--archive-dir` output and Java's listRecordings; filters agree; `describe-recording`
 * online equals Java's descriptor; unknown ids, a missing driver and an archive that does not answer give
 * one-line errors.
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

type Json = Record<string, unknown>;

/** Java's `R` lines (tab-separated descriptor fields) as the CLI's JSON fields. */
function javaDescriptors(stdout: string, tag: string): Json[] {
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

/** Drops what differs by source: the listing session's ids (online) and the catalog checksum (offline). */
function comparable(r: Json): Json {
  const { controlSessionId: _c, correlationId: _k, checksum: _s, ...fields } = r;
  return fields;
}

function withoutState(r: Json): Json {
  const { state: _state, active: _active, ...rest } = comparable(r);
  return rest;
}

async function recordingsJson(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Json[]> {
  const result = await runCliProcess(['recordings', ...args, '--json'], env === undefined ? {} : { env });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as { recordings: Json[] }).recordings;
}

/** test/java/CatalogProbe.java: prints `R` lines and READY, waits for stdin to close. */
function startCatalogProbe(driver: ArchivingDriverHandle): {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  exited: Promise<void>;
} {
  const classDir = compileJava({
    sources: [join(PROJECT_ROOT, 'test/java/CatalogProbe.java')],
    classpath: [aeronJarPath()],
  });
  const child = spawn(
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
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start java');
  track({ pid, name: 'CatalogProbe', dirs: [] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stdin.on('error', () => {});
  const exited = new Promise<void>((resolve) =>
    child.on('close', () => {
      untrack(pid);
      resolve();
    }),
  );
  return { child, stdout: () => out, exited };
}

describeInterop('online archive commands against the Java archive', () => {
  let driver: ArchivingDriverHandle | undefined;
  let probe: ReturnType<typeof startCatalogProbe> | undefined;
  const aeronDir = (): string => driver?.aeronDir ?? '';
  const archiveDir = (): string => driver?.archiveDir ?? '';
  const java = (): Json[] => javaDescriptors(probe?.stdout() ?? '', 'R');

  beforeAll(async () => {
    driver = await startArchivingMediaDriver();
    probe = startCatalogProbe(driver);
    const deadline = Date.now() + 120_000;
    while (!/^READY$/m.test(probe.stdout())) {
      if (probe.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`CatalogProbe did not get READY:\n${probe.stdout()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 180_000);

  afterAll(async () => {
    if (probe !== undefined && probe.child.exitCode === null && probe.child.pid !== undefined) {
      process.kill(probe.child.pid, 'SIGKILL');
    }
    await probe?.exited;
    await driver?.stop();
    assertNoLeftovers();
  }, 180_000);

  it('recordings --json through the archive (local control channel) equals --archive-dir and Java', async () => {
    expect(java().map((d) => d.streamId)).toEqual([1001, 1002, 1003]);
    const online = await recordingsJson(['--aeron-dir', aeronDir()]);
    const offline = await recordingsJson(['--archive-dir', archiveDir()]);
    expect(online.map(comparable)).toEqual(offline.map(comparable));
    expect(online.map(withoutState)).toEqual(java());
    expect(online.map((r) => r.active)).toEqual([false, false, true]);
  }, 180_000);

  it('reaches the archive over UDP via options and via AERON_ARCHIVE_* environment', async () => {
    const d = driver as ArchivingDriverHandle;
    const viaOptions = await recordingsJson([
      '--aeron-dir',
      aeronDir(),
      '--control-channel',
      d.controlChannel,
      '--control-stream',
      String(d.controlStreamId),
      '--response-channel',
      d.responseChannel,
    ]);
    expect(viaOptions.map(withoutState)).toEqual(java());
    const viaEnv = await recordingsJson(['--aeron-dir', aeronDir()], {
      ...process.env,
      AERON_ARCHIVE_CONTROL_CHANNEL: d.controlChannel,
      AERON_ARCHIVE_CONTROL_STREAM_ID: String(d.controlStreamId),
      AERON_ARCHIVE_CONTROL_RESPONSE_CHANNEL: d.responseChannel,
    });
    expect(viaEnv.map(withoutState)).toEqual(java());
  }, 180_000);

  it('filters (--stream, --channel, --from, --count) agree online and offline; text names the archive', async () => {
    for (const filter of [
      ['--stream', '1002'],
      ['--channel', 'k2-live'],
      ['--from', '1', '--count', '1'],
      ['--from', '5'],
    ]) {
      const online = await recordingsJson(['--aeron-dir', aeronDir(), ...filter]);
      const offline = await recordingsJson(['--archive-dir', archiveDir(), ...filter]);
      expect(online.map(comparable), filter.join(' ')).toEqual(offline.map(comparable));
    }
    const text = await runCliProcess(['recordings', '--aeron-dir', aeronDir()]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^\s*2\s+1003\s+-?\d+\s+0\s+active\s/m);
    expect(text.stdout).toMatch(/3 recordings in the archive -?\d+ via aeron:ipc\?term-length=64k stream 10\./);
  }, 180_000);

  it('describe-recording through the archive equals Java; unknown ids fail with one line', async () => {
    const result = await runCliProcess(['describe-recording', '1', '--aeron-dir', aeronDir(), '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { recording: Json; segmentFiles?: unknown };
    expect(withoutState(doc.recording)).toEqual(java()[1]);
    expect(doc.segmentFiles).toBeUndefined();
    const text = await runCliProcess(['describe-recording', '1', '--aeron-dir', aeronDir()]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^original channel:\s+aeron:ipc\?term-length=128k\|alias=k2-two$/m);
    const unknown = await runCliProcess(['describe-recording', '99', '--aeron-dir', aeronDir()]);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/^aeron-ts: recording 99 is not known to the archive /);
  }, 180_000);

  it('no driver: exit 2 with one line; no archive on the control stream: exit 1 with one line', async () => {
    const missing = join(archiveDir(), 'no-such-aeron-dir');
    for (const command of ['recordings', 'describe-recording 0']) {
      const result = await runCliProcess([...command.split(' '), '--aeron-dir', missing]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`no media driver at ${missing}`);
    }
    const silent = await runCliProcess(['recordings', '--aeron-dir', aeronDir(), '--control-stream', '4242'], {
      timeoutMs: 120_000,
    });
    expect(silent.code).toBe(1);
    expect(silent.stdout).toBe('');
    expect(silent.stderr.trim().split('\n')).toHaveLength(1);
    expect(silent.stderr).toMatch(
      /^aeron-ts: cannot connect to the archive on aeron:ipc\?term-length=64k stream 4242: /,
    );
  }, 180_000);
});
