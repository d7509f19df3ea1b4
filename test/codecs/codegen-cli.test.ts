/**
 * `aeron-ts codegen <schema.xml> --out <dir>`: the generator as a user tool. Its output for the kitchen-sink schema
 * is the committed `codecs/generated/kitchen-sink/` (which the golden tests hold against SBE's Java; they also run
 * on the command's own output), its options change only the import lines, `--check` reports drift, and schema
 * mistakes come back as SchemaError with a stable code, the file and the line of the element at fault.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaError } from '../../codecs/generator/schema-error.ts';
import { AeronError } from '../../codecs/runtime/index.ts';
import { PROJECT_ROOT } from '../../harness/aeron-jars.ts';
import { runCodegen as codegen } from '../support/codegen-command.ts';

const work = mkdtempSync(join(tmpdir(), 'aeron-ts-codegen-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const KITCHEN_SINK = join(PROJECT_ROOT, 'codecs', 'schema', 'kitchen-sink.xml');
const COMMITTED = join(PROJECT_ROOT, 'codecs', 'generated', 'kitchen-sink');

function filesIn(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
}

/** A schema around `messages` (and `types`), each on its own line so errors have known line numbers. */
function schema(types: string, messages: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<sbe:messageSchema xmlns:sbe="http://fixprotocol.io/2016/sbe" package="t" id="7" version="0">',
    '  <types>',
    '    <composite name="messageHeader">',
    '      <type name="blockLength" primitiveType="uint16"/>',
    '      <type name="templateId" primitiveType="uint16"/>',
    '      <type name="schemaId" primitiveType="uint16"/>',
    '      <type name="version" primitiveType="uint16"/>',
    '    </composite>',
    types,
    '  </types>',
    messages,
    '</sbe:messageSchema>',
    '',
  ].join('\n');
}

async function schemaError(xml: string): Promise<SchemaError> {
  const path = join(work, 'broken.xml');
  writeFileSync(path, xml);
  const error = await codegen(path, '--out', join(work, 'broken-out')).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SchemaError);
  expect(error).toBeInstanceOf(AeronError);
  return error as SchemaError;
}

