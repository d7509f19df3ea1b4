/** Emitters for the schema's named types: enums, sets (bit choices) and composites. */
import { CodeWriter } from './code-writer.ts';
import {
  appendField,
  decoderClass,
  emitFieldDecoder,
  emitFieldEncoder,
  emitFieldStatics,
  emitFixedWrapBody,
  emitFlyweightMembers,
  emitRewrap,
  encoderClass,
  type FieldContext,
  jsonField,
  readExpr,
  writeStmt,
} from './emit-fields.ts';
import type { FileHeader } from './emit-header.ts';
import { Imports } from './imports.ts';
import type { CompositeType, EnumType, SetType } from './ir.ts';
import { camel, str } from './names.ts';

export interface GeneratedFile {
  readonly name: string;
  readonly content: string;
}

function finish(header: FileHeader, imports: Imports, body: CodeWriter): string {
  const importLines = imports.render();
  return `${header.text}${importLines.length > 0 ? `${importLines.join('\n')}\n\n` : ''}${body.toString()}`;
}

/** Sorted distinct `values` as inclusive runs of consecutive integers: [0, 1, 2, 7] -> [[0, 2], [7, 7]]. */
function valueRuns(values: readonly number[]): Array<[number, number]> {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const runs: Array<[number, number]> = [];
  for (const v of sorted) {
    const last = runs[runs.length - 1];
    if (last !== undefined && v === last[1] + 1) last[1] = v;
    else runs.push([v, v]);
  }
  return runs;
}

export function emitEnum(header: FileHeader, t: EnumType): GeneratedFile {
  const imports = new Imports(header.runtimePath);
  imports.runtime('unknownEnumValue');
  const w = new CodeWriter();
  const fn = camel(t.name);
  w.doc(
    t.description,
    `Encoded as ${t.encoding.name}; \`NULL_VAL\` is the null value. The members are the raw numbers themselves.`,
    `Java: \`${header.javaPackage}.${t.name}\`.`,
    '@enum',
  );
  w.block(
    `export const ${t.name} =`,
    () => {
      for (const v of t.values) {
        w.doc(v.description, `Encoded as ${v.value}.`, v.sinceVersion > 0 ? `Since version ${v.sinceVersion}.` : '');
        w.line(`${v.name}: ${v.value},`);
      }
      w.doc(`The null value, ${t.nullValue}: no value (or a field newer than the sender).`);
      w.line(`NULL_VAL: ${t.nullValue},`);
    },
    '} as const;',
  );
  w.line();
  w.doc(`A ${t.name} value: one of the raw numbers listed in \`${t.name}\`.`);
  w.line(`export type ${t.name} = (typeof ${t.name})[keyof typeof ${t.name}];`);
  w.line();
  w.doc(
    `The ${t.name} with this raw value; throws CodecError UNKNOWN_ENUM_VALUE for a value the schema does not list.`,
    `Java: \`${t.name}.get\`.`,
  );
  w.block(`export function ${fn}Of(value: number): ${t.name}`, () => {
    // The values are the raw numbers themselves, so a range test returns `value` (`+ 0` turns -0 into the
    // member 0, as the switch did): a few bytes of bytecode where a switch returning each member took over
    // a hundred (V8 inlines against a budget).
    const runs = valueRuns([...t.values.map((v) => v.value), t.nullValue]);
    if (runs.length <= 4) {
      const tests = runs.map(([lo, hi]) => (lo === hi ? `value === ${lo}` : `(value >= ${lo} && value <= ${hi})`));
      w.line(`if (${tests.join(' || ')}) return (value + 0) as ${t.name};`);
    } else {
      w.block('switch (value)', () => {
        for (const v of [...t.values.map((e) => e.value), t.nullValue]) w.line(`case ${v}:`);
        w.line(`  return (value + 0) as ${t.name};`);
      });
    }
    w.line(`return unknownEnumValue(${str(t.name)}, value);`);
  });
  w.line();
  w.doc(`The name of a raw ${t.name} value: a value's name, \`NULL_VAL\`, or \`SBE_UNKNOWN\`.`);
  w.block(`export function ${fn}Name(value: number): string`, () => {
    w.block('switch (value)', () => {
      for (const v of t.values) {
        w.line(`case ${v.value}:`);
        w.line(`  return ${str(v.name)};`);
      }
      w.line(`case ${t.nullValue}:`);
      w.line(`  return 'NULL_VAL';`);
      w.line('default:');
      w.line(`  return 'SBE_UNKNOWN';`);
    });
  });
  return { name: `${t.name}.ts`, content: finish(header, imports, w) };
}

