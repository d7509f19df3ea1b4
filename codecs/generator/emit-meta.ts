/** `schema-meta.ts` (generic metadata, see runtime/meta.ts) and `index.ts` of a generated folder. */
import { CodeWriter } from './code-writer.ts';
import type { FileHeader } from './emit-header.ts';
import type { GeneratedFile } from './emit-types.ts';
import { compareNames, Imports } from './imports.ts';
import type { Block, CompositeType, FixedField, Schema, VarDataField } from './ir.ts';
import { numberExpr, str } from './names.ts';

function fieldMeta(w: CodeWriter, f: FixedField, versioned: boolean): void {
  const t = f.type;
  const since = versioned ? f.sinceVersion : 0;
  const baseProps = [`name: ${str(f.name)}`, `sinceVersion: ${since}`];
  const baseLines = baseProps.map((p) => `${p},`);
  if (f.presence === 'constant') {
    let value: string;
    if (t.kind === 'enum') value = String(t.values.find((v) => v.name === f.valueRef)?.value ?? 0);
    else if (t.kind === 'encoded' && t.primitive.name === 'char' && t.length > 1) value = str(t.constValue ?? '');
    else if (t.kind === 'encoded' && t.primitive.name === 'char') value = String((t.constValue ?? '').charCodeAt(0));
    else value = t.kind === 'encoded' ? String(Number(t.constValue)) : '0';
    obj(w, [`kind: 'constant'`, ...baseProps, `value: ${value}`]);
    return;
  }
  switch (t.kind) {
    case 'encoded':
      if (t.length === 0) return;
      if (t.length === 1) {
        w.open(
          '{',
          () => {
            w.line(`kind: 'primitive',`);
            for (const l of baseLines) w.line(l);
            w.line(`primitiveType: '${t.primitive.name}',`);
            w.line(`optional: ${f.presence === 'optional'},`);
            w.line(`nullValue: ${numberExpr(f.nullValue)},`);
            w.line(`minValue: ${numberExpr(t.minValue)},`);
            w.line(`maxValue: ${numberExpr(t.maxValue)},`);
          },
          '},',
        );
      } else if (t.primitive.name === 'char') {
        const encoding = str(t.characterEncoding ?? 'US-ASCII');
        obj(w, [`kind: 'charArray'`, ...baseProps, `length: ${t.length}`, `characterEncoding: ${encoding}`]);
      } else {
        obj(w, [`kind: 'array'`, ...baseProps, `primitiveType: '${t.primitive.name}'`, `length: ${t.length}`]);
      }
      return;
    case 'enum': {
      const values = t.values.map((v) => v.value).join(', ');
      w.open(
        '{',
        () => {
          w.line(`kind: 'enum',`);
          for (const l of baseLines) w.line(l);
          w.line(`encodingType: '${t.encoding.name}',`);
          w.line(`values: [${values}],`);
          w.line(`nullValue: ${t.nullValue},`);
        },
        '},',
      );
      return;
    }
    case 'set':
      obj(w, [
        `kind: 'set'`,
        ...baseProps,
        `encodingType: '${t.encoding.name}'`,
        `choices: [${t.choices.map((c) => str(c.name)).join(', ')}]`,
      ]);
      return;
    case 'composite':
      obj(w, [`kind: 'composite'`, ...baseProps, `composite: ${compositeConst(t)}`]);
      return;
  }
}

/** An object literal, expanded one property a line (Biome keeps an expanded literal expanded). */
function obj(w: CodeWriter, props: readonly string[]): void {
  w.open(
    '{',
    () => {
      for (const p of props) w.line(`${p},`);
    },
    '},',
  );
}

function compositeConst(t: CompositeType): string {
  return `${t.name.toUpperCase()}_COMPOSITE`;
}

function dataMeta(w: CodeWriter, d: VarDataField): void {
  const encoding = d.characterEncoding === null ? 'null' : str(d.characterEncoding);
  w.open(
    '{',
    () => {
      w.line(`kind: 'data',`);
      w.line(`name: ${str(d.name)},`);
      w.line(`sinceVersion: ${d.sinceVersion},`);
      w.line(`characterEncoding: ${encoding},`);
      w.line(`maxLength: ${d.maxLength},`);
    },
    '},',
  );
}

