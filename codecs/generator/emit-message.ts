/**
 * Message flyweights: one encoder and one decoder per message, with their repeating groups as classes in
 * the same file (`OrderLegsDecoder` for group `legs` of `Order`), var data accessors and toString/toJSON.
 */
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
  typeFile,
  writeStmt,
} from './emit-fields.ts';
import type { FileHeader } from './emit-header.ts';
import type { GeneratedFile } from './emit-types.ts';
import { Imports } from './imports.ts';
import { type Block, fixedEndForVersion, type Group, type Message, type Schema, type VarDataField } from './ir.ts';
import { pascal, str } from './names.ts';
import { SchemaError } from './schema-error.ts';

interface BlockContext extends FieldContext {
  readonly root: string;
  readonly isRoot: boolean;
}

function limitGet(ctx: BlockContext): string {
  return ctx.isRoot ? 'this.sbeLimit' : 'this.sbeParent.limit()';
}

function limitSet(ctx: BlockContext, value: string): string {
  return ctx.isRoot ? `this.sbeLimit = ${value};` : `this.sbeParent.setLimit(${value});`;
}

function groupClass(path: string, g: Group, role: 'Decoder' | 'Encoder'): string {
  return `${path}${pascal(g.name)}${role}`;
}

/** `actingVersion >= 3 ? 152 : actingVersion >= 2 ? 147 : 131`: the fixed bytes a version's fields need. */
export function fixedEndExpr(b: Block): string {
  const versions = [...new Set(b.fields.map((f) => f.sinceVersion))].sort((x, y) => y - x);
  const parts: string[] = [];
  for (const v of versions) {
    if (v === 0) break;
    parts.push(`actingVersion >= ${v} ? ${fixedEndForVersion(b.fields, v)} : `);
  }
  return `${parts.join('')}${fixedEndForVersion(b.fields, 0)}`;
}

function varDataStatics(ctx: BlockContext, d: VarDataField): void {
  const w = ctx.w;
  const n = d.name;
  w.doc(`Schema id of var data field \`${n}\` (its \`id\` attribute).`);
  w.block(`static ${d.name}Id(): number`, () => w.line(`return ${d.id};`));
  w.line();
  w.doc(`Schema version that added \`${n}\` (0: the first); a message from an older sender reads it as empty.`);
  w.block(`static ${d.name}SinceVersion(): number`, () => w.line(`return ${d.sinceVersion};`));
  w.line();
  w.doc(`Length in bytes of the ${d.lengthPrimitive.name} length in front of \`${n}\`'s bytes.`);
  w.block(`static ${d.name}HeaderLength(): number`, () => w.line(`return ${d.headerLength};`));
  w.line();
  if (d.characterEncoding !== null) {
    w.doc(`Character encoding of \`${n}\`: ${d.characterEncoding}.`);
    w.block(`static ${d.name}CharacterEncoding(): string`, () => w.line(`return ${str(d.characterEncoding ?? '')};`));
    w.line();
  }
}

function varDataDoc(w: CodeWriter, d: VarDataField, extra: string): void {
  const notes = [d.description, extra];
  if (d.sinceVersion > 0) notes.push(`Since version ${d.sinceVersion}.`);
  if (d.deprecated !== null) notes.push(`@deprecated since version ${d.deprecated}`);
  w.doc(...notes);
}

/** The runtime encoder for a single-byte var data encoding (the same choice `encodeText` makes). */
export function encodeFunction(encoding: string): string {
  return encoding === 'US-ASCII' || encoding === 'ASCII' ? 'encodeAscii' : 'encodeLatin1';
}

/** The runtime decoder for a var data encoding, called directly (the same choice `decodeText` makes). */
export function decodeFunction(encoding: string): string {
  if (encoding === 'UTF-8') return 'decodeUtf8';
  if (encoding === 'US-ASCII' || encoding === 'ASCII') return 'decodeAscii';
  return 'decodeLatin1';
}