function flyweightState(w: CodeWriter, imports: Imports): void {
  imports.runtime('EMPTY_BUFFER');
  imports.runtime('EMPTY_VIEW');
  w.line('private sbeBuffer: Uint8Array = EMPTY_BUFFER;');
  w.line('private sbeView: DataView = EMPTY_VIEW;');
  w.line('private sbeOffset = 0;');
}

function fixedWrap(w: CodeWriter, imports: Imports, length: number, what: string): void {
  w.doc('Points this flyweight at `buffer[offset]`; throws CodecError SHORT_BUFFER if it does not fit.');
  w.block('wrap(buffer: Uint8Array, offset: number): this', () => emitFixedWrapBody(w, imports, length, false));
  w.line();
  emitRewrap(w, imports);
  w.doc('The buffer this flyweight was last wrapped over (an empty one before the first wrap).');
  w.block('buffer(): Uint8Array', () => w.line('return this.sbeBuffer;'));
  w.line();
  w.doc(`Offset in bytes of the ${what} in \`buffer()\`.`);
  w.block('offset(): number', () => w.line('return this.sbeOffset;'));
  w.line();
}

export function emitSet(header: FileHeader, t: SetType): GeneratedFile[] {
  const out: GeneratedFile[] = [];
  for (const role of ['Decoder', 'Encoder'] as const) {
    const imports = new Imports(header.runtimePath);
    const w = new CodeWriter();
    const ctx: FieldContext = { w, imports, littleEndian: header.littleEndian, versioned: false };
    const cls = role === 'Decoder' ? decoderClass(t.name) : encoderClass(t.name);
    const raw = readExpr(ctx, t.encoding, 'this.sbeOffset');
    w.doc(
      t.description,
      `${role} of a ${t.encoding.name} bit set: one boolean accessor per choice.`,
      `Java: \`${header.javaPackage}.${cls}\`.`,
    );
    w.block(`export class ${cls}`, () => {
      w.doc('Length in bytes of the set.');
      w.line(`static readonly ENCODED_LENGTH = ${t.encodedLength};`);
      w.line();
      flyweightState(w, imports);
      w.line();
      fixedWrap(w, imports, t.encodedLength, 'set');
      w.doc('Length in bytes of the set (`ENCODED_LENGTH`).');
      w.block('encodedLength(): number', () => w.line(`return ${t.encodedLength};`));
      w.line();
      if (role === 'Decoder') {
        w.doc('All the bits as one number.');
        w.block('raw(): number', () => w.line(`return ${raw};`));
        w.line();
        w.doc('Whether no bit is set.');
        w.block('isEmpty(): boolean', () => w.line('return this.raw() === 0;'));
        w.line();
        for (const c of t.choices) {
          w.doc(
            c.description,
            `Whether choice \`${c.name}\` (bit ${c.bit}) is set.`,
            c.sinceVersion > 0 ? `Since version ${c.sinceVersion}.` : '',
          );
          w.block(`${c.name}(): boolean`, () => w.line(`return (this.raw() & ${bitExpr(c.bit)}) !== 0;`));
          w.line();
        }
        w.doc('The names of the choices set, like SBE: `{a,b}`.');
        // biome-ignore lint/suspicious/noTemplateCurlyInString: this is generated code holding a template literal
        w.block('toString(): string', () => w.line("return `{${this.toJSON().join(',')}}`;"));
        w.line();
        w.doc('The names of the choices set, in schema order.');
        w.block('toJSON(): string[]', () => {
          w.line('const names: string[] = [];');
          for (const c of t.choices) w.line(`if (this.${c.name}()) names.push(${str(c.name)});`);
          w.line('return names;');
        });
      } else {
        w.doc('Clears every bit.');
        w.block('clear(): this', () => {
          w.line(writeStmt(ctx, t.encoding, 'this.sbeOffset', '0'));
          w.line('return this;');
        });
        w.line();
        w.doc('Sets all the bits at once.');
        w.block('raw(value: number): this', () => {
          w.line(writeStmt(ctx, t.encoding, 'this.sbeOffset', 'value'));
          w.line('return this;');
        });
        w.line();
        for (const c of t.choices) {
          w.doc(c.description, `Sets or clears choice \`${c.name}\` (bit ${c.bit}); the other bits stay as they are.`);
          w.block(`${c.name}(value: boolean): this`, () => {
            w.line(`const bits = ${raw};`);
            w.line(
              writeStmt(
                ctx,
                t.encoding,
                'this.sbeOffset',
                `value ? bits | ${bitExpr(c.bit)} : bits & ~${bitExpr(c.bit)}`,
              ),
            );
            w.line('return this;');
          });
          w.line();
        }
      }
    });
    out.push({ name: `${cls}.ts`, content: finish(header, imports, w) });
  }
  return out;
}

