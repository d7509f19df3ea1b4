/**
 * `aeron-ts codegen <schema.xml> --out <dir>`: TypeScript codecs for a user's own SBE schema, from the generator
 * that makes this package's archive codecs (flyweights in the style of SBE's Java output, plus the flat
 * `encodeX`/`decodeX` path). Schema mistakes are `SchemaError`s naming the file and line; the generator (and
 * fast-xml-parser) load only when this command runs.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import type { CliCommand, CliContext } from '../command.ts';

/** Where the generated files import the codec runtime from, by default (the package export). */
export const DEFAULT_RUNTIME = 'aeron-ts/codecs/runtime';

interface CodegenOptions {
  readonly out: string;
  readonly runtime: string;
  readonly importExtension: string;
  readonly check?: boolean;
}

const EXTENSIONS = { '.js': '.js', js: '.js', '.ts': '.ts', ts: '.ts', none: '' } as const;

function extensionOf(value: string): '.js' | '.ts' | '' {
  const extension = (EXTENSIONS as Readonly<Record<string, '.js' | '.ts' | ''>>)[value];
  if (extension === undefined) throw new CliError(`--import-extension must be js, ts or none, not "${value}"`);
  return extension;
}

async function run(schemaPath: string, options: CodegenOptions, context: CliContext): Promise<void> {
  const importExtension = extensionOf(options.importExtension);
  let xml: string;
  try {
    xml = readFileSync(schemaPath, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${schemaPath}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const { generateFromXml } = await import('../../../codecs/generator/generate.ts');
  const files = generateFromXml(xml, {
    schemaFile: basename(schemaPath),
    runtimePath: options.runtime,
    importExtension,
  });
  const outDir = resolve(options.out);
  if (options.check === true) {
    const stale = files.filter((f) => {
      const path = join(outDir, f.name);
      return !existsSync(path) || readFileSync(path, 'utf8') !== f.content;
    });
    if (stale.length > 0) {
      throw new CliError(
        `${stale.length} generated files differ in ${options.out}: ${stale.map((f) => f.name).join(', ')}`,
      );
    }
    context.stdout.write(`${files.length} files in ${options.out} are up to date\n`);
    return;
  }
  mkdirSync(outDir, { recursive: true });
  let written = 0;
  for (const f of files) {
    const path = join(outDir, f.name);
    if (existsSync(path) && readFileSync(path, 'utf8') === f.content) continue;
    writeFileSync(path, f.content);
    written++;
  }
  const names = new Set(files.map((f) => f.name));
  const others = readdirSync(outDir).filter((n) => n.endsWith('.ts') && !names.has(n));
  const note = others.length > 0 ? ` (${others.length} other .ts files left there: ${others.join(', ')})` : '';
  context.stdout.write(`${schemaPath} -> ${options.out}: ${files.length} files, ${written} written${note}\n`);
}

/** `aeron-ts codegen`. */
export const codegenCommand: CliCommand = {
  name: 'codegen',
  register(program, context) {
    program
      .command('codegen')
      .description('generate TypeScript SBE codecs (flyweights and flat encode/decode) from your SBE schema XML')
      .argument('<schema>', 'SBE 1.0 message schema (XML)')
      .requiredOption('-o, --out <dir>', 'folder for the generated .ts files (created if missing)')
      .option('--runtime <module>', 'module the generated files import the codec runtime from', DEFAULT_RUNTIME)
      .option('--import-extension <ext>', 'js, ts or none: extension of imports between generated files', 'js')
      .option('--check', 'write nothing; fail naming each generated file that is missing or differs')
      .addHelpText(
        'after',
        [
          '',
          'One <Message>Encoder/<Message>Decoder flyweight pair per message, <Message>Flat.ts (encode<Message>,',
          'decode<Message>, create<Message>Values), enums, sets, composites, schema-meta.ts and index.ts.',
          'Output is deterministic; files the generator did not write are left alone.',
          '',
          'Examples:',
          '  $ aeron-ts codegen schema/trading.xml --out src/codecs',
          '  $ aeron-ts codegen schema/trading.xml --out src/codecs --import-extension ts   # Node type stripping',
          '  $ aeron-ts codegen schema/trading.xml --out src/codecs --check                 # in CI',
        ].join('\n'),
      )
      .action((schema: string, options: CodegenOptions, _command: Command) => run(schema, options, context));
  },
};