function emitVarDataDecoder(ctx: BlockContext, d: VarDataField): void {
  const w = ctx.w;
  const n = d.name;
  const p = d.lengthPrimitive;
  const readLength = (where: string): string =>
    p.size === 1
      ? `this.sbeView.getUint8(${where})`
      : `this.sbeView.get${p.view}(${where}, ${String(ctx.littleEndian)})`;
  const guard = (value: string): void => {
    if (d.sinceVersion > 0) w.line(`if (this.sbeActingVersion < ${d.sinceVersion}) return ${value};`);
  };
  /** Reads the header at the limit, checks the data fits, moves the limit past it; leaves `start`, `length`. */
  // The checks are checkBounds(capacity, limit, header) and checkBounds(capacity, start, length) written
  // out (the length is unsigned; the errors built out of line): smaller bytecode, so V8 inlines more.
  const checkHeader = (): void => {
    ctx.imports.runtime('shortBuffer');
    w.line(`const limit = ${limitGet(ctx)};`);
    w.line('const capacity = this.sbeBuffer.length;');
    w.line(`const start = limit + ${d.headerLength};`);
    w.line(`if (limit < 0 || start > capacity) shortBuffer(capacity, limit, ${d.headerLength});`);
  };
  /** Reads the header at the limit, checks the data fits, moves the limit past it; leaves `start`, `length`. */
  const consume = (): void => {
    checkHeader();
    w.line(`const length = ${readLength('limit')};`);
    w.line('const end = start + length;');
    w.line('if (end > capacity) shortBuffer(capacity, start, length);');
    w.line(limitSet(ctx, 'end'));
  };
  ctx.imports.runtime('checkBounds');
  varDataStatics(ctx, d);
  w.doc(`Length in bytes of \`${n}\`, read at the current limit (which does not move).`);
  w.block(`${n}Length(): number`, () => {
    guard('0');
    w.line(`const limit = ${limitGet(ctx)};`);
    w.line(`checkBounds(this.sbeBuffer.length, limit, ${d.headerLength});`);
    w.line(`return ${readLength('limit')};`);
  });
  w.line();
  w.doc(`Skips \`${n}\`; returns its length.`);
  w.block(`skip${pascal(n)}(): number`, () => {
    guard('0');
    consume();
    w.line('return length;');
  });
  w.line();
  if (d.characterEncoding !== null) {
    const decode = decodeFunction(d.characterEncoding);
    ctx.imports.runtime(decode);
    varDataDoc(w, d, `Text (${d.characterEncoding}); reading it moves the limit past it.`);
    w.block(`${n}(): string`, () => {
      guard("''");
      consume();
      w.line(`return ${decode}(this.sbeBuffer, start, end);`);
    });
  } else {
    varDataDoc(w, d, 'Bytes (a copy); reading them moves the limit past them.');
    w.block(`${n}(): Uint8Array`, () => {
      guard('new Uint8Array(0)');
      consume();
      w.line('return this.sbeBuffer.slice(start, end);');
    });
  }
  w.line();
  w.doc(`Copies up to \`length\` bytes of \`${n}\` into \`dst\`; returns the count. Moves the limit past it.`);
  w.block(`get${pascal(n)}(dst: Uint8Array, dstOffset: number, length: number): number`, () => {
    guard('0');
    checkHeader();
    w.line(`const dataLength = ${readLength('limit')};`);
    // copyOut checks that the data fits (as consume does) and the range of dst, then copies.
    ctx.imports.runtime('copyOut');
    w.line('const copied = copyOut(this.sbeBuffer, this.sbeView, start, dataLength, dst, dstOffset, length);');
    w.line(limitSet(ctx, 'start + dataLength'));
    w.line('return copied;');
  });
  w.line();
}

function emitVarDataEncoder(ctx: BlockContext, d: VarDataField): void {
  const w = ctx.w;
  const n = d.name;
  const p = d.lengthPrimitive;
  varDataStatics(ctx, d);
  // The error is built out of line (`badLength`): a template literal here would double the accessor's
  // bytecode, and V8 inlines accessors against a bytecode budget.
  ctx.imports.runtime('badLength');
  const checkLength = `if (length > ${d.maxLength}) badLength(${str(n)}, length, ${d.maxLength});`;
  const writeHeader = writeStmt(ctx, p, 'limit', 'length');
  /** checkBounds(capacity, limit, header + length) written out; leaves `limit`, `start`, `end`. */
  const reserve = (): void => {
    ctx.imports.runtime('shortBuffer');
    w.line(`const limit = ${limitGet(ctx)};`);
    w.line(`const start = limit + ${d.headerLength};`);
    w.line('const end = start + length;');
    w.line('const capacity = this.sbeBuffer.length;');
    w.line(`if (limit < 0 || end > capacity) shortBuffer(capacity, limit, ${d.headerLength} + length);`);
  };
  w.doc(`Copies \`length\` bytes from \`src\` as \`${n}\`, at the limit.`);
  w.block(`put${pascal(n)}(src: Uint8Array, srcOffset: number, length: number): this`, () => {
    w.line(checkLength);
    w.line(`const limit = ${limitGet(ctx)};`);
    // copyIn checks the source range, then this buffer's range for header + data (both SHORT_BUFFER), and
    // copies the data after the header; then the header goes in, so nothing is written when either is short.
    ctx.imports.runtime('copyIn');
    w.line(`copyIn(src, srcOffset, this.sbeBuffer, this.sbeView, limit, ${d.headerLength}, length);`);
    w.line(writeHeader);
    w.line(limitSet(ctx, `limit + ${d.headerLength} + length`));
    w.line('return this;');
  });
  w.line();
  if (d.characterEncoding !== null) {
    const utf8 = d.characterEncoding === 'UTF-8';
    // UTF-8 needs the byte count first; single-byte encodings take one byte per UTF-16 unit.
    const encode = utf8 ? 'encodeText' : encodeFunction(d.characterEncoding);
    if (utf8) ctx.imports.runtime('encodedTextLength');
    ctx.imports.runtime(encode === 'encodeAscii' ? 'encodeAsciiView' : encode);
    const encoding = str(d.characterEncoding);
    varDataDoc(w, d, `Writes \`value\` (${d.characterEncoding}) at the limit.`);
    w.block(`${n}(value: string): this`, () => {
      w.line(utf8 ? `const length = encodedTextLength(${encoding}, value);` : 'const length = value.length;');
      // A JS string holds at most 2^29 - 24 UTF-16 units (V8's String::kMaxLength), so a single-byte
      // encoding's length can never pass a max of 2^29 or more: that check would be dead bytecode.
      if (utf8 || d.maxLength < 2 ** 29) w.line(checkLength);
      reserve();
      w.line(writeHeader);
      const args = 'value, this.sbeBuffer, start';
      if (encode === 'encodeAscii') w.line('encodeAsciiView(value, this.sbeBuffer, this.sbeView, start);');
      else w.line(utf8 ? `encodeText(${encoding}, ${args});` : `${encode}(${args});`);
      w.line(limitSet(ctx, 'end'));
      w.line('return this;');
    });
  } else {
    varDataDoc(w, d, 'Writes `value` at the limit.');
    w.block(`${n}(value: Uint8Array): this`, () => w.line(`return this.put${pascal(n)}(value, 0, value.length);`));
  }
  w.line();
}

