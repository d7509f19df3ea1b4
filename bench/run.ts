/**
 * `npm run bench [-- [--quick] [--reps N] [--out FILE] [--warmup-ms N --measure-ms N] [--list] [case ...]]`
 *
 * Runs every case (or the named ones; a name also selects the cases it prefixes, so `codec` runs all
 * codec cases), TS and Java sides alternating, prints a table and writes `bench/results/latest.json` (or
 * `--out FILE`); latency cases also write `<case>-percentiles.png` next to it.
 * `--quick` runs each case briefly (the whole suite in well under 3 minutes). `--warmup-ms`/`--measure-ms`
 * override every case's windows (the smoke test's tiny runs). `AERON_TEST_DRIVER=ts` runs the data-path and
 * archive cases through the TypeScript media driver instead of the Java one (the harness's switch). See
 * bench/README.md.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AERON_VERSION, interopGate } from '../harness/aeron-jars.ts';
import { driverKind } from '../harness/driver.ts';
import { ALL_CASES } from './cases/index.ts';
import type { BenchCase } from './lib/bench-case.ts';
import { machineInfo } from './lib/machine.ts';
import { type CaseResult, formatTable, withPercentilePlot, writeReport } from './lib/report.ts';
import { runCase } from './lib/runner.ts';

const RESULTS_PATH = fileURLToPath(new URL('./results/latest.json', import.meta.url));

interface Cli {
  readonly quick: boolean;
  readonly reps?: number;
  readonly list: boolean;
  readonly names: readonly string[];
  readonly out: string;
  readonly warmupMs?: number;
  readonly measureMs?: number;
}

function nonNegativeInteger(option: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${option} needs a non-negative integer`);
  return n;
}

function parseArgs(argv: readonly string[]): Cli {
  let quick = false;
  let list = false;
  let reps: number | undefined;
  let out = RESULTS_PATH;
  let warmupMs: number | undefined;
  let measureMs: number | undefined;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--list') list = true;
    else if (arg === '--reps') {
      reps = Number(argv[++i]);
      if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps needs a positive integer');
    } else if (arg === '--out') {
      const path = argv[++i];
      if (path === undefined || path === '') throw new Error('--out needs a file path');
      out = resolve(path);
    } else if (arg === '--warmup-ms') warmupMs = nonNegativeInteger(arg, argv[++i]);
    else if (arg === '--measure-ms') measureMs = nonNegativeInteger(arg, argv[++i]);
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else names.push(arg);
  }
  if ((warmupMs === undefined) !== (measureMs === undefined)) {
    throw new Error('--warmup-ms and --measure-ms go together');
  }
  return {
    quick,
    list,
    names,
    out,
    ...(reps === undefined ? {} : { reps }),
    ...(warmupMs === undefined || measureMs === undefined ? {} : { warmupMs, measureMs }),
  };
}

function select(names: readonly string[]): BenchCase[] {
  if (names.length === 0) return [...ALL_CASES];
  const chosen = ALL_CASES.filter((c) => names.some((n) => c.name === n || c.name.startsWith(`${n}-`)));
  const unknown = names.filter((n) => !ALL_CASES.some((c) => c.name === n || c.name.startsWith(`${n}-`)));
  if (unknown.length > 0) {
    throw new Error(`unknown case ${unknown.join(', ')}; cases: ${ALL_CASES.map((c) => c.name).join(', ')}`);
  }
  return chosen;
}

async function main(): Promise<void> {
  const cli = parseArgs(process.argv.slice(2));
  if (cli.list) {
    for (const c of ALL_CASES) process.stdout.write(`${c.name.padEnd(24)} ${c.description}\n`);
    return;
  }
  const cases = select(cli.names);
  const gate = interopGate(['aeron']);
  if (gate.mode !== 'run' && cases.some((c) => c.runJava !== null)) throw new Error(gate.missing);

  const machine = machineInfo();
  const startedAt = new Date().toISOString();
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  log(`bench ${cli.quick ? 'quick' : 'full'}: ${machine.cpu} x${machine.cores}, node ${machine.node}, ${machine.java}`);
  log(`load average at start: ${machine.loadAverage.join(' ')}`);
  const mediaDriver = driverKind();
  log(`media driver of the data-path and archive cases: ${mediaDriver.title} (AERON_TEST_DRIVER=${mediaDriver.name})`);

  const results: CaseResult[] = [];
  for (const benchCase of cases) {
    log(`${benchCase.name}: ${benchCase.description}`);
    const settings = {
      quick: cli.quick,
      log,
      ...(cli.reps === undefined ? {} : { reps: cli.reps }),
      ...(cli.warmupMs === undefined || cli.measureMs === undefined
        ? {}
        : { timing: { warmupMs: cli.warmupMs, measureMs: cli.measureMs } }),
    };
    const note = `${cli.quick ? 'quick' : 'full'} run ${startedAt.slice(0, 16)}Z, ${machine.cores} cores, load ${machine.loadAverage[0]?.toFixed(1)} at start`;
    const result = withPercentilePlot(await runCase(benchCase, settings), dirname(cli.out), note);
    if (result.plot !== undefined) log(`  plot: ${resolve(dirname(cli.out), result.plot)}`);
    results.push(result);
  }

  writeReport(cli.out, {
    machine,
    aeron: AERON_VERSION,
    mediaDriver: mediaDriver.name,
    mode: cli.quick ? 'quick' : 'full',
    startedAt,
    cases: results,
  });
  process.stdout.write(
    `\n${formatTable(results)}\n\nTS/Java > 1 is better for TS on "higher" metrics. Written ${cli.out}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
