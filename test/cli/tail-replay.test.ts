/**
 * `tail` and `replay` against a real ArchivingMediaDriver (pinned 1.51.0 jar): `tail` prints the messages a
 * TS publisher (text) and the Java publisher (binary, fragmented) send, as text and JSON lines, and exits on
 * --count or SIGINT; `replay --to` writes exactly the recorded payload bytes (sha256 against what was
 * published), `replay` to a pipe writes the same bytes and nothing on stderr; a bad recording id, a bad
 * output path and a missing driver give one-line errors and their exit codes.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SourceLocation } from '../../codecs/generated/archive/SourceLocation.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { assertNoLeftovers, track, untrack } from '../../harness/processes.ts';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { awaitRecorded, awaitRecordingId, connectLocalArchive } from '../archive/support/archive-interop.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { checkMessage, MessageSizes } from '../support/message-pattern.ts';
import { startJavaPublisher } from '../support/pubsub-probe.ts';
import { awaitCondition, offerUntilAccepted } from '../support/wait.ts';
import { CLI_MAIN, runCliProcess } from './support/run-cli.ts';

interface TailLine {
  sessionId: number;
  streamId: number;
  position: number;
  length: number;
  text?: string;
  hex?: string;
}

/** A CLI child whose stdout we watch while it runs (for live commands); `running` is aborted when it exits. */
function startCli(args: readonly string[]): {
  pid: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running: AbortSignal;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the CLI');
  track({ pid, name: `aeron-ts ${args[0] ?? ''}`, dirs: [] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      untrack(pid);
      resolve({ code, signal });
    }),
  );
  const timer = setTimeout(() => process.kill(pid, 'SIGKILL'), 120_000);
  const running = new AbortController();
  void exited.then(({ code, signal }) => {
    clearTimeout(timer);
    running.abort(new Error(`aeron-ts ${args[0] ?? ''} exited (code ${code}, signal ${signal}): ${err}`));
  });
  return { pid, stdout: () => out, stderr: () => err, exited, running: running.signal };
}