function stateLines(ctx: BlockContext, role: 'Decoder' | 'Encoder', b: Block, path: string): void {
  const w = ctx.w;
  ctx.imports.runtime('EMPTY_BUFFER');
  ctx.imports.runtime('EMPTY_VIEW');
  w.line('private sbeBuffer: Uint8Array = EMPTY_BUFFER;');
  w.line('private sbeView: DataView = EMPTY_VIEW;');
  w.line('private sbeOffset = 0;');
  if (ctx.isRoot) w.line('private sbeLimit = 0;');
  else {
    w.line('private sbeCount = 0;');
    w.line('private sbeIndex = 0;');
    if (role === 'Decoder') w.line('private sbeBlockLength = 0;');
  }
  if (role === 'Decoder') {
    if (ctx.isRoot) w.line('private sbeActingBlockLength = 0;');
    w.line('private sbeActingVersion = 0;');
  }
  if (!ctx.isRoot) w.line(`private readonly sbeParent: ${ctx.root};`);
  emitFlyweightMembers(ctx, b.fields, role);
  for (const g of b.groups) w.line(`private readonly ${g.name}Flyweight: ${groupClass(path, g, role)};`);
  w.line();
  const parent = ctx.isRoot ? 'this' : 'parent';
  if (!ctx.isRoot || b.groups.length > 0) {
    w.doc(
      ctx.isRoot
        ? 'A flyweight over no buffer until `wrap`; it makes its group flyweights once, here.'
        : '@internal Made once by the enclosing flyweight, `parent`, whose limit it reads and moves.',
    );
    w.block(ctx.isRoot ? 'constructor()' : `constructor(parent: ${ctx.root})`, () => {
      if (!ctx.isRoot) w.line('this.sbeParent = parent;');
      for (const g of b.groups) w.line(`this.${g.name}Flyweight = new ${groupClass(path, g, role)}(${parent});`);
    });
    w.line();
  }
}

function emitFixedFields(ctx: BlockContext, b: Block, role: 'Decoder' | 'Encoder'): void {
  for (const f of b.fields) {
    emitFieldStatics(ctx, f, true);
    if (role === 'Decoder') emitFieldDecoder(ctx, f);
    else emitFieldEncoder(ctx, f);
  }
}

function emitGroupAccessors(ctx: BlockContext, b: Block, path: string, role: 'Decoder' | 'Encoder'): void {
  const w = ctx.w;
  for (const g of b.groups) {
    const cls = groupClass(path, g, role);
    w.doc(`Schema id of repeating group \`${g.name}\` (its \`id\` attribute).`);
    w.block(`static ${g.name}Id(): number`, () => w.line(`return ${g.id};`));
    w.line();
    w.doc(`Schema version that added \`${g.name}\` (0: the first); a message from an older sender reads it as empty.`);
    w.block(`static ${g.name}SinceVersion(): number`, () => w.line(`return ${g.sinceVersion};`));
    w.line();
    const notes = [g.description];
    if (g.sinceVersion > 0) notes.push(`Since version ${g.sinceVersion}: empty for older senders.`);
    if (role === 'Decoder') {
      w.doc(...notes, 'Reads the group header at the limit; iterate with hasNext()/next() or for...of.');
      w.block(`${g.name}(): ${cls}`, () => {
        if (g.sinceVersion > 0) {
          w.line(`if (this.sbeActingVersion < ${g.sinceVersion}) return this.${g.name}Flyweight.sbeEmpty();`);
        }
        w.line(`return this.${g.name}Flyweight.sbeWrap(this.sbeBuffer, this.sbeView, this.sbeActingVersion);`);
      });
    } else {
      w.doc(...notes, `Writes the group header for \`count\` elements at the limit; call next() before each.`);
      w.block(`${g.name}Count(count: number): ${cls}`, () => {
        w.line(`return this.${g.name}Flyweight.sbeWrap(this.sbeBuffer, this.sbeView, count);`);
      });
    }
    w.line();
  }
}

