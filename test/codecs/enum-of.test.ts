import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFromXml } from '../../codecs/generator/generate.ts';
import { CodecError } from '../../codecs/runtime/index.ts';
import { PROJECT_ROOT } from '../../harness/aeron-jars.ts';

/**
 * Enum `xOf(value)` is emitted as a range test returning `value` (few runs of consecutive values) or as a
 * switch (more runs); both must accept exactly the listed values and the null value, and throw CodecError
 * UNKNOWN_ENUM_VALUE for anything else. The committed schemas only have the range form, so this generates
 * a small schema with both and imports the output.
 */
const XML = `<?xml version="1.0" encoding="UTF-8"?>
<sbe:messageSchema xmlns:sbe="http://fixprotocol.io/2016/sbe" package="t" id="7" version="1" byteOrder="littleEndian">
  <types>
    <composite name="messageHeader">
      <type name="blockLength" primitiveType="uint16"/>
      <type name="templateId" primitiveType="uint16"/>
      <type name="schemaId" primitiveType="uint16"/>
      <type name="version" primitiveType="uint16"/>
    </composite>
    <enum name="Dense" encodingType="int32">
      <validValue name="A">0</validValue><validValue name="B">1</validValue><validValue name="C">2</validValue>
      <validValue name="D">10</validValue>
    </enum>
    <enum name="Sparse" encodingType="uint8">
      <validValue name="A">1</validValue><validValue name="B">3</validValue><validValue name="C">5</validValue>
      <validValue name="D">7</validValue><validValue name="E">9</validValue><validValue name="F">11</validValue>
    </enum>
  </types>
  <sbe:message name="M" id="1">
    <field name="dense" id="1" type="Dense"/>
    <field name="sparse" id="2" type="Sparse"/>
  </sbe:message>
</sbe:messageSchema>`;

const dir = mkdtempSync(join(tmpdir(), 'aeron-ts-enum-of-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type OfFunction = (value: number) => number;

async function load(name: string): Promise<{ source: string; of: OfFunction }> {
  const files = generateFromXml(XML, { runtimePath: join(PROJECT_ROOT, 'codecs/runtime/index.ts') });
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.name), f.content);
  const source = files.find((f) => f.name === `${name}.ts`)?.content ?? '';
  const module = (await import(join(dir, `${name}.ts`))) as Record<string, unknown>;
  return { source, of: module[`${name.charAt(0).toLowerCase()}${name.slice(1)}Of`] as OfFunction };
}

function unknownCode(of: OfFunction, value: number): string | null {
  try {
    of(value);
    return null;
  } catch (e) {
    return e instanceof CodecError ? e.code : 'not a CodecError';
  }
}

describe('enum xOf', () => {
  for (const [name, listed, nullValue, form] of [
    ['Dense', [0, 1, 2, 10], -2147483648, /if \(.*value >= 0 && value <= 2.*\) return \(value \+ 0\) as Dense;/],
    ['Sparse', [1, 3, 5, 7, 9, 11], 255, /switch \(value\)/],
  ] as const) {
    it(`${name}: accepts the listed values and the null value, throws UNKNOWN_ENUM_VALUE for the rest`, async () => {
      const { source, of } = await load(name);
      expect(source).toMatch(form);
      for (const v of [...listed, nullValue]) expect(of(v)).toBe(v);
      for (const v of [-1, 4, 6, 12, 3.5, 254, Number.NaN, 2 ** 31]) {
        if ((listed as readonly number[]).includes(v) || v === nullValue) continue;
        expect(unknownCode(of, v)).toBe('UNKNOWN_ENUM_VALUE');
      }
      expect(() => of(-7)).toThrow(`-7 is not a ${name}`);
      if (name === 'Dense') expect(Object.is(of(-0), 0)).toBe(true); // -0 reads as the member 0
    });
  }
});