describe('aeron-ts codegen', () => {
  it('generates the committed kitchen-sink codecs (only the schema path in the header differs)', async () => {
    const out = join(work, 'kitchen-sink');
    const printed = await codegen(
      KITCHEN_SINK,
      '--out',
      out,
      '--runtime',
      '../../runtime/index.ts',
      '--import-extension',
      'ts',
    );
    const ours = filesIn(out);
    const committed = filesIn(COMMITTED);
    expect(printed).toContain(`${committed.size} files, ${committed.size} written`);
    expect([...ours.keys()].sort()).toEqual([...committed.keys()].sort());
    for (const [name, content] of committed) {
      const expected = content.replace('from codecs/schema/kitchen-sink.xml:', 'from kitchen-sink.xml:');
      expect(ours.get(name), name).toBe(expected);
    }
    expect(
      await codegen(
        KITCHEN_SINK,
        '--out',
        out,
        '--runtime',
        '../../runtime/index.ts',
        '--import-extension',
        'ts',
        '--check',
      ),
    ).toContain('up to date');
  });

  it('by default imports the runtime from the package and generated files with .js; --check reports drift', async () => {
    const out = join(work, 'default');
    await codegen(KITCHEN_SINK, '--out', out);
    const order = readFileSync(join(out, 'OrderDecoder.ts'), 'utf8');
    expect(order).toContain("} from 'aeron-ts/codecs/runtime';");
    expect(order).toContain("from './MessageHeaderDecoder.js';");
    expect(order).not.toMatch(/from '\.\/\w+\.ts'/);
    expect(readFileSync(join(out, 'index.ts'), 'utf8')).toContain("export * from './OrderFlat.js';");
    expect(await codegen(KITCHEN_SINK, '--out', out, '--check')).toContain('up to date');
    writeFileSync(join(out, 'SideFlat.ts'), 'stray'); // not generated: left alone, named
    expect(await codegen(KITCHEN_SINK, '--out', out)).toContain('1 other .ts files left there: SideFlat.ts');
    writeFileSync(join(out, 'Side.ts'), '// edited\n');
    await expect(codegen(KITCHEN_SINK, '--out', out, '--check')).rejects.toThrow('1 generated files differ');
    await expect(codegen(KITCHEN_SINK, '--out', out, '--import-extension', 'cjs')).rejects.toThrow('js, ts or none');
  });

  it('a file that is not well-formed XML: SCHEMA_XML with the file, line and column', async () => {
    const e = await schemaError(
      schema('', '  <sbe:message name="M" id="1">\n    <field name="a" id="1" type="int32">\n  </sbe:message>'),
    );
    expect(e.code).toBe('SCHEMA_XML');
    expect(e.file).toBe('broken.xml');
    expect(e.line).toBeGreaterThanOrEqual(13);
    expect(e.message).toMatch(/^broken\.xml:\d+:\d+: not well-formed XML/);
  });

  it('an unknown type: SCHEMA_INVALID at the line of the field that names it', async () => {
    const xml = schema(
      '',
      ['  <sbe:message name="M" id="1">', '    <field name="a" id="1" type="nope"/>', '  </sbe:message>'].join('\n'),
    );
    const e = await schemaError(xml);
    expect(e.code).toBe('SCHEMA_INVALID');
    expect(e.line).toBe(13);
    expect(e.message).toBe('broken.xml:13: message M field a: unknown type "nope"');
  });

  it('overlapping offsets, a missing attribute, duplicates: SCHEMA_INVALID with the line', async () => {
    const overlap = await schemaError(
      schema(
        '',
        [
          '  <sbe:message name="M" id="1">',
          '    <field name="a" id="1" type="int32"/>',
          '    <field name="b" id="2" type="int32" offset="2"/>',
          '  </sbe:message>',
        ].join('\n'),
      ),
    );
    expect([overlap.code, overlap.line, overlap.detail]).toEqual([
      'SCHEMA_INVALID',
      14,
      'message M field b: offset 2 overlaps',
    ]);
    const missing = await schemaError(schema('    <type name="Qty" />', ''));
    expect([missing.code, missing.line, missing.detail]).toEqual([
      'SCHEMA_INVALID',
      10,
      '<type> needs a primitiveType attribute',
    ]);
    const twice = await schemaError(
      schema(
        '',
        [
          '  <sbe:message name="M" id="1">',
          '    <field name="a" id="1" type="int32"/>',
          '    <field name="a" id="2" type="int32"/>',
          '  </sbe:message>',
        ].join('\n'),
      ),
    );
    expect([twice.code, twice.line, twice.detail]).toEqual(['SCHEMA_INVALID', 14, 'message M: two members named a']);
    const ids = await schemaError(schema('', '  <sbe:message name="M" id="1"/>\n  <sbe:message name="N" id="1"/>'));
    expect([ids.code, ids.detail]).toEqual(['SCHEMA_INVALID', 'message id 1 is used twice']);
  });

  it('a name the flyweights use themselves, or one TypeScript cannot take: SCHEMA_UNSUPPORTED', async () => {
    const reserved = await schemaError(
      schema(
        '',
        ['  <sbe:message name="M" id="1">', '    <field name="limit" id="1" type="int32"/>', '  </sbe:message>'].join(
          '\n',
        ),
      ),
    );
    expect([reserved.code, reserved.line]).toEqual(['SCHEMA_UNSUPPORTED', 13]);
    expect(reserved.detail).toContain('"limit" is a name the generated flyweights use themselves');
    const dashed = await schemaError(
      schema(
        '',
        [
          '  <sbe:message name="M" id="1">',
          '    <field name="my-field" id="1" type="int32"/>',
          '  </sbe:message>',
        ].join('\n'),
      ),
    );
    expect([dashed.code, dashed.line]).toEqual(['SCHEMA_UNSUPPORTED', 13]);
  });

  it('a schema file that cannot be read is a one-line CLI error', async () => {
    await expect(codegen(join(work, 'missing.xml'), '--out', join(work, 'x'))).rejects.toThrow(
      /cannot read .*missing\.xml: ENOENT/,
    );
  });
});