describeInterop('tail and replay against the Java archive', () => {
  let driver: ArchivingDriverHandle | undefined;
  let aeron: Aeron | undefined;
  let archive: AeronArchive | undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'aeron-ts-k3-'));
  const aeronDir = (): string => driver?.aeronDir ?? '';

  beforeAll(async () => {
    driver = await startArchivingMediaDriver();
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    archive = await connectLocalArchive(aeron, driver);
  }, 120_000);

  afterAll(async () => {
    archive?.close();
    aeron?.close();
    await driver?.stop();
    rmSync(scratch, { recursive: true, force: true });
    assertNoLeftovers();
  }, 120_000);

  /** Starts `tail` and a TS publisher on `streamId`; sends `texts` once the tail is subscribed. */
  async function tailTexts(streamId: number, texts: readonly string[], extra: readonly string[]) {
    const cli = startCli(['tail', 'aeron:ipc', String(streamId), '--aeron-dir', aeronDir(), ...extra]);
    const publication = await (aeron as Aeron).addExclusivePublication('aeron:ipc', streamId);
    await awaitCondition('the tail to subscribe', () => publication.isConnected(), 60_000, { signal: cli.running });
    for (const text of texts) await offerUntilAccepted(publication, new TextEncoder().encode(text));
    return { cli, publication };
  }

  it('tail --json --count N prints the N messages a TS publisher sends, then exits 0', async () => {
    const texts = Array.from({ length: 5 }, (_, i) => `hello ${i} ✓`);
    const { cli, publication } = await tailTexts(1001, texts, ['--json', '--count', '5']);
    const exit = await cli.exited;
    expect(cli.stderr()).toBe('');
    expect(exit.code).toBe(0);
    const lines = cli
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TailLine);
    expect(lines.map((l) => l.text)).toEqual(texts);
    expect(lines.every((l) => l.sessionId === publication.sessionId && l.streamId === 1001)).toBe(true);
    expect(lines.map((l) => l.length)).toEqual(texts.map((t) => new TextEncoder().encode(t).length));
    // Each message is one frame: 32-byte header + payload, aligned to 32.
    expect(lines[0]?.position).toBe(Math.ceil((32 + (lines[0]?.length ?? 0)) / 32) * 32);
    publication.close();
  }, 120_000);

  it('tail in text mode prints one line per message and stops cleanly on SIGINT', async () => {
    const { cli, publication } = await tailTexts(1002, ['first', 'second'], []);
    await awaitCondition('two tail lines', () => cli.stdout().split('\n').length > 2, 60_000, {
      signal: cli.running,
    });
    process.kill(cli.pid, 'SIGINT');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    expect(cli.stderr()).toBe('');
    const lines = cli.stdout().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^session=${publication.sessionId} stream=1002 position=64 length=5 "first"$`));
    expect(lines[1]).toMatch(/ length=6 "second"$/);
    publication.close();
  }, 120_000);

  it('tail prints what the Java publisher sends (binary, fragmented) as hex, reassembled', async () => {
    const sizes = '100,3000,17';
    const count = 6;
    const cli = startCli(['tail', 'aeron:ipc', '1003', '--aeron-dir', aeronDir(), '--json', '--count', String(count)]);
    const publisher = startJavaPublisher({
      aeronDir: aeronDir(),
      channel: 'aeron:ipc',
      streamId: 1003,
      sizes,
      seed: 7,
      exclusive: false,
      count,
    });
    const [exit, pubExit] = await Promise.all([cli.exited, publisher.exited]);
    expect(pubExit.code, publisher.describe()).toBe(0);
    expect(cli.stderr()).toBe('');
    expect(exit.code).toBe(0);
    const lines = cli
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TailLine);
    const messageSizes = new MessageSizes(sizes);
    expect(lines).toHaveLength(count);
    lines.forEach((line, i) => {
      expect(line.length).toBe(messageSizes.sizeOf(i));
      const bytes = Buffer.from(line.hex ?? '', 'hex');
      expect(bytes.length).toBe(line.length);
      expect(checkMessage(bytes, 0, bytes.length, 7, i)).toBe(true);
    });
  }, 180_000);

  /** Records `count` messages on a fresh IPC stream; resolves the recording id and the published bytes. */
  async function record(streamId: number, count: number): Promise<{ recordingId: number; published: Buffer }> {
    const a = archive as AeronArchive;
    const channel = 'aeron:ipc?term-length=64k';
    await a.startRecording(channel, streamId, SourceLocation.LOCAL);
    const publication = await (aeron as Aeron).addExclusivePublication(channel, streamId);
    const recordingId = await awaitRecordingId(a, streamId, publication.sessionId, 'ipc', 60_000);
    const chunks: Buffer[] = [];
    let position = 0;
    for (let i = 0; i < count; i++) {
      const length = 1 + ((i * 7919) % 5000);
      const message = Buffer.alloc(length);
      for (let j = 0; j < length; j++) message[j] = (i * 31 + j * 7) & 0xff;
      chunks.push(message);
      position = await offerUntilAccepted(publication, message);
    }
    await awaitRecorded(a, recordingId, position, 60_000);
    await a.stopRecording(channel, streamId);
    await awaitCondition(
      'the recording to stop',
      async () => (await a.getStopPosition(recordingId)) === position,
      60_000,
    );
    publication.close();
    return { recordingId, published: Buffer.concat(chunks) };
  }

  const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

  it('replay --to writes exactly the recorded bytes; --json gives the summary; piped stdout gets the same bytes', async () => {
    const { recordingId, published } = await record(2001, 200);
    const file = join(scratch, 'replay.bin');
    const result = await runCliProcess([
      'replay',
      String(recordingId),
      '--to',
      file,
      '--aeron-dir',
      aeronDir(),
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(sha256(readFileSync(file))).toBe(sha256(published));
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      recordingId,
      file,
      startPosition: 0,
      bytes: published.length,
      complete: true,
      active: false,
    });

    const text = await runCliProcess(['replay', String(recordingId), '--to', file, '--aeron-dir', aeronDir()]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^replayed recording ${recordingId} .* to ${file} in `));

    const piped = await new Promise<{ code: number | null; stdout: Buffer; stderr: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', CLI_MAIN, 'replay', String(recordingId), '--aeron-dir', aeronDir()],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const out: Buffer[] = [];
      let err = '';
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('replay to stdout did not finish'));
      }, 120_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout: Buffer.concat(out), stderr: err });
      });
    });
    expect(piped.stderr).toBe('');
    expect(piped.code).toBe(0);
    expect(sha256(piped.stdout)).toBe(sha256(published));
  }, 180_000);

  it('replay of an unknown recording id fails with one line and exit 1, leaving no file', async () => {
    const file = join(scratch, 'unknown.bin');
    const result = await runCliProcess(['replay', '9999', '--to', file, '--aeron-dir', aeronDir()]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^aeron-ts: recording 9999 is not known to the archive /);
    expect(existsSync(file)).toBe(false);
  }, 120_000);

  it('replay to a bad path fails with one line and exit 1', async () => {
    const { recordingId } = await record(2002, 3);
    const result = await runCliProcess([
      'replay',
      String(recordingId),
      '--to',
      join(scratch, 'no-such-dir', 'out.bin'),
      '--aeron-dir',
      aeronDir(),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^aeron-ts: cannot write .*no-such-dir.*ENOENT/);
  }, 120_000);

  it('with no driver, tail and replay exit 2 with one line', async () => {
    const missing = join(scratch, 'no-driver');
    for (const args of [
      ['tail', 'aeron:ipc', '1001'],
      ['replay', '0', '--to', join(scratch, 'x.bin')],
    ]) {
      const result = await runCliProcess([...args, '--aeron-dir', missing]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`no media driver at ${missing}`);
    }
  }, 120_000);
});