/** Body of sbeAppendTo for a block's fields, groups and data (a message adds its header first). */
function emitAppendBody(ctx: BlockContext, b: Block, first: string): void {
  const w = ctx.w;
  let sep = first;
  for (const f of b.fields) if (appendField(ctx, f, sep)) sep = '|';
  for (const g of b.groups) {
    w.line(`b.push('${sep}${g.name}=[');`);
    w.line(`const ${g.name} = this.${g.name}();`);
    w.line(`for (let i = 0; ${g.name}.hasNext(); i++) {`);
    w.line(`  if (i > 0) b.push(',');`);
    w.line(`  ${g.name}.next().sbeAppendTo(b);`);
    w.line('}');
    w.line("b.push(']');");
    sep = '|';
  }
  for (const d of b.data) {
    if (d.characterEncoding !== null) w.line(`b.push(\`${sep}${d.name}='\${this.${d.name}()}'\`);`);
    else w.line(`b.push(\`${sep}${d.name}=\${this.skip${pascal(d.name)}()} bytes of raw data\`);`);
    sep = '|';
  }
}

function emitJsonBody(ctx: BlockContext, b: Block): void {
  const w = ctx.w;
  const entries: string[] = b.fields.map((f) => jsonField(ctx, f));
  for (const g of b.groups) entries.push(`${g.name}: this.${g.name}().sbeToJSONArray()`);
  for (const d of b.data) {
    if (d.characterEncoding !== null) entries.push(`${d.name}: this.${d.name}()`);
    else {
      ctx.imports.runtime('toHex');
      entries.push(`${d.name}: toHex(this.${d.name}())`);
    }
  }
  if (entries.length === 0) {
    w.line('return {};');
    return;
  }
  w.block(
    'return',
    () => {
      for (const e of entries) w.line(`${e},`);
    },
    '};',
  );
}

function emitSkipBody(ctx: BlockContext, b: Block): void {
  const w = ctx.w;
  for (const g of b.groups) {
    w.line(`const ${g.name} = this.${g.name}();`);
    w.line(`while (${g.name}.hasNext()) ${g.name}.next().sbeSkip();`);
  }
  for (const d of b.data) w.line(`this.skip${pascal(d.name)}();`);
}

