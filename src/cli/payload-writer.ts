/**
 * Where `replay` writes the payload bytes: a file, or a byte stream (stdout). Fragments are copied into one
 * reusable staging buffer that is written out when full and after each poll, so the copy loop allocates
 * nothing per fragment.
 */
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Header } from '../logbuffer/header.ts';
import type { ReadableBuffer } from '../logbuffer/log-buffer-memory.ts';
import { CliError, oneLine } from './cli-error.ts';

const STAGING_LENGTH = 1024 * 1024;

/** Where the payload bytes go. */
export interface ByteSink {
  /** Writes the first `length` bytes of `bytes` (which the caller reuses once this returns). */
  write(bytes: Uint8Array, length: number): void;
  /** Closes the sink, keeping what was written. */
  close(): void;
  /** Closes the sink after a failure; a file sink removes its file. */
  abandon(): void;
}

/**
 * A sink that creates (or truncates) the file at `path`.
 *
 * @throws CliError (exit 1) `cannot write <path>: <reason>` when the file cannot be opened for writing.
 */
export function fileSink(path: string): ByteSink {
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
    abandon() {
      closeSync(fd);
      try {
        unlinkSync(path);
      } catch {
        // nothing to remove
      }
    },
  };
}

/** A sink over a byte stream such as stdout; closing leaves the stream open. */
export function streamSink(stream: Writable): ByteSink {
  return {
    // One copy per flush (not per fragment): the stream may keep the chunk after write() returns.
    write: (bytes, length) => {
      stream.write(Buffer.from(bytes.subarray(0, length)));
    },
    close: () => {},
    abandon: () => {},
  };
}

/** Copies fragment payloads into a staging buffer and flushes it to the sink; counts what went through. */
export class PayloadWriter {
  /** Payload bytes written so far. */
  bytes = 0;
  /** Fragments written so far. */
  fragments = 0;
  /** The stream position after the last fragment written (the start position before the first). */
  position: number;
  readonly #staging = new Uint8Array(STAGING_LENGTH);
  readonly #sink: ByteSink;
  #used = 0;

  /**
   * @param sink where the bytes go.
   * @param startPosition the stream position the first fragment follows.
   */
  constructor(sink: ByteSink, startPosition: number) {
    this.#sink = sink;
    this.position = startPosition;
  }

  /** The fragment handler to poll with: stages the payload, flushing first when the staging buffer is full. */
  readonly onFragment = (buffer: ReadableBuffer, offset: number, length: number, header: Header): void => {
    if (this.#used + length > this.#staging.length) this.flush();
    buffer.getBytes(offset, this.#staging, this.#used, length);
    this.#used += length;
    this.bytes += length;
    this.fragments++;
    this.position = header.position();
  };

  /** Writes what is staged to the sink. */
  flush(): void {
    if (this.#used === 0) return;
    this.#sink.write(this.#staging, this.#used);
    this.#used = 0;
  }
}
