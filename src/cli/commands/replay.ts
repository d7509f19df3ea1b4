/**
 * `aeron-ts replay <recordingId> [--to <file>]`: replays a recording through the running archive and writes
 * the recorded payload bytes, in order and nothing else (no frame headers, no padding), to the file or to
 * stdout (refused on a terminal). A stopped recording is replayed to its stop position; an active one to
 * its recorded position at the start of the command.
 *
 * While it runs, a progress bar (position / stop position, rate) goes to stderr, and only when stderr is a
 * terminal, so piped output never mixes with it. With `--to`, a summary follows on stdout (text, or one
 * JSON document with `--json`).
 *
 * Fragments are copied into one reusable staging buffer that is written out when full and after each poll,
 * so the copy loop allocates nothing per fragment.
 */
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { Subscription } from '../../client/subscription.ts';
import type { Header } from '../../logbuffer/header.ts';
import type { ReadableBuffer } from '../../logbuffer/log-buffer-memory.ts';
import {
  type ArchiveConnectionFlags,
  addArchiveOptions,
  archiveCall,
  connectArchive,
  resolveArchiveEndpoint,
} from '../archive-connection.ts';
import { CliError, oneLine } from '../cli-error.ts';
import { type CliCommand, type CliContext, globalOptions, parseCount, parseInteger } from '../command.ts';
import { formatGrouped } from '../format.ts';

interface ReplayOptions extends ArchiveConnectionFlags {
  readonly to?: string;
  readonly replayChannel?: string;
  readonly replayStream?: string;
  readonly from?: string;
  readonly timeout?: string;
}

const DEFAULT_REPLAY_CHANNEL = 'aeron:ipc';
const DEFAULT_REPLAY_STREAM_ID = 1_000_101;
const DEFAULT_STALL_TIMEOUT_MS = 30_000;
const STAGING_LENGTH = 1024 * 1024;
const FRAGMENT_LIMIT = 256;

/** Where the payload bytes go: a file descriptor, or a stream (stdout). */
interface ByteSink {
  write(bytes: Uint8Array, length: number): void;
  close(): void;
}

function fileSink(path: string): ByteSink {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new CliError(`cannot write ${path}: ${oneLine(e)}`);
  }
  return {
    write(bytes, length) {
      let written = 0;
      while (written < length) written += writeSync(fd, bytes, written, length - written);
    },
    close: () => closeSync(fd),
  };
}

function streamSink(stream: Writable): ByteSink {
  return {
    // One copy per flush (not per fragment): the stream may keep the chunk after write() returns.
    write: (bytes, length) => {
      stream.write(Buffer.from(bytes.subarray(0, length)));
    },
    close: () => {},
  };
}

/** Copies fragment payloads into a staging buffer and flushes it to the sink. */
class PayloadWriter {
  bytes = 0;
  fragments = 0;
  position = 0;
  readonly #staging = new Uint8Array(STAGING_LENGTH);
  readonly #sink: ByteSink;
  #used = 0;

  constructor(sink: ByteSink, startPosition: number) {
    this.#sink = sink;
    this.position = startPosition;
  }

