/**
 * `npm run fuzz`: every fuzz target (test/fuzz/targets.ts) for at least 1,000,000 inputs each, on worker
 * threads with a hang watchdog. Prints one line per target and a summary; exits 1 on any failure.
 *
 *   npm run fuzz -- [--runs N] [--target NAME|PREFIX]... [--seed S] [--path P] [--workers W] [--stall-ms MS] [--list]
 *
 * `--target` takes an exact name or a prefix ending in ':' or '*' (e.g. `archive:`, `transport:*`).
 */
import { cpus } from 'node:os';
import { formatFailure, formatResult, runFuzz } from './runner.ts';
import { targetNames } from './targets.ts';

interface Args {
  runs: number;
  targets: string[];
  seed: number;
  path: string | undefined;
  workers: number;
  stallMs: number;
  list: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    runs: 1_000_000,
    targets: [],
    seed: (Date.now() ^ (process.pid << 8)) | 0,
    path: undefined,
    workers: Math.max(1, Math.min(2, cpus().length)),
    stallMs: 30_000,
    list: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--runs') args.runs = Number(value());
    else if (flag === '--target') args.targets.push(value());
    else if (flag === '--seed') args.seed = Number(value()) | 0;
    else if (flag === '--path') args.path = value();
    else if (flag === '--workers') args.workers = Number(value());
    else if (flag === '--stall-ms') args.stallMs = Number(value());
    else if (flag === '--list') args.list = true;
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error(`--runs must be a positive integer`);
  return args;
}

function select(all: readonly string[], patterns: readonly string[]): string[] {
  if (patterns.length === 0) return [...all];
  const chosen = all.filter((name) =>
    patterns.some((p) =>
      p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : p.endsWith(':') ? name.startsWith(p) : name === p,
    ),
  );
  if (chosen.length === 0) throw new Error(`no target matches ${patterns.join(', ')}`);
  return chosen;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const names = select(targetNames(), args.targets);
  if (args.list) {
    for (const n of names) console.log(n);
    return 0;
  }
  console.log(
    `fuzz: ${names.length} targets x ${args.runs} inputs, seed ${args.seed}${args.path === undefined ? '' : `, path ${args.path}`}, ${args.workers} workers`,
  );
  const started = performance.now();
  const results = await runFuzz({
    names,
    runs: args.runs,
    seed: args.seed,
    path: args.path,
    workers: args.workers,
    stallMs: args.stallMs,
    onResult: (r) => console.log(formatResult(r)),
  });
  const failures = results.filter((r) => r.failure !== null);
  for (const f of failures) console.log(formatFailure(f));
  const total = results.reduce((a, r) => a + r.runs, 0);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `fuzz summary: ${results.length} targets, ${total} inputs, ${failures.length} failed, ${seconds.toFixed(1)} s, seed ${args.seed}`,
  );
  return failures.length === 0 && results.length === names.length ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 2;
  },
);
