/**
 * `aeron-ts replay <recordingId> [--to <file>]`: replays a recording through the running archive and writes
 * the recorded payload bytes, in order and nothing else (no frame headers, no padding), to the file or to
 * stdout (refused on a terminal). A stopped recording is replayed to its stop position; an active one to
 * its recorded position at the start of the command.
 *
 * While it runs, a progress bar goes to stderr when it is a terminal (`replay-progress.ts`). With `--to`, a
 * summary follows on stdout (text, or one JSON document with `--json`).
 *
 * The command in four steps, one function each: read the request from the arguments ({@link replayRequest}),
 * find the positions to replay in the archive ({@link replayRange}), replay them into the sink
 * ({@link writeReplay}, bytes through `payload-writer.ts`), print the summary ({@link printSummary}).
 */
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { AeronArchive } from '../../archive/aeron-archive.ts';
import type { Subscription } from '../../client/subscription.ts';
import { type ArchiveConnection, connectArchive } from '../archive-connection.ts';
import { CliError, withOneLineErrors } from '../cli-error.ts';
import { type CliCommand, type CliContext, sleepUnlessAborted } from '../command.ts';
import { formatGrouped } from '../format.ts';
import {
  type ArchiveConnectionFlags,
  addArchiveOptions,
  globalOptions,
  parseCount,
  parseInteger,
  resolveArchiveEndpoint,
} from '../options.ts';
import type { Output } from '../output.ts';
import { fileSink, PayloadWriter, streamSink } from '../payload-writer.ts';
import { type Progress, progressFor } from '../replay-progress.ts';

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
const FRAGMENT_LIMIT = 256;

/** Where the bytes go: the `--to` file, or stdout. */
type ReplayOutput = { readonly file: string } | { readonly stdout: Writable };

/** What to replay, how, and where to, from the arguments. */
interface ReplayRequest {
  readonly recordingId: number;
  /** `--from`, else the recording's start. */
  readonly fromPosition: number | undefined;
  readonly replayChannel: string;
  readonly replayStreamId: number;
  readonly stallTimeoutMs: number;
  readonly output: ReplayOutput;
}

/** The positions a replay covers. */
interface ReplayRange {
  readonly startPosition: number;
  readonly stopPosition: number;
  /** Whether the recording was still active (then `stopPosition` is its recorded position). */
  readonly active: boolean;
}

/** What a finished replay reports. */
interface ReplaySummary extends ReplayRange {
  readonly recordingId: number;
  readonly file: string;
  readonly bytes: number;
  readonly fragments: number;
  /** Whether the replay reached the stop position (else it was interrupted). */
  readonly complete: boolean;
}

/**
 * Reads the request from the arguments; one-line errors for bad values, and for stdout as the output when it
 * cannot take the bytes (checked here, before connecting).
 */
function replayRequest(idText: string, options: ReplayOptions, context: CliContext, json: boolean): ReplayRequest {
  return {
    recordingId: parseCount('recording id', idText),
    replayStreamId:
      options.replayStream === undefined
        ? DEFAULT_REPLAY_STREAM_ID
        : parseInteger('--replay-stream', options.replayStream),
    fromPosition: options.from === undefined ? undefined : parseCount('--from', options.from),
    stallTimeoutMs: options.timeout === undefined ? DEFAULT_STALL_TIMEOUT_MS : parseCount('--timeout', options.timeout),
    replayChannel: options.replayChannel ?? DEFAULT_REPLAY_CHANNEL,
    output: options.to === undefined ? { stdout: stdoutForBytes(context, json) } : { file: options.to },
  };
}

/** Stdout as the byte stream to write to, when it may take recorded bytes (not a terminal, no `--json`). */
function stdoutForBytes(context: CliContext, json: boolean): Writable {
  if (json) throw new CliError('--json needs --to <file> (without it the recorded bytes go to stdout)');
  if (context.isTty)
    throw new CliError('refusing to write recorded bytes to a terminal: give --to <file> or pipe stdout');
  if (!(context.stdout instanceof Writable)) throw new CliError('stdout is not a byte stream: give --to <file>');
  return context.stdout;
}

/**
 * The positions to replay: from `--from` or the recording's start, to its stop position, or for an active
 * recording its recorded position now.
 */