function emitGroupClass(
  schema: Schema,
  ctx: BlockContext,
  g: Group,
  path: string,
  role: 'Decoder' | 'Encoder',
  out: CodeWriter[],
  javaOuter: string,
): void {
  const cls = groupClass(path, g, role);
  // SBE's Java nests a group's class in its parent's: OrderDecoder.LegsDecoder.FillsDecoder.
  const javaClass = `${javaOuter}.${pascal(g.name)}${role}`;
  const innerPath = `${path}${pascal(g.name)}`;
  const w = new CodeWriter();
  const gctx: BlockContext = { ...ctx, w, isRoot: false };
  for (const inner of g.groups) emitGroupClass(schema, ctx, inner, innerPath, role, out, javaClass);
  const dim = g.dimension;
  const blockLengthAt = (base: string): string =>
    dim.blockLength.offset === 0 ? base : `${base} + ${dim.blockLength.offset}`;
  const countAt = (base: string): string => (dim.numInGroup.offset === 0 ? base : `${base} + ${dim.numInGroup.offset}`);
  const blockPrimitive = dim.blockLength.type.kind === 'encoded' ? dim.blockLength.type.primitive : null;
  const countPrimitive = dim.numInGroup.type.kind === 'encoded' ? dim.numInGroup.type.primitive : null;
  if (blockPrimitive === null || countPrimitive === null)
    throw new SchemaError('SCHEMA_INVALID', `group ${g.name}: its dimension type needs blockLength and numInGroup`);
  const view = (p: typeof blockPrimitive, where: string): string =>
    p.size === 1 ? `view.get${p.view}(${where})` : `view.get${p.view}(${where}, ${String(ctx.littleEndian)})`;
  const setView = (p: typeof blockPrimitive, where: string, value: string): string =>
    p.size === 1
      ? `view.set${p.view}(${where}, ${value});`
      : `view.set${p.view}(${where}, ${value}, ${String(ctx.littleEndian)});`;
  ctx.imports.runtime('checkBounds');
  ctx.imports.runtime('CodecError');
  w.doc(
    g.description,
    `Repeating group \`${g.name}\` (${role === 'Decoder' ? 'decoder' : 'encoder'}), block length ${g.blockLength}.`,
    role === 'Decoder'
      ? 'Got from the enclosing flyweight; step through the elements with `hasNext()`/`next()` or for...of.'
      : 'Got from the enclosing flyweight with the element count; call `next()` before writing each element.',
    `Java: \`${javaClass}\`.`,
  );
  w.block(`export class ${cls}`, () => {
    w.doc(
      `Length in bytes of the group header (\`${dim.type.name}\`: block length and count) in front of the elements.`,
    );
    w.line(`static readonly HEADER_SIZE = ${dim.type.encodedLength};`);
    w.doc('Length in bytes of the fixed block of one element at this schema version.');
    w.line(`static readonly BLOCK_LENGTH = ${g.blockLength};`);
    w.line();
    stateLines(gctx, role, g, innerPath);
    if (role === 'Decoder') {
      w.doc('@internal Reads the group header at the parent limit.');
      w.block('sbeWrap(buffer: Uint8Array, view: DataView, actingVersion: number): this', () => {
        w.line(`const limit = ${limitGet(gctx)};`);
        w.line(`checkBounds(buffer.length, limit, ${dim.type.encodedLength});`);
        w.line('this.sbeBuffer = buffer;');
        w.line('this.sbeView = view;');
        w.line(`this.sbeBlockLength = ${view(blockPrimitive, blockLengthAt('limit'))};`);
        w.line(`this.sbeCount = ${view(countPrimitive, countAt('limit'))};`);
        w.line('this.sbeIndex = 0;');
        w.line('this.sbeActingVersion = actingVersion;');
        w.line(limitSet(gctx, `limit + ${dim.type.encodedLength}`));
        w.line('return this;');
      });
      w.line();
      w.doc('@internal An empty group, for a sender older than the group.');
      w.block('sbeEmpty(): this', () => {
        w.line('this.sbeCount = 0;');
        w.line('this.sbeIndex = 0;');
        w.line('return this;');
      });
      w.line();
      w.doc('Number of elements, from the group header (0 for a sender older than the group).');
      w.block('count(): number', () => w.line('return this.sbeCount;'));
      w.line();
      w.doc('How many elements `next()` has moved to: the 1-based position of the current one, 0 before the first.');
      w.block('index(): number', () => w.line('return this.sbeIndex;'));
      w.line();
      w.doc("Length in bytes of each element's fixed block as written, from the group header.");
      w.block('actingBlockLength(): number', () => w.line('return this.sbeBlockLength;'));
      w.line();
      w.doc('Schema version the enclosing message was written with.');
      w.block('actingVersion(): number', () => w.line('return this.sbeActingVersion;'));
      w.line();
      w.doc('Whether `next()` has another element to move to.');
      w.block('hasNext(): boolean', () => w.line('return this.sbeIndex < this.sbeCount;'));
      w.line();
      w.doc('Moves to the next element; throws CodecError BAD_INDEX past the last.');
      w.block('next(): this', () => {
        w.line(`if (this.sbeIndex >= this.sbeCount) throw new CodecError('BAD_INDEX', 'no more ${g.name}');`);
        w.line(`const offset = ${limitGet(gctx)};`);
        const fixedEnd = fixedEndExpr(g);
        if (fixedEnd.includes('actingVersion')) w.line('const actingVersion = this.sbeActingVersion;');
        w.line(`checkBounds(this.sbeBuffer.length, offset, Math.max(this.sbeBlockLength, ${fixedEnd}));`);
        w.line('this.sbeOffset = offset;');
        w.line(limitSet(gctx, 'offset + this.sbeBlockLength'));
        w.line('this.sbeIndex++;');
        w.line('return this;');
      });
      w.line();
      w.doc(
        'The remaining elements: calls `next()` and yields this same flyweight each time.',
        g.groups.length > 0 || g.data.length > 0
          ? "Read an element's groups and var data before the loop moves on: the next element starts at the limit."
          : '',
      );
      w.block(`*[Symbol.iterator](): Generator<${cls}, void, undefined>`, () => {
        w.line('while (this.hasNext()) yield this.next();');
      });
      w.line();
      emitFixedFields(gctx, g, role);
      emitGroupAccessors(gctx, g, innerPath, role);
      for (const d of g.data) emitVarDataDecoder(gctx, d);
      w.doc('@internal Skips the nested groups and var data of this element.');
      w.block('sbeSkip(): void', () => emitSkipBody(gctx, g));
      w.line();
      w.doc('@internal');
      w.block('sbeAppendTo(b: string[]): void', () => {
        w.line("b.push('(');");
        emitAppendBody(gctx, g, '');
        w.line("b.push(')');");
      });
      w.line();
      w.doc('@internal');
      w.block('sbeToJSON(): Record<string, unknown>', () => emitJsonBody(gctx, g));
      w.line();
      w.doc('@internal The remaining elements as JSON.');
      w.block('sbeToJSONArray(): Record<string, unknown>[]', () => {
        w.line('const out: Record<string, unknown>[] = [];');
        w.line('while (this.hasNext()) out.push(this.next().sbeToJSON());');
        w.line('return out;');
      });
    } else {
      w.doc('@internal Writes the group header at the parent limit.');
      w.block('sbeWrap(buffer: Uint8Array, view: DataView, count: number): this', () => {
        w.block(`if (!(count >= 0 && count <= ${dim.maxCount}))`, () => {
          w.line(`throw new CodecError('BAD_LENGTH', \`${g.name} count \${count} outside 0..${dim.maxCount}\`);`);
        });
        w.line(`const limit = ${limitGet(gctx)};`);
        w.line(`checkBounds(buffer.length, limit, ${dim.type.encodedLength});`);
        w.line(setView(blockPrimitive, blockLengthAt('limit'), String(g.blockLength)));
        w.line(setView(countPrimitive, countAt('limit'), 'count'));
        w.line('this.sbeBuffer = buffer;');
        w.line('this.sbeView = view;');
        w.line('this.sbeCount = count;');
        w.line('this.sbeIndex = 0;');
        w.line(limitSet(gctx, `limit + ${dim.type.encodedLength}`));
        w.line('return this;');
      });
      w.line();
      w.doc('Number of elements, as given to the accessor that wrote the group header.');
      w.block('count(): number', () => w.line('return this.sbeCount;'));
      w.line();
      w.doc('Moves to the next element; throws CodecError BAD_INDEX past the count given.');
      w.block('next(): this', () => {
        w.line(`if (this.sbeIndex >= this.sbeCount) throw new CodecError('BAD_INDEX', 'no more ${g.name}');`);
        w.line(`const offset = ${limitGet(gctx)};`);
        w.line(`checkBounds(this.sbeBuffer.length, offset, ${g.blockLength});`);
        w.line('this.sbeOffset = offset;');
        w.line(limitSet(gctx, `offset + ${g.blockLength}`));
        w.line('this.sbeIndex++;');
        w.line('return this;');
      });
      w.line();
      emitFixedFields(gctx, g, role);
      emitGroupAccessors(gctx, g, innerPath, role);
      for (const d of g.data) emitVarDataEncoder(gctx, d);
    }
  });
  w.line();
  out.push(w);
}

