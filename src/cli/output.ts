/**
 * Where a command writes: plain text lines, or JSON (one document, or one document per line for live
 * commands). Commands never touch `process.stdout` directly, so they can run in-process in tests.
 */

/** The sink a command writes to (`process.stdout` satisfies it). */
export interface TextSink {
  /** Writes `chunk` as is (its return value is ignored). */
  write(chunk: string): unknown;
}

/** A command's output: text lines or JSON documents written to one {@link TextSink}. */
export class Output {
  /** Whether `--json` was given: commands then write documents instead of text. */
  readonly json: boolean;
  readonly #sink: TextSink;

  /**
   * @param sink where everything goes.
   * @param json whether the command should write JSON.
   */
  constructor(sink: TextSink, json: boolean) {
    this.#sink = sink;
    this.json = json;
  }

  /** Writes one line of text (a newline is added). */
  line(text = ''): void {
    this.#sink.write(`${text}\n`);
  }

  /** Writes several lines at once. */
  lines(texts: readonly string[]): void {
    if (texts.length > 0) this.#sink.write(`${texts.join('\n')}\n`);
  }

  /** Writes raw text as is (e.g. ANSI clear-screen). */
  raw(text: string): void {
    this.#sink.write(text);
  }

  /** Writes one JSON document on one line. */
  document(value: unknown): void {
    this.#sink.write(`${JSON.stringify(value)}\n`);
  }
}
