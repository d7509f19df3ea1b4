/**
 * `npm run bench [-- [--quick] [--reps N] [--list] [case ...]]`
 *
 * Runs every case (or the named ones; a name also selects the cases it prefixes, so `codec` runs all
 * codec cases), TS and Java sides alternating, prints a table and writes `bench/results/latest.json`.
 * `--quick` runs each case briefly (the whole suite in well under 3 minutes). See bench/README.md.
 */
import { fileURLToPath } from 'node:url';
import { AERON_VERSION, interopGate } from '../test/support/aeron-jars.ts';
import { ALL_CASES } from './cases/index.ts';
import type { BenchCase } from './lib/bench-case.ts';
import { machineInfo } from './lib/machine.ts';
import { type CaseResult, formatTable, writeReport } from './lib/report.ts';
import { runCase } from './lib/runner.ts';

const RESULTS_PATH = fileURLToPath(new URL('./results/latest.json', import.meta.url));

interface Cli {
  readonly quick: boolean;
  readonly reps?: number;
  readonly list: boolean;
  readonly names: readonly string[];
}

function parseArgs(argv: readonly string[]): Cli {
  let quick = false;
  let list = false;
  let reps: number | undefined;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--list') list = true;
    else if (arg === '--reps') {
      reps = Number(argv[++i]);
      if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps needs a positive integer');
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else names.push(arg);
  }
  return reps === undefined ? { quick, list, names } : { quick, list, names, reps };
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

  const results: CaseResult[] = [];
  for (const benchCase of cases) {
    log(`${benchCase.name}: ${benchCase.description}`);
    const settings = cli.reps === undefined ? { quick: cli.quick, log } : { quick: cli.quick, log, reps: cli.reps };
    results.push(await runCase(benchCase, settings));
  }

  writeReport(RESULTS_PATH, {
    machine,
    aeron: AERON_VERSION,
    mode: cli.quick ? 'quick' : 'full',
    startedAt,
    cases: results,
  });
  process.stdout.write(
    `\n${formatTable(results)}\n\nTS/Java > 1 is better for TS on "higher" metrics. Written ${RESULTS_PATH}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