/**
 * Whether the header is the standard one (blockLength, templateId, schemaId, version: four uint16 at 0, 2, 4, 6)
 * and `values` fit it: then an encoder writes the header's bytes itself and uses its header flyweight as a type only.
 */
export function isStandardHeader(schema: Schema, values: Readonly<Record<string, number>>): boolean {
  const members = schema.headerType.members;
  return (
    members.length === 4 &&
    members.every(
      (f, i) =>
        f.offset === i * 2 &&
        f.type.kind === 'encoded' &&
        f.type.primitive.name === 'uint16' &&
        f.type.length === 1 &&
        f.presence !== 'constant' &&
        values[f.name] !== undefined &&
        (values[f.name] ?? 0) <= 0xffff,
    ) &&
    schema.headerType.encodedLength === 8
  );
}

/**
 * The body of an encoder's `wrapAndApplyHeader`. With the standard header (blockLength, templateId,
 * schemaId, version: four uint16 at 0, 2, 4, 6) the header's bytes are constants, written as two 32-bit
 * words through the body's view once `wrap` has checked the bounds (header included); the header
 * flyweight is still wrapped at `offset`, as SBE's Java does. Four chained setter calls would cost V8's
 * inlining budget several times as much. Any other header goes through its encoder.
 */
function emitApplyHeader(ctx: BlockContext, schema: Schema, m: Message, headerCls: string): void {
  const w = ctx.w;
  const values: Record<string, number> = {
    blockLength: m.blockLength,
    templateId: m.id,
    schemaId: schema.id,
    version: schema.version,
  };
  const members = schema.headerType.members;
  const standard = isStandardHeader(schema, values);
  if (!standard) {
    const chain = `.blockLength(${m.blockLength}).templateId(${m.id}).schemaId(${schema.id}).version(${schema.version});`;
    w.line(`header.wrap(buffer, offset)${chain}`);
    w.line(`return this.wrap(buffer, offset + ${headerCls}.ENCODED_LENGTH);`);
    return;
  }
  const v = members.map((f) => values[f.name] ?? 0);
  const word = (a: number, b: number): string => {
    const n = ctx.littleEndian ? a + b * 0x10000 : a * 0x10000 + b;
    return `0x${n.toString(16).padStart(8, '0')}`;
  };
  w.line('header.wrap(buffer, offset);');
  w.line('this.wrap(buffer, offset + 8);');
  const names = members.map((f) => `${f.name} ${values[f.name]}`).join(', ');
  w.line(`// ${names}`);
  w.line(`this.sbeView.setUint32(offset, ${word(v[0] ?? 0, v[1] ?? 0)}, ${String(ctx.littleEndian)});`);
  w.line(`this.sbeView.setUint32(offset + 4, ${word(v[2] ?? 0, v[3] ?? 0)}, ${String(ctx.littleEndian)});`);
  w.line('return this;');
}