async function replayRange(connection: ArchiveConnection, request: ReplayRequest): Promise<ReplayRange> {
  const { archive } = connection;
  const { recordingId } = request;
  let descriptor: { startPosition: number; stopPosition: number } | undefined;
  await withOneLineErrors(
    () =>
      archive.listRecording(recordingId, (d) => {
        descriptor = d;
      }),
    'list recording',
  );
  if (descriptor === undefined) {
    throw new CliError(`recording ${recordingId} is not known to the ${connection.description}`);
  }
  const startPosition = request.fromPosition ?? descriptor.startPosition;
  let stopPosition = descriptor.stopPosition;
  const active = stopPosition === -1;
  if (active)
    stopPosition = await withOneLineErrors(() => archive.getRecordingPosition(recordingId), 'get recording position');
  if (stopPosition === -1)
    stopPosition = await withOneLineErrors(() => archive.getStopPosition(recordingId), 'get stop position');
  if (startPosition < descriptor.startPosition || startPosition > stopPosition) {
    throw new CliError(
      `--from ${startPosition} is outside recording ${recordingId} (positions ${descriptor.startPosition}..${stopPosition})`,
    );
  }
  return { startPosition, stopPosition, active };
}

/**
 * Polls the replay into `writer` until the stop position, an abort, the archive closing the replay early, or
 * `stallTimeoutMs` without progress (the last two fail with one line).
 */
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
    await sleepUnlessAborted(1, signal);
  }
}

/** Asks the archive for the replay and drains it into `writer`, with the progress bar; closes the replay. */
async function replayInto(
  archive: AeronArchive,
  request: ReplayRequest,
  range: ReplayRange,
  writer: PayloadWriter,
  signal: AbortSignal,
): Promise<void> {
  const { startPosition, stopPosition } = range;
  if (stopPosition <= startPosition) return;
  const subscription = await withOneLineErrors(
    () =>
      archive.replay(request.recordingId, request.replayChannel, request.replayStreamId, {
        position: startPosition,
        length: stopPosition - startPosition,
      }),
    `replay of recording ${request.recordingId}`,
  );
  const progress = progressFor(startPosition, stopPosition);
  try {
    await drain(subscription, writer, stopPosition, progress, signal, request.stallTimeoutMs);
  } finally {
    progress.stop();
    subscription.close();
  }
}

/**
 * Replays `range` to the request's output; on failure a file output is removed. Resolves to the writer, which
 * counts what was written.
 */
async function writeReplay(
  archive: AeronArchive,
  request: ReplayRequest,
  range: ReplayRange,
  signal: AbortSignal,
): Promise<PayloadWriter> {
  const { output } = request;
  const sink = 'file' in output ? fileSink(output.file) : streamSink(output.stdout);
  const writer = new PayloadWriter(sink, range.startPosition);
  try {
    await replayInto(archive, request, range, writer, signal);
  } catch (e) {
    sink.abandon();
    throw e;
  }
  sink.close();
  return writer;
}

/** Prints the summary of a replay to a file: one line, or one JSON document. */
function printSummary(out: Output, summary: ReplaySummary, elapsedMs: number): void {
  if (out.json) {
    out.document(summary);
    return;
  }
  const { recordingId, startPosition, stopPosition } = summary;
  out.line(
    `replayed recording ${recordingId} (positions ${formatGrouped(startPosition)}..${formatGrouped(stopPosition)}${
      summary.active ? ', still recording' : ''
    }): ${formatGrouped(summary.bytes)} bytes in ${formatGrouped(summary.fragments)} fragments to ${summary.file} in ${(
      elapsedMs / 1000
    ).toFixed(1)} s${summary.complete ? '' : ' (interrupted)'}`,
  );
}

async function run(command: Command, context: CliContext, idText: string, options: ReplayOptions): Promise<void> {
  const { aeronDir, out } = globalOptions(command, context);
  const request = replayRequest(idText, options, context, out.json);
  const endpoint = resolveArchiveEndpoint(options, context.env);
  using connection = await connectArchive(aeronDir, endpoint, context.now(), context.signal);
  const range = await replayRange(connection, request);
  const started = context.now();
  const writer = await writeReplay(connection.archive, request, range, context.signal);
  if (!('file' in request.output)) return;
  const summary: ReplaySummary = {
    recordingId: request.recordingId,
    file: request.output.file,
    startPosition: range.startPosition,
    stopPosition: range.stopPosition,
    active: range.active,
    bytes: writer.bytes,
    fragments: writer.fragments,
    complete: writer.position >= range.stopPosition,
  };
  printSummary(out, summary, context.now() - started);
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