function blockFields(w: CodeWriter, b: Block): void {
  for (const f of b.fields) fieldMeta(w, f, true);
  for (const g of b.groups) {
    w.open(
      '{',
      () => {
        w.line(`kind: 'group',`);
        w.line(`name: ${str(g.name)},`);
        w.line(`sinceVersion: ${g.sinceVersion},`);
        w.line(`blockLength: ${g.blockLength},`);
        w.open('fields: [', () => blockFields(w, g), '],');
      },
      '},',
    );
  }
  for (const d of b.data) dataMeta(w, d);
}

/** Composites reachable from message fields (directly or through other composites). */
function usedComposites(schema: Schema): Set<string> {
  const used = new Set<string>();
  const visitFields = (fields: readonly FixedField[]): void => {
    for (const f of fields) {
      if (f.type.kind === 'composite' && f.presence !== 'constant' && !used.has(f.type.name)) {
        used.add(f.type.name);
        visitFields(f.type.members);
      }
    }
  };
  const visitBlock = (b: Block): void => {
    visitFields(b.fields);
    for (const g of b.groups) visitBlock(g);
  };
  for (const m of schema.messages) visitBlock(m);
  return used;
}

export function emitSchemaMeta(schema: Schema, header: FileHeader): GeneratedFile {
  const imports = new Imports(header.runtimePath);
  imports.runtimeType('SchemaMeta');
  const w = new CodeWriter();
  // Composites used by fields, in dependency order (the IR lists types after the types they use).
  const used = usedComposites(schema);
  const composites = schema.types.filter((t): t is CompositeType => t.kind === 'composite' && used.has(t.name));
  if (composites.length > 0) imports.runtimeType('CompositeMeta');
  for (const c of composites) {
    w.block(
      `const ${compositeConst(c)}: CompositeMeta =`,
      () => {
        w.line(`name: ${str(c.name)},`);
        w.line(`encodedLength: ${c.encodedLength},`);
        w.open(
          'fields: [',
          () => {
            for (const m of c.members) fieldMeta(w, m, false);
          },
          '],',
        );
      },
      '};',
    );
    w.line();
  }
  w.doc(`Every message of ${schema.package} with its flyweight classes and field layout.`);
  w.block(
    'export const SCHEMA: SchemaMeta =',
    () => {
      w.line(`package: ${str(schema.package)},`);
      w.line(`id: ${schema.id},`);
      w.line(`version: ${schema.version},`);
      w.line(`byteOrder: '${schema.byteOrder}',`);
      w.open(
        'messages: [',
        () => {
          for (const m of schema.messages) {
            imports.value(`./${m.name}Encoder.ts`, `${m.name}Encoder`);
            imports.value(`./${m.name}Decoder.ts`, `${m.name}Decoder`);
            w.open(
              '{',
              () => {
                w.line(`name: ${str(m.name)},`);
                w.line(`templateId: ${m.id},`);
                w.line(`blockLength: ${m.blockLength},`);
                w.line(`sinceVersion: ${m.sinceVersion},`);
                w.line(`Encoder: ${m.name}Encoder,`);
                w.line(`Decoder: ${m.name}Decoder,`);
                w.open('fields: [', () => blockFields(w, m), '],');
              },
              '},',
            );
          }
        },
        '],',
      );
    },
    '};',
  );
  const body = w.toString();
  return { name: 'schema-meta.ts', content: `${header.text}${imports.render().join('\n')}\n\n${body}` };
}

export function emitIndex(header: FileHeader, files: readonly GeneratedFile[]): GeneratedFile {
  const names = files.map((f) => f.name).sort(compareNames);
  const lines = names.map((n) => `export * from './${n}';`);
  return { name: 'index.ts', content: `${header.text}${lines.join('\n')}\n` };
}

export type { CodeWriter };