function emitMessageClass(schema: Schema, header: FileHeader, m: Message, role: 'Decoder' | 'Encoder'): GeneratedFile {
  const imports = new Imports(header.runtimePath);
  const cls = `${m.name}${role}`;
  const body = new CodeWriter();
  const ctx: BlockContext = {
    w: body,
    imports,
    littleEndian: header.littleEndian,
    versioned: role === 'Decoder',
    root: cls,
    isRoot: true,
  };
  const groupWriters: CodeWriter[] = [];
  for (const g of m.groups) {
    emitGroupClass(schema, ctx, g, m.name, role, groupWriters, `${schema.package}.${cls}`);
  }
  const headerCls = role === 'Decoder' ? decoderClass(schema.headerType.name) : encoderClass(schema.headerType.name);
  const headerValues = { blockLength: m.blockLength, templateId: m.id, schemaId: schema.id, version: schema.version };
  // An encoder with the standard header only calls `header.wrap`: the class is then a type import.
  if (role === 'Encoder' && isStandardHeader(schema, headerValues)) imports.type(typeFile(headerCls), headerCls);
  else imports.value(typeFile(headerCls), headerCls);
  imports.runtime('shortBuffer');
  const w = body;
  const notes = [
    m.description,
    `Template ${m.id}, block length ${m.blockLength}.`,
    role === 'Decoder'
      ? 'A flyweight: wrap it over received bytes, then read the fields (groups and var data in schema order).'
      : 'A flyweight: wrap it over a buffer, then write the fields (groups and var data in schema order).',
    `Java: \`${schema.package}.${cls}\` (SBE's Java output for the same schema).`,
  ];
  if (m.sinceVersion > 0) notes.push(`Since version ${m.sinceVersion}.`);
  if (m.deprecated !== null) notes.push(`@deprecated since version ${m.deprecated}`);
  w.doc(...notes);
  w.block(`export class ${cls}`, () => {
    w.doc('Length in bytes of the fixed block (the root fields) at this schema version.');
    w.line(`static readonly BLOCK_LENGTH = ${m.blockLength};`);
    w.doc("The message's template id, the `templateId` of its header.");
    w.line(`static readonly TEMPLATE_ID = ${m.id};`);
    w.doc(`Id of the schema (${schema.package}), the \`schemaId\` of the header.`);
    w.line(`static readonly SCHEMA_ID = ${schema.id};`);
    w.doc("Schema version these codecs were generated from; encoders write it as the header's `version`.");
    w.line(`static readonly SCHEMA_VERSION = ${schema.version};`);
    w.doc("The schema's `semanticVersion` attribute.");
    w.line(`static readonly SEMANTIC_VERSION = ${str(schema.semanticVersion)};`);
    w.line();
    stateLines(ctx, role, m, m.name);
    if (role === 'Decoder') {
      w.doc(
        'Points at a message body at `buffer[offset]` written with `actingBlockLength` and `actingVersion` (from its',
        'header). Throws CodecError SHORT_BUFFER when the fixed block does not fit.',
      );
      w.block(
        'wrap(buffer: Uint8Array, offset: number, actingBlockLength: number, actingVersion: number): this',
        () => {
          w.line(`const fixedLength = ${fixedEndExpr(m)};`);
          w.line('const limit = offset + actingBlockLength;');
          w.line('const capacity = buffer.length;');
          // checkBounds(capacity, offset, max(actingBlockLength, fixedLength)), written out: smaller bytecode.
          // With no fixed bytes at version 0, a negative acting block length must still fail, as there.
          const negative = fixedEndForVersion(m.fields, 0) === 0 ? ' || actingBlockLength < 0' : '';
          w.block(`if (offset < 0 || limit > capacity || offset + fixedLength > capacity${negative})`, () =>
            w.line('shortBuffer(capacity, offset, Math.max(actingBlockLength, fixedLength));'),
          );
          w.line('if (buffer !== this.sbeBuffer) this.sbeRewrap(buffer);');
          w.line('this.sbeOffset = offset;');
          w.line('this.sbeActingBlockLength = actingBlockLength;');
          w.line('this.sbeActingVersion = actingVersion;');
          w.line('this.sbeLimit = limit;');
          w.line('return this;');
        },
      );
      w.line();
      emitRewrap(w, imports);
      imports.runtime('CodecError');
      w.doc('Reads the message header at `offset`, checks it is this message, and wraps the body after it.');
      w.block(`wrapAndApplyHeader(buffer: Uint8Array, offset: number, header: ${headerCls}): this`, () => {
        w.line('header.wrap(buffer, offset);');
        w.line('const templateId = header.templateId();');
        w.block(`if (templateId !== ${m.id})`, () => {
          w.line(`throw new CodecError('WRONG_TEMPLATE', \`expected template ${m.id}, got \${templateId}\`);`);
        });
        w.line('const schemaId = header.schemaId();');
        w.block(`if (schemaId !== ${schema.id})`, () => {
          w.line(`throw new CodecError('WRONG_SCHEMA', \`expected schema ${schema.id}, got \${schemaId}\`);`);
        });
        w.line(
          `return this.wrap(buffer, offset + ${headerCls}.ENCODED_LENGTH, header.blockLength(), header.version());`,
        );
      });
      w.line();
    } else {
      w.doc(
        'Points at `buffer[offset]` to write a message body; throws CodecError SHORT_BUFFER if the block does not fit.',
      );
      w.block('wrap(buffer: Uint8Array, offset: number): this', () =>
        emitFixedWrapBody(w, imports, m.blockLength, true),
      );
      w.line();
      emitRewrap(w, imports);
      w.doc('Writes the message header at `offset` and wraps the body after it.');
      w.block(`wrapAndApplyHeader(buffer: Uint8Array, offset: number, header: ${headerCls}): this`, () => {
        emitApplyHeader(ctx, schema, m, headerCls);
      });
      w.line();
    }
    w.doc('The buffer this flyweight was last wrapped over (an empty one before the first wrap).');
    w.block('buffer(): Uint8Array', () => w.line('return this.sbeBuffer;'));
    w.line();
    w.doc('Offset in bytes of the message body (after its header) in `buffer()`.');
    w.block('offset(): number', () => w.line('return this.sbeOffset;'));
    w.line();
    w.doc('Absolute buffer position where the next var data or group goes.');
    w.block('limit(): number', () => w.line('return this.sbeLimit;'));
    w.line();
    w.doc(
      "Moves the limit (see `limit()`), for code that walks groups or var data itself, as with SBE's Java",
      '`limit(int)`. Not checked: a later read or write checks its own bounds.',
    );
    w.block('setLimit(limit: number): void', () => w.line('this.sbeLimit = limit;'));
    w.line();
    w.doc('Bytes from the start of the body to the limit.');
    w.block('encodedLength(): number', () => w.line('return this.sbeLimit - this.sbeOffset;'));
    w.line();
    if (role === 'Decoder') {
      w.doc('Block length the message was written with (from its header; BLOCK_LENGTH for a sender on this version).');
      w.block('actingBlockLength(): number', () => w.line('return this.sbeActingBlockLength;'));
      w.line();
      w.doc('Schema version the message was written with (from its header); newer fields read as their null value.');
      w.block('actingVersion(): number', () => w.line('return this.sbeActingVersion;'));
      w.line();
      w.doc('Back to the first group or var data field.');
      w.block('sbeRewind(): this', () => {
        w.line('this.sbeLimit = this.sbeOffset + this.sbeActingBlockLength;');
        w.line('return this;');
      });
      w.line();
      w.doc('Skips every group and var data field from the start.');
      w.block('sbeSkip(): this', () => {
        w.line('this.sbeRewind();');
        emitSkipBody(ctx, m);
        w.line('return this;');
      });
      w.line();
      w.doc('The whole body length, var data and groups included (the limit is left where it was).');
      w.block('sbeDecodedLength(): number', () => {
        w.line('const limit = this.sbeLimit;');
        w.line('this.sbeSkip();');
        w.line('const length = this.encodedLength();');
        w.line('this.sbeLimit = limit;');
        w.line('return length;');
      });
      w.line();
    }
    emitFixedFields(ctx, m, role);
    emitGroupAccessors(ctx, m, m.name, role);
    for (const d of m.data) {
      if (role === 'Decoder') emitVarDataDecoder(ctx, d);
      else emitVarDataEncoder(ctx, d);
    }
    if (role === 'Decoder') {
      w.doc("One line, like SBE's appendTo; reads a copy of this flyweight, so the limit does not move.");
      w.block('toString(): string', () => {
        w.line(`if (this.sbeBuffer === EMPTY_BUFFER) return '[${m.name}]';`);
        w.line('const b: string[] = [];');
        w.line(`new ${cls}()`);
        w.line('  .wrap(this.sbeBuffer, this.sbeOffset, this.sbeActingBlockLength, this.sbeActingVersion)');
        w.line('  .sbeAppendTo(b);');
        w.line("return b.join('');");
      });
      w.line();
      w.doc('Field name -> value (int64 as a number when safe, else a string); reads a copy of this flyweight.');
      w.block('toJSON(): Record<string, unknown>', () => {
        w.line('if (this.sbeBuffer === EMPTY_BUFFER) return {};');
        w.line(`return new ${cls}()`);
        w.line('  .wrap(this.sbeBuffer, this.sbeOffset, this.sbeActingBlockLength, this.sbeActingVersion)');
        w.line('  .sbeToJSON();');
      });
      w.line();
      w.doc('@internal');
      w.block('sbeAppendTo(b: string[]): void', () => {
        w.line('this.sbeRewind();');
        w.line(`b.push('[${m.name}](sbeTemplateId=${m.id}|sbeSchemaId=${schema.id}|sbeSchemaVersion=');`);
        w.line(`if (this.sbeActingVersion !== ${schema.version}) b.push(\`\${this.sbeActingVersion}/\`);`);
        w.line(`b.push('${schema.version}|sbeBlockLength=');`);
        w.line(`if (this.sbeActingBlockLength !== ${m.blockLength}) b.push(\`\${this.sbeActingBlockLength}/\`);`);
        w.line(`b.push('${m.blockLength}):');`);
        emitAppendBody(ctx, m, '');
      });
      w.line();
      w.doc('@internal');
      w.block('sbeToJSON(): Record<string, unknown>', () => {
        w.line('this.sbeRewind();');
        emitJsonBody(ctx, m);
      });
    }
  });
  const groups = groupWriters.map((g) => g.toString()).join('\n');
  const importLines = imports.render();
  const content = `${header.text}${importLines.join('\n')}\n\n${groups}${groups === '' ? '' : '\n'}${body.toString()}`;
  return { name: `${cls}.ts`, content };
}

export function emitMessage(schema: Schema, header: FileHeader, m: Message): GeneratedFile[] {
  return [emitMessageClass(schema, header, m, 'Decoder'), emitMessageClass(schema, header, m, 'Encoder')];
}
