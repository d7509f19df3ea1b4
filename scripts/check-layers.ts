/**
 * Fails (exit 1) on an import that goes against the project's layer order, and on an import cycle in `src/`.
 *
 * ```
 *   src/cli ─────────────────────────────────────────────┐  the command-line tool: may use every layer
 *   src/archive-server ── the archive server: the archive client's codecs, the Aeron client, and the media
 *                         driver (ArchivingMediaDriver starts one; the driver never imports the server)
 *   src/archive ──── the archive client                  │
 *   src/client  ──── the Aeron client   src/driver ──── the media driver (never the client or the archive)
 *   src/logbuffer ── log buffers, frames, appenders, readers
 *   src/transport ── mapped files, atomic buffers, ring/broadcast buffers, counters
 *   codecs ───────── generated SBE codecs and their runtime: imports nothing of src
 * ```
 *
 * Outside the library: nothing in `src/` or `codecs/` imports `test/`, `bench/`, `scripts/` or `examples/`;
 * `scripts/` and `examples/` use the library (and `scripts/` the shared `harness/`), never `test/` or `bench/`;
 * `test/` and `bench/` share `harness/` instead of importing each other.
 *
 * Imports are read with TypeScript's own pre-processor (static imports, re-exports, `import type`, and
 * `import()` with a literal), so what counts is exactly what the compiler follows. Run: `npm run check:layers`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** Layers by path prefix, most specific first. */
const LAYERS: ReadonlyArray<readonly [prefix: string, layer: string]> = [
  ['codecs/', 'codecs'],
  ['src/transport/', 'transport'],
  ['src/logbuffer/', 'logbuffer'],
  ['src/client/', 'client'],
  ['src/driver/', 'driver'],
  ['src/archive-server/', 'archive-server'],
  ['src/archive/', 'archive'],
  ['src/cli/', 'cli'],
  ['harness/', 'harness'],
  ['test/', 'test'],
  ['bench/', 'bench'],
  ['scripts/', 'scripts'],
  ['examples/', 'examples'],
];

const LIBRARY = ['codecs', 'transport', 'logbuffer', 'client', 'driver', 'archive', 'archive-server', 'cli'];

/** What each layer may import (itself included). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  codecs: ['codecs'],
  transport: ['transport', 'codecs'],
  logbuffer: ['logbuffer', 'transport', 'codecs'],
  client: ['client', 'logbuffer', 'transport', 'codecs'],
  driver: ['driver', 'logbuffer', 'transport', 'codecs'],
  archive: ['archive', 'client', 'logbuffer', 'transport', 'codecs'],
  'archive-server': ['archive-server', 'archive', 'client', 'driver', 'logbuffer', 'transport', 'codecs'],
  cli: LIBRARY,
  harness: [...LIBRARY, 'harness'],
  test: [...LIBRARY, 'harness', 'test'],
  bench: [...LIBRARY, 'harness', 'bench'],
  scripts: [...LIBRARY, 'harness', 'scripts'],
  examples: [...LIBRARY, 'examples'],
};

function layerOf(path: string): string | undefined {
  const rel = relative(ROOT, path).split(sep).join('/');
  return LAYERS.find(([prefix]) => rel.startsWith(prefix))?.[1];
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Relative imports of a file, resolved to absolute paths (bare specifiers are packages: not layers). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolve(dirname(file), spec));
}

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: string;
}

export function checkLayers(): { violations: Violation[]; cycles: string[][] } {
  const files = LAYERS.flatMap(([prefix]) => (prefix.endsWith('/') ? [prefix] : [])).flatMap((prefix) =>
    sourceFiles(join(ROOT, prefix)),
  );
  const unique = [...new Set(files)];
  const violations: Violation[] = [];
  const graph = new Map<string, string[]>();
  for (const file of unique) {
    const from = layerOf(file);
    if (from === undefined) continue;
    const targets = importsOf(file);
    graph.set(file, targets);
    for (const target of targets) {
      const to = layerOf(target);
      const rel = (p: string): string => relative(ROOT, p).split(sep).join('/');
      if (to === undefined) {
        violations.push({ from: rel(file), to: rel(target), rule: `${from} imports a file outside every layer` });
      } else if (!ALLOWED[from]!.includes(to)) {
        violations.push({ from: rel(file), to: rel(target), rule: `${from} may not import ${to}` });
      }
    }
  }
  return { violations, cycles: cyclesIn(graph, (f) => layerOf(f) !== undefined && LIBRARY.includes(layerOf(f)!)) };
}

/** Strongly connected components of more than one file (Tarjan), among the files `keep` selects. */
function cyclesIn(graph: Map<string, string[]>, keep: (file: string) => boolean): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      const target = resolveModule(w, graph);
      if (target === undefined || !keep(target)) continue;
      if (!indices.has(target)) {
        visit(target);
        low.set(v, Math.min(low.get(v)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(v, Math.min(low.get(v)!, indices.get(target)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(relative(ROOT, w));
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (keep(v) && !indices.has(v)) visit(v);
  return out;
}

/** An import specifier's file as the graph knows it (`.js` written for `.ts`, or the exact path). */
function resolveModule(path: string, graph: Map<string, string[]>): string | undefined {
  if (graph.has(path)) return path;
  const ts = path.replace(/\.js$/, '.ts');
  return graph.has(ts) ? ts : undefined;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const { violations, cycles } = checkLayers();
  for (const v of violations) console.error(`layers: ${v.from} -> ${v.to}: ${v.rule}`);
  for (const c of cycles) console.error(`layers: import cycle in the library: ${c.join(' <-> ')}`);
  if (violations.length > 0 || cycles.length > 0) {
    console.error(`layers: ${violations.length} import(s) against the layer order, ${cycles.length} cycle(s)`);
    process.exit(1);
  }
  console.log('layers: every import follows the layer order; no import cycle in the library');
}
