/** Columns a generated line may take (Biome's `lineWidth`); doc comments are wrapped to fit. */
const LINE_WIDTH = 120;

/** `text` as lines of at most `width` characters, broken at spaces (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current === '') current = word;
    else if (current.length + 1 + word.length <= width) current += ` ${word}`;
    else {
      out.push(current);
      current = word;
    }
  }
  out.push(current);
  return out;
}

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

  /**
   * A JSDoc comment; nothing when every line is empty. One `/** text *\/` line when it fits in
   * {@link LINE_WIDTH} columns, else one ` * ` line per text line, each wrapped at spaces to fit.
   */
  doc(...text: string[]): this {
    const lines = text
      .flatMap((t) => t.split('\n'))
      .map((t) => t.trim().replaceAll('*/', '*\\/'))
      .filter((t) => t !== '');
    if (lines.length === 0) return this;
    const indent = 2 * this.depth;
    if (lines.length === 1 && indent + (lines[0] ?? '').length + 7 <= LINE_WIDTH) {
      return this.line(`/** ${lines[0]} */`);
    }
    this.line('/**');
    for (const l of lines.flatMap((t) => wrap(t, LINE_WIDTH - indent - 3))) this.line(` * ${l}`);
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
