/**
 * Proves the real-Aeron harness: drivers start (the environment's choice; the Java-specific failure cases
 * always on the harness's own Java launch), the Java archive client can use
 * them, and stopping leaves no process and no directory behind; a driver that cannot start fails
 * fast with its own output in the error.
 */
import { existsSync } from 'node:fs';
import { afterAll, afterEach, expect, it } from 'vitest';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type DriverHandle, JAVA_DRIVER, startArchivingMediaDriver, startMediaDriver } from '../../harness/driver.ts';
import { readVersionField } from '../../harness/driver-files.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { assertNoLeftovers, isAlive, trackedProcesses } from '../../harness/processes.ts';
import { describeInterop } from '../support/describe-interop.ts';

describeInterop('real-Aeron harness', () => {
  const started: DriverHandle[] = [];
  afterAll(async () => {
    for (const driver of started) await driver.stop();
  });
  afterEach(() => {
    assertNoLeftovers();
  });

  function expectGone(driver: DriverHandle): void {
    expect(isAlive(driver.pid)).toBe(false);
    expect(() => process.kill(driver.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect(existsSync(driver.aeronDir)).toBe(false);
    expect(trackedProcesses().some((p) => p.pid === driver.pid)).toBe(false);
  }

  it('runs ArchiveProbe against an ArchivingMediaDriver and a MediaDriver beside it, then stops both', async () => {
    const classes = compileJava({ sources: ['test/java/ArchiveProbe.java'], classpath: [aeronJarPath()] });
    const [archive, driver] = await Promise.all([startArchivingMediaDriver(), startMediaDriver()]);
    started.push(archive, driver);

    expect(readVersionField(`${archive.aeronDir}/cnc.dat`)).not.toBe(0);
    expect(readVersionField(`${driver.aeronDir}/cnc.dat`)).not.toBe(0);
    expect(archive.aeronDir).not.toBe(driver.aeronDir);
    expect(existsSync(archive.archiveDir)).toBe(true);
    expect(archive.controlChannel).toMatch(/^aeron:udp\?endpoint=localhost:\d+$/);
    expect(archive.properties['aeron.threading.mode']).toBe('SHARED');

    const result = await runJava({
      classpath: [classes, aeronJarPath()],
      mainClass: 'ArchiveProbe',
      jvmArgs: AERON_JVM_FLAGS,
      args: [
        archive.aeronDir,
        archive.controlChannel,
        String(archive.controlStreamId),
        archive.responseChannel,
        '10',
        'aeron:ipc',
        '1001',
      ],
      timeoutMs: 90_000,
    });
    const context = `probe stdout:\n${result.stdout}\nprobe stderr:\n${result.stderr}\n${archive.output()}`;
    expect(result.code, context).toBe(0);

    const facts = parseFacts(result.stdout);
    const archiveLine = facts.find((f) => f.kind === 'archive');
    expect(archiveLine?.fields.id, context).toBe(archive.archiveId);
    const published = facts.find((f) => f.kind === 'published');
    const recordings = facts.filter((f) => f.kind === 'recording');
    expect(recordings, context).toHaveLength(1);
    const recording = recordings[0]!.fields;
    expect(recording.stream).toBe('1001');
    expect(recording.channel).toBe('aeron:ipc');
    expect(recording.start).toBe('0');
    expect(Number(recording.stop)).toBeGreaterThan(0);
    expect(recording.stop).toBe(published?.fields.position);
    expect(recording.session).toBe(published?.fields.session);

    await archive.stop();
    await driver.stop();
    expectGone(archive);
    expect(existsSync(archive.archiveDir)).toBe(false);
    expectGone(driver);
  });

  it('stop() after the driver was killed still cleans up, and stop() is idempotent', async () => {
    const driver = await startMediaDriver();
    started.push(driver);
    expect(driver.kill('SIGKILL')).toBe(true);
    const exit = await driver.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(existsSync(driver.aeronDir)).toBe(true);
    await driver.stop();
    await driver.stop();
    expectGone(driver);
  });

  it('a driver with a bad property fails within the deadline with its output in the error', async () => {
    const error = await startMediaDriver({
      driver: JAVA_DRIVER,
      properties: { 'aeron.threading.mode': 'NOT_A_THREADING_MODE' },
      readyTimeoutMs: 60_000,
    }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toMatch(/MediaDriver exited before it was ready/);
    expect(error?.message).toMatch(/NOT_A_THREADING_MODE/);
  });

  it('a missing jar fails with the JVM output in the error', async () => {
    const error = await startArchivingMediaDriver({ driver: JAVA_DRIVER, jarPath: '/nonexistent/aeron-all.jar' }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/ArchivingMediaDriver exited before it was ready/);
    expect(error?.message).toMatch(/ClassNotFoundException|Could not find or load main class/);
  });

  it('a driver that is not ready by the deadline is stopped and reported', async () => {
    // Deadline shorter than any JVM start: the harness must kill it and name what it waited for.
    const error = await startMediaDriver({ readyTimeoutMs: 1 }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/not ready within 1 ms: waiting for .*cnc\.dat/);
  });
});

interface Fact {
  readonly kind: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** Parses `kind key=value key=value` lines. */
function parseFacts(stdout: string): Fact[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [kind = '', ...pairs] = line.split(' ');
      const fields: Record<string, string> = {};
      for (const pair of pairs) {
        const eq = pair.indexOf('=');
        if (eq > 0) fields[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      return { kind, fields };
    });
}
