/** Line-oriented source builder with two-space indentation (the output is Biome-formatted as written). */
export class CodeWriter {
  private readonly lines: string[] = [];
  private depth = 0;

  line(text = ''): this {
    this.lines.push(text === '' ? '' : '  '.repeat(this.depth) + text);
    return this;
  }

  /** `head {`, the body one level deeper, then `tail` (default `}`). */
  block(head: string, body: () => void, tail = '}'): this {
    this.line(`${head} {`);
    const mark = this.lines.length;
    this.depth++;
    body();
    this.depth--;
    if (this.lines.length === mark && tail === '}') {
      this.lines[mark - 1] = `${this.lines[mark - 1]}}`;
      return this;
    }
    this.line(tail);
    return this;
  }

  /** `head` as written (e.g. `fields: [`), the body one level deeper, then `tail`. */
  open(head: string, body: () => void, tail: string): this {
    this.line(head);
    this.depth++;
    body();
    this.depth--;
    this.line(tail);
    return this;
  }

  /** A JSDoc comment; nothing when every line is empty. */
  doc(...text: string[]): this {
    const lines = text
      .flatMap((t) => t.split('\n'))
      .map((t) => t.trim().replaceAll('*/', '*\\/'))
      .filter((t) => t !== '');
    if (lines.length === 0) return this;
    if (lines.length === 1) return this.line(`/** ${lines[0]} */`);
    this.line('/**');
    for (const l of lines) this.line(` * ${l}`);
    return this.line(' */');
  }

  toString(): string {
    // Collapse runs of blank lines and blank lines right after an opening brace or before a closing one.
    const out: string[] = [];
    for (const l of this.lines) {
      const previous = out[out.length - 1];
      if (l === '' && (previous === undefined || previous === '' || previous.endsWith('{'))) continue;
      if (previous === '' && /^\s*[})\]]/.test(l)) out.pop();
      out.push(l);
    }
    while (out[out.length - 1] === '') out.pop();
    return `${out.join('\n')}\n`;
  }
}