function bitExpr(bit: number): string {
  return `0x${(2 ** bit).toString(16)}`;
}

export function emitComposite(header: FileHeader, t: CompositeType): GeneratedFile[] {
  const out: GeneratedFile[] = [];
  for (const role of ['Decoder', 'Encoder'] as const) {
    const imports = new Imports(header.runtimePath);
    const w = new CodeWriter();
    const ctx: FieldContext = { w, imports, littleEndian: header.littleEndian, versioned: false };
    const cls = role === 'Decoder' ? decoderClass(t.name) : encoderClass(t.name);
    w.doc(
      t.description,
      `Composite of ${t.encodedLength} bytes${role === 'Decoder' ? '' : ' (encoder)'}.`,
      `Java: \`${header.javaPackage}.${cls}\`.`,
    );
    w.block(`export class ${cls}`, () => {
      w.doc('Length in bytes of the composite.');
      w.line(`static readonly ENCODED_LENGTH = ${t.encodedLength};`);
      w.line();
      flyweightState(w, imports);
      emitFlyweightMembers(ctx, t.members, role);
      w.line();
      fixedWrap(w, imports, t.encodedLength, 'composite');
      w.doc('Length in bytes of the composite (`ENCODED_LENGTH`).');
      w.block('encodedLength(): number', () => w.line(`return ${t.encodedLength};`));
      w.line();
      for (const m of t.members) {
        // Zero-length members (var data headers' varData) have no accessors.
        if (m.type.kind === 'encoded' && m.type.length === 0) continue;
        emitFieldStatics(ctx, m, false);
        if (role === 'Decoder') emitFieldDecoder(ctx, m);
        else emitFieldEncoder(ctx, m);
      }
      if (role === 'Decoder') {
        const members = t.members.filter((m) => !(m.type.kind === 'encoded' && m.type.length === 0));
        w.doc('One line, like SBE: `(a=1|b=2)`.');
        w.block('toString(): string', () => {
          w.line("const b: string[] = ['('];");
          let sep = '';
          for (const m of members) if (appendField(ctx, m, sep)) sep = '|';
          w.line("b.push(')');");
          w.line("return b.join('');");
        });
        w.line();
        w.doc("Member name -> value, as the message decoders' `toJSON` gives it.");
        w.block('toJSON(): Record<string, unknown>', () => {
          if (members.length === 0) {
            w.line('return {};');
            return;
          }
          w.block(
            'return',
            () => {
              for (const m of members) w.line(`${jsonField(ctx, m)},`);
            },
            '};',
          );
        });
      }
    });
    out.push({ name: `${cls}.ts`, content: finish(header, imports, w) });
  }
  return out;
}
