/**
 * `aeron-ts tail <channel> <streamId>`: subscribes through the running media driver and prints each message
 * (fragments reassembled) as it arrives, until `--count` messages or SIGINT/SIGTERM (exit 0 either way).
 *
 * Text:       `session=<id> stream=<id> position=<p> length=<n> <text, or hex:...>`
 * JSON lines: `{"sessionId":..,"streamId":..,"position":..,"length":..,"text":".."}` (or `"hex"` instead of
 *             `"text"` when the payload is not printable UTF-8).
 *
 * `position` is the stream position just after the message (the header's position), as Java's
 * `Header.position()` reports it.
 */
import type { Command } from 'commander';
import type { Aeron } from '../../client/aeron.ts';
import type { Subscription } from '../../client/subscription.ts';
import { FragmentAssembler } from '../../logbuffer/fragment-assembler.ts';
import type { Header } from '../../logbuffer/header.ts';
import type { ReadableBuffer } from '../../logbuffer/log-buffer-memory.ts';
import { connectAeron } from '../archive-connection.ts';
import { CliError, oneLine } from '../cli-error.ts';
import { type CliCommand, type CliContext, sleepUnlessAborted } from '../command.ts';
import { printableUtf8, toHex } from '../format.ts';
import { globalOptions, parseCount, parseInteger } from '../options.ts';
import type { Output } from '../output.ts';

interface TailOptions {
  readonly count?: string;
  readonly hex?: boolean;
}

const FRAGMENT_LIMIT = 64;
const IDLE_MS = 1;

/** Prints each assembled message; counts them. */
class MessagePrinter {
  count = 0;
  readonly #out: Output;
  readonly #forceHex: boolean;
  #scratch = new Uint8Array(4096);

  constructor(out: Output, forceHex: boolean) {
    this.#out = out;
    this.#forceHex = forceHex;
  }

  readonly onMessage = (buffer: ReadableBuffer, offset: number, length: number, header: Header): void => {
    if (this.#scratch.length < length) this.#scratch = new Uint8Array(Math.max(length, this.#scratch.length * 2));
    buffer.getBytes(offset, this.#scratch, 0, length);
    const bytes = this.#scratch.subarray(0, length);
    const text = this.#forceHex ? null : printableUtf8(bytes);
    this.count++;
    if (this.#out.json) {
      this.#out.document({
        sessionId: header.sessionId(),
        streamId: header.streamId(),
        position: header.position(),
        length,
        ...(text === null ? { hex: toHex(bytes) } : { text }),
      });
    } else {
      this.#out.line(
        `session=${header.sessionId()} stream=${header.streamId()} position=${header.position()} length=${length} ${
          text === null ? `hex:${toHex(bytes)}` : JSON.stringify(text)
        }`,
      );
    }
  };
}

async function run(
  command: Command,
  context: CliContext,
  channel: string,
  streamText: string,
  options: TailOptions,
): Promise<void> {
  const { aeronDir, out } = globalOptions(command, context);
  const streamId = parseInteger('stream id', streamText);
  const limit = options.count === undefined ? Number.POSITIVE_INFINITY : parseCount('--count', options.count);
  if (limit === 0) return;
  const aeron: Aeron = await connectAeron(aeronDir, context.now());
  try {
    let subscription: Subscription;
    try {
      subscription = await aeron.addSubscription(channel, streamId);
    } catch (e) {
      throw new CliError(`cannot subscribe to ${channel} stream ${streamId}: ${oneLine(e)}`);
    }
    const printer = new MessagePrinter(out, options.hex === true);
    const assembler = new FragmentAssembler(printer.onMessage);
    const signal = context.signal;
    while (!signal.aborted && printer.count < limit) {
      const remaining = limit - printer.count;
      const fragments = subscription.poll(
        assembler.onFragment,
        remaining < FRAGMENT_LIMIT ? Math.max(1, remaining) : FRAGMENT_LIMIT,
      );
      if (fragments === 0) await sleepUnlessAborted(IDLE_MS, signal);
    }
    subscription.close();
  } finally {
    aeron.close();
  }
}

/** `aeron-ts tail <channel> <streamId>`: subscribes and prints each message (until `--count` or Ctrl-C). */
export const tailCommand: CliCommand = {
  name: 'tail',
  register(program, context) {
    program
      .command('tail')
      .description('subscribe to a channel and stream and print each message (until --count or Ctrl-C)')
      .argument('<channel>', 'the channel URI, e.g. aeron:ipc or aeron:udp?endpoint=localhost:40123')
      .argument('<streamId>', 'the stream id')
      .option('--count <n>', 'exit after this many messages (default: until interrupted)')
      .option('--hex', 'print payloads as hex even when they are text')
      .addHelpText(
        'after',
        [
          '',
          'Each line: session id, stream id, position after the message, length, then the payload as a JSON',
          'string when it is printable UTF-8, else hex. With --json: one JSON document per message.',
          '',
          'Examples:',
          '  $ aeron-ts tail aeron:ipc 1001',
          '  $ aeron-ts tail aeron:udp?endpoint=localhost:40123 1001 --count 10 --json',
        ].join('\n'),
      )
      .action((channel: string, streamText: string, options: TailOptions, command: Command) =>
        run(command, context, channel, streamText, options),
      );
  },
};
