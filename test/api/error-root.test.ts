/**
 * One error root (issue: "every error the library throws or rejects with is an instance of one exported base
 * class"): holds `docs/errors.md` and the code to each other.
 *
 * - every class exported from an entry point that is an `Error` extends `AeronError`, has a stable `code`
 *   (checked on an instance where the constructor takes a message), and has a row in the table;
 * - every error class declared in `src/` or `codecs/` is exported from an entry point, or is one of the
 *   CLI-only classes of the table's last section;
 * - nothing in `src/` or `codecs/` throws a bare `Error`, `TypeError` or `RangeError`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as codecs from '../../codecs/index.ts';
import { AeronError } from '../../codecs/runtime/aeron-error.ts';
import * as archive from '../../src/archive/index.ts';
import * as archiveServer from '../../src/archive-server/index.ts';
import * as client from '../../src/client/index.ts';
import * as driver from '../../src/driver/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const ENTRY_POINTS: Record<string, Record<string, unknown>> = {
  'aeron-ts': client,
  'aeron-ts/archive': archive,
  'aeron-ts/archive-server': archiveServer,
  'aeron-ts/codecs': codecs,
  'aeron-ts/driver': driver,
};

interface DocRow {
  readonly name: string;
  readonly codes: readonly string[];
  readonly exportedFrom: string;
}

function docRows(): DocRow[] {
  const text = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');
  const rows: DocRow[] = [];
  for (const line of text.split('\n')) {
    const match = /^\| `(\w+)` \| ([^|]*) \| ([^|]*) \|/.exec(line);
    if (match === null) continue;
    rows.push({
      name: match[1]!,
      codes: match[2]!.split(',').map((c) => c.trim()),
      exportedFrom: match[3]!.trim(),
    });
  }
  return rows;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (path.endsWith('.ts')) out.push(path);
  }
  return out;
}

// The library's code: src/ and what codecs/ ships (the generator too: `aeron-ts codegen` runs it).
const SOURCES = [
  ...sourceFiles(join(ROOT, 'src')),
  ...sourceFiles(join(ROOT, 'codecs', 'runtime')),
  ...sourceFiles(join(ROOT, 'codecs', 'generated')),
  ...sourceFiles(join(ROOT, 'codecs', 'generator')),
];

/** Classes declared in the sources whose `extends` chain (by name) reaches `Error`. */
function declaredErrorClasses(): Map<string, string> {
  const parents = new Map<string, string>();
  const files = new Map<string, string>();
  for (const file of SOURCES) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bclass (\w+) extends (\w+)/g)) {
      parents.set(m[1]!, m[2]!);
      files.set(m[1]!, relative(ROOT, file));
    }
    // a base constructor re-typed for a subclass (`const Base = MediaDriverError as unknown as …`)
    for (const m of readFileSync(file, 'utf8').matchAll(/\bconst (\w+) = (\w+) as unknown as/g))
      parents.set(m[1]!, m[2]!);
  }
  const isError = (name: string, depth = 0): boolean => {
    if (name === 'Error') return true;
    const parent = parents.get(name);
    return parent !== undefined && depth < 20 && isError(parent, depth + 1);
  };
  return new Map([...files].filter(([name]) => isError(name)));
}

function exportedErrorClasses(): Map<string, { ctor: new (...args: never[]) => Error; entries: string[] }> {
  const found = new Map<string, { ctor: new (...args: never[]) => Error; entries: string[] }>();
  for (const [entry, module] of Object.entries(ENTRY_POINTS)) {
    for (const [name, value] of Object.entries(module)) {
      if (typeof value !== 'function' || !(value.prototype instanceof Error || value === Error)) continue;
      const known = found.get(name) ?? { ctor: value as new (...args: never[]) => Error, entries: [] };
      known.entries.push(entry);
      found.set(name, known);
    }
  }
  return found;
}

describe('one error root', () => {
  const rows = docRows();
  const documented = new Map(rows.map((r) => [r.name, r]));

  it('every exported error class extends AeronError and has a row in docs/errors.md', () => {
    const exported = exportedErrorClasses();
    expect(exported.size).toBeGreaterThan(40);
    for (const [name, { ctor, entries }] of exported) {
      expect(ctor === AeronError || ctor.prototype instanceof AeronError, `${name} extends AeronError`).toBe(true);
      const row = documented.get(name);
      expect(row, `${name} has a row in docs/errors.md`).toBeDefined();
      expect(row!.codes.length, `${name} lists its codes`).toBeGreaterThan(0);
      for (const entry of entries) expect(row!.exportedFrom, `${name}: row names ${entry}`).toContain(`\`${entry}\``);
    }
    for (const entry of Object.keys(ENTRY_POINTS)) {
      expect(ENTRY_POINTS[entry]!.AeronError, `${entry} exports AeronError`).toBe(AeronError);
    }
  });

  it('every error class in src/ and codecs/ is exported from an entry point or listed as CLI-only', () => {
    const exported = exportedErrorClasses();
    const declared = declaredErrorClasses();
    expect(declared.size).toBeGreaterThan(40);
    for (const [name, file] of declared) {
      const row = documented.get(name);
      expect(row, `${name} (${file}) has a row in docs/errors.md`).toBeDefined();
      if (row!.exportedFrom === '(CLI only)') {
        expect(exported.has(name), `${name} is listed as not exported, yet exported`).toBe(false);
      } else {
        expect(exported.has(name), `${name} (${file}) is exported from an entry point`).toBe(true);
      }
    }
    for (const row of rows) expect(declared.has(row.name), `docs row ${row.name} names a real class`).toBe(true);
  });

  it('the root is the only class that extends Error, and nothing throws a bare Error, TypeError or RangeError', () => {
    const offenders: string[] = [];
    for (const file of SOURCES) {
      const text = readFileSync(file, 'utf8');
      const where = relative(ROOT, file);
      for (const m of text.matchAll(/\bclass (\w+) extends Error\b/g)) {
        if (m[1] !== 'AeronError') offenders.push(`${where}: class ${m[1]} extends Error`);
      }
      for (const m of text.matchAll(/\bnew (Error|TypeError|RangeError)\(/g)) {
        offenders.push(`${where}: new ${m[1]}(`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('classes with a one-message constructor report the code in their row', () => {
    const probes: Array<[string, AeronError]> = [
      ['InvalidArgumentError', new client.InvalidArgumentError('x')],
      ['IllegalStateError', new client.IllegalStateError('x')],
      ['AeronAbortedError', new client.AeronAbortedError()],
      ['ReentrantPollError', new client.ReentrantPollError()],
      ['AeronClosedError', new client.AeronClosedError()],
      ['DriverTimeoutError', new client.DriverTimeoutError('x')],
      ['ArchiveError', new archive.ArchiveError('x')],
      ['ArchiveTimeoutError', new archive.ArchiveTimeoutError('x')],
      ['ArchiveClosedError', new archive.ArchiveClosedError()],
      ['ArchiveAbortedError', new archive.ArchiveAbortedError()],
      ['ArchiveNotConnectedError', new archive.ArchiveNotConnectedError('x')],
      ['PersistentSubscriptionError', new archive.PersistentSubscriptionError('GENERIC', 'x')],
      ['CodecError', new codecs.CodecError('SHORT_BUFFER', 'x')],
      ['ChannelUriError', new client.ChannelUriError('x', 'aeron:x')],
    ];
    for (const [name, error] of probes) {
      expect(error).toBeInstanceOf(AeronError);
      expect(error.name).toBe(name);
      expect(documented.get(name)?.codes, name).toContain(error.code);
    }
  });
});
