/**
 * The error the generator reports for a schema it cannot generate from, with the file and line of the element
 * at fault (`npx aeron-ts codegen` prints it as `file:line:column: message`).
 */
import { AeronError } from '../runtime/aeron-error.ts';

/**
 * What is wrong:
 * - `SCHEMA_XML`: the file is not well-formed XML (the parser's message, line and column);
 * - `SCHEMA_INVALID`: well-formed, but not a schema SBE accepts (a missing attribute, an unknown type, overlapping
 *   offsets, a duplicate name or id, a field after a group, ...);
 * - `SCHEMA_UNSUPPORTED`: valid SBE this generator does not generate (a name TypeScript or the flyweights cannot
 *   take, an enum over a 64-bit type, ...).
 */
export type SchemaErrorCode = 'SCHEMA_XML' | 'SCHEMA_INVALID' | 'SCHEMA_UNSUPPORTED';

/** Where in the schema file: any part may be unknown. */
export interface SchemaLocation {
  readonly file?: string;
  /** 1-based. */
  readonly line?: number;
  /** 1-based. */
  readonly column?: number;
}

/** A schema the generator cannot generate from; `message` is `file:line[:column]: detail`. */
export class SchemaError extends AeronError {
  /** Which kind of mistake it is (see {@link SchemaErrorCode}). */
  declare readonly code: SchemaErrorCode;
  /** The schema file, when known. */
  readonly file: string | undefined;
  /** 1-based line of the element at fault, when known. */
  readonly line: number | undefined;
  /** 1-based column, when known (XML syntax errors). */
  readonly column: number | undefined;
  /** The message without the location. */
  readonly detail: string;

  /**
   * @param code the kind of mistake.
   * @param detail what is wrong, naming the element.
   * @param location where it is.
   */
  constructor(code: SchemaErrorCode, detail: string, location: SchemaLocation = {}) {
    super(code, `${where(location)}${detail}`);
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
    this.detail = detail;
  }

  /** The same error with `file` set (the parser knows lines; the caller knows the file). */
  inFile(file: string): SchemaError {
    if (this.file !== undefined) return this;
    const location: SchemaLocation = {
      file,
      ...(this.line === undefined ? {} : { line: this.line }),
      ...(this.column === undefined ? {} : { column: this.column }),
    };
    return new SchemaError(this.code, this.detail, location);
  }
}

function where(l: SchemaLocation): string {
  const parts = [l.file ?? (l.line === undefined ? undefined : 'schema'), l.line, l.column].filter(
    (p) => p !== undefined,
  );
  return parts.length === 0 ? '' : `${parts.join(':')}: `;
}