  readonly onFragment = (buffer: ReadableBuffer, offset: number, length: number, header: Header): void => {
    if (this.#used + length > this.#staging.length) this.flush();
    buffer.getBytes(offset, this.#staging, this.#used, length);
    this.#used += length;
    this.bytes += length;
    this.fragments++;
    this.position = header.position();
  };

  flush(): void {
    if (this.#used === 0) return;
    this.#sink.write(this.#staging, this.#used);
    this.#used = 0;
  }
}

interface Progress {
  update(position: number): void;
  stop(): void;
}

/** A cli-progress bar on stderr when stderr is a terminal, else nothing. */
function progressFor(startPosition: number, stopPosition: number): Progress {
  // The progress bar is a property of the process's stderr, which CliContext does not carry.
  if (process.stderr.isTTY !== true) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'replay [{bar}] {percentage}% | {value}/{total} bytes | {rate}',
    hideCursor: true,
    clearOnComplete: true,
  });
  const started = Date.now();
  const total = stopPosition - startPosition;
  const rate = (done: number): string => {
    const seconds = (Date.now() - started) / 1000;
    return seconds <= 0 ? '-' : `${formatGrouped(Math.round(done / seconds / 1024))} KiB/s`;
  };
  bar.start(total, 0, { rate: '-' });
  return {
    update: (position) => bar.update(position - startPosition, { rate: rate(position - startPosition) }),
    stop: () => bar.stop(),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function drain(
  subscription: Subscription,
  writer: PayloadWriter,
  stopPosition: number,
  progress: Progress,
  signal: AbortSignal,
  stallTimeoutMs: number,
): Promise<void> {
  let lastProgressAt = Date.now();
  let lastPosition = writer.position;
  let sawImage = false;
  while (writer.position < stopPosition && !signal.aborted) {
    const fragments = subscription.poll(writer.onFragment, FRAGMENT_LIMIT);
    writer.flush();
    if (subscription.imageCount > 0) sawImage = true;
    if (writer.position !== lastPosition) {
      lastPosition = writer.position;
      lastProgressAt = Date.now();
      progress.update(lastPosition);
    }
    if (fragments > 0) continue;
    if (sawImage && subscription.imageCount === 0) {
      throw new CliError(
        `the replay ended at position ${writer.position} before the stop position ${stopPosition} (the archive closed it)`,
      );
    }
    if (Date.now() - lastProgressAt > stallTimeoutMs) {
      throw new CliError(
        `the replay made no progress for ${stallTimeoutMs} ms at position ${writer.position} (stop position ${stopPosition})`,
      );
    }
    await sleep(1);
  }
}

async function run(command: Command, context: CliContext, idText: string, options: ReplayOptions): Promise<void> {
  const { aeronDir, out } = globalOptions(command, context);
  const recordingId = parseCount('recording id', idText);
  const replayStreamId =
    options.replayStream === undefined
      ? DEFAULT_REPLAY_STREAM_ID
      : parseInteger('--replay-stream', options.replayStream);
  const fromPosition = options.from === undefined ? undefined : parseCount('--from', options.from);
  const stallTimeoutMs =
    options.timeout === undefined ? DEFAULT_STALL_TIMEOUT_MS : parseCount('--timeout', options.timeout);
  const replayChannel = options.replayChannel ?? DEFAULT_REPLAY_CHANNEL;
  let stdoutStream: Writable | null = null;
  if (options.to === undefined) {
    if (out.json) throw new CliError('--json needs --to <file> (without it the recorded bytes go to stdout)');
    if (context.isTty)
      throw new CliError('refusing to write recorded bytes to a terminal: give --to <file> or pipe stdout');
    if (!(context.stdout instanceof Writable)) throw new CliError('stdout is not a byte stream: give --to <file>');
    stdoutStream = context.stdout;
  }
  const endpoint = resolveArchiveEndpoint(options, context.env);
  using connection = await connectArchive(aeronDir, endpoint, context.now(), context.signal);
  const archive = connection.archive;

  let descriptor: { startPosition: number; stopPosition: number } | undefined;
  await archiveCall('list recording', () =>
    archive.listRecording(recordingId, (d) => {
      descriptor = d;
    }),
  );
  if (descriptor === undefined) {
    throw new CliError(`recording ${recordingId} is not known to the ${connection.description}`);
  }
  const startPosition = fromPosition ?? descriptor.startPosition;
  let stopPosition = descriptor.stopPosition;
  const active = stopPosition === -1;
  if (active)
    stopPosition = await archiveCall('get recording position', () => archive.getRecordingPosition(recordingId));
  if (stopPosition === -1)
    stopPosition = await archiveCall('get stop position', () => archive.getStopPosition(recordingId));
  if (startPosition < descriptor.startPosition || startPosition > stopPosition) {
    throw new CliError(
      `--from ${startPosition} is outside recording ${recordingId} (positions ${descriptor.startPosition}..${stopPosition})`,
    );
  }

  const sink = options.to === undefined ? streamSink(stdoutStream as Writable) : fileSink(options.to);
  const writer = new PayloadWriter(sink, startPosition);
  const started = context.now();
  let ok = false;
  try {
    if (stopPosition > startPosition) {
      const subscription = await archiveCall(`replay of recording ${recordingId}`, () =>
        archive.replay(recordingId, replayChannel, replayStreamId, {
          position: startPosition,
          length: stopPosition - startPosition,
        }),
      );
      const progress = progressFor(startPosition, stopPosition);
      try {
        await drain(subscription, writer, stopPosition, progress, context.signal, stallTimeoutMs);
      } finally {
        progress.stop();
        subscription.close();
      }
    }
    ok = true;
  } finally {
    sink.close();
    if (!ok && options.to !== undefined) {
      try {
        unlinkSync(options.to);
      } catch {
        // nothing to remove
      }
    }
  }
  if (options.to === undefined) return;
  const elapsedMs = context.now() - started;
  const summary = {
    recordingId,
    file: options.to,
    startPosition,
    stopPosition,
    active,
    bytes: writer.bytes,
    fragments: writer.fragments,
    complete: writer.position >= stopPosition,
  };
  if (out.json) {
    out.document(summary);
  } else {
    out.line(
      `replayed recording ${recordingId} (positions ${formatGrouped(startPosition)}..${formatGrouped(stopPosition)}${
        active ? ', still recording' : ''
      }): ${formatGrouped(writer.bytes)} bytes in ${formatGrouped(writer.fragments)} fragments to ${options.to} in ${(
        elapsedMs / 1000
      ).toFixed(1)} s${summary.complete ? '' : ' (interrupted)'}`,
    );
  }
}

/**
 * `aeron-ts replay <recordingId> [--to <file>]`: replays a recording through the running archive and writes its
 * payload bytes, up to the stop (or recorded) position, to the file or stdout; fails after `--timeout` ms
 * without progress (module comment).
 */
export const replayCommand: CliCommand = {
  name: 'replay',
  register(program, context) {
    addArchiveOptions(
      program
        .command('replay')
        .description('replay a recording through the running archive: its payload bytes to a file or stdout')
        .argument('<recordingId>', 'the recording id'),
    )
      .option('--to <file>', 'write the bytes to this file (default: stdout, which must not be a terminal)')
      .option('--from <position>', 'start at this position (default: the recording start)')
      .option('--replay-channel <uri>', `channel the archive replays on (default: ${DEFAULT_REPLAY_CHANNEL})`)
      .option('--replay-stream <id>', `stream id the archive replays on (default: ${DEFAULT_REPLAY_STREAM_ID})`)
      .option(
        '--timeout <ms>',
        `fail when the replay makes no progress this long (default: ${DEFAULT_STALL_TIMEOUT_MS})`,
      )
      .addHelpText(
        'after',
        [
          '',
          'The payloads are written back to back, exactly as published (no Aeron headers). A progress bar goes to',
          'stderr when it is a terminal; with --to, a summary (or --json document) follows on stdout.',
          '',
          'Examples:',
          '  $ aeron-ts replay 3 --to recording-3.bin',
          '  $ aeron-ts replay 3 | sha256sum',
          '  $ aeron-ts replay 3 --to out.bin --json',
        ].join('\n'),
      )
      .action((idText: string, options: ReplayOptions, command: Command) => run(command, context, idText, options));
  },
};
