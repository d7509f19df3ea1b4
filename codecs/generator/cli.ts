/**
 * aeron-ts SBE generator command line.
 *
 *   tsx codecs/generator/cli.ts --all            regenerate every schema in schemas.ts
 *   tsx codecs/generator/cli.ts --all --check    fail (exit 1) naming each file that differs from the output
 *   tsx codecs/generator/cli.ts <schema.xml> <outDir> [--check]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateEntry } from './generate.ts';
import { SCHEMAS, type SchemaEntry } from './schemas.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const positional = argv.filter((a) => !a.startsWith('--'));
  let entries: readonly SchemaEntry[];
  if (argv.includes('--all')) entries = SCHEMAS;
  else if (positional.length === 2) entries = [{ schema: positional[0]!, outDir: positional[1]! }];
  else {
    process.stderr.write('usage: cli.ts --all [--check] | cli.ts <schema.xml> <outDir> [--check]\n');
    return 2;
  }
  const problems: string[] = [];
  for (const entry of entries) {
    const files = generateEntry(ROOT, entry);
    const outDir = join(ROOT, entry.outDir);
    const existing = existsSync(outDir) ? readdirSync(outDir).map((f) => join(entry.outDir, f)) : [];
    if (check) {
      for (const [path, content] of files) {
        const full = join(ROOT, path);
        if (!existsSync(full)) problems.push(`missing: ${path}`);
        else if (readFileSync(full, 'utf8') !== content) problems.push(`differs: ${path}`);
      }
      for (const path of existing) if (!files.has(path)) problems.push(`not generated: ${path}`);
      continue;
    }
    mkdirSync(outDir, { recursive: true });
    for (const path of existing) if (!files.has(path)) rmSync(join(ROOT, path));
    for (const [path, content] of files) {
      const full = join(ROOT, path);
      if (!existsSync(full) || readFileSync(full, 'utf8') !== content) writeFileSync(full, content);
    }
    process.stdout.write(`${entry.schema} -> ${entry.outDir} (${files.size} files)\n`);
  }
  if (problems.length > 0) {
    process.stderr.write(`generated codecs are out of date (run: npm run codegen):\n  ${problems.join('\n  ')}\n`);
    return 1;
  }
  if (check) process.stdout.write('generated codecs are up to date\n');
  return 0;
}

process.exitCode = main(process.argv.slice(2));
