/**
 * What a media driver does while `rtt-ipc-32` runs through it, in COUNTS rather than times (the figures that stay
 * meaningful on 2 shared cores): a bench driver (the Java one, or the TS one with `AERON_TEST_DRIVER=ts`), one long
 * ping-pong through it (TS clients in this process: ping on this thread, pong in a worker; or Java clients:
 * `DataPathBench pingpong`; or `ts-ipc`: `ipc-excl-32`'s TS measurement instead of the ping-pong), and `perf stat --per-thread` over a window in the middle of it, on the driver process
 * and on the clients' process: system calls (all, futex, sched_yield, nanosleep), context switches, CPU
 * migrations and CPU time (task-clock, µs; user and system ms from /proc) per second, and CPU µs per context switch (the time a wake-up holds a core), for every thread that did anything, and the round trip's percentiles (a cross-check only).
 *
 * ```bash
 * [AERON_TEST_DRIVER=ts] node --import tsx bench/micro/rtt-driver-probe.ts [ts|java|ts-ipc] [window s = 5]
 * ```
 *
 * Needs `perf` with the syscalls tracepoints (root here). Prints one JSON line per process measured, then the
 * round trip's sample. `PROBE_STRACE=<file>`: first `strace -f -T` the driver's futex/yield/sleep calls into
 * `<file>` for a window (the park durations), then the perf window.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measurePingPong, measureThroughput } from '../cases/data-path-measure.ts';
import { startBenchMediaDriver } from '../lib/bench-driver.ts';
import { compileBenchJava, runBenchJava } from '../lib/bench-java.ts';

const [clients = 'ts', windowArg = '5'] = process.argv.slice(2);
const WINDOW_S = Number(windowArg);
const LEAD_S = 1.5;
const MESSAGES = 15_000_000;
/** USER_HZ is 100 on Linux: a clock tick of /proc stat is 10 ms. */
const TICK_MS = 10;
const EVENTS = [
  'raw_syscalls:sys_enter',
  'syscalls:sys_enter_futex',
  'syscalls:sys_enter_sched_yield',
  'syscalls:sys_enter_nanosleep',
  'syscalls:sys_enter_clock_nanosleep',
  'context-switches',
  'cpu-migrations',
  'task-clock',
];

/** `perf stat --per-thread` on the process found by `pidExpression` (a shell expression), after LEAD_S. */
function perfStat(label: string, pidExpression: string, dir: string): Promise<string> {
  const out = join(dir, `${label}.csv`);
  const trace = process.env.PROBE_STRACE;
  const tool =
    trace !== undefined && label === 'driver'
      ? `timeout ${WINDOW_S} strace -f -T -e trace=futex,sched_yield,nanosleep,clock_nanosleep -o ${trace} -p "$P"; `
      : '';
  // utime and stime (clock ticks) of every thread: fields 14 and 15 of /proc/<pid>/task/<tid>/stat, counted
  // after the ") " that ends the command name (which may hold spaces)
  const snapshot = (file: string): string =>
    `for t in /proc/$P/task/*; do s=$(cat $t/stat 2>/dev/null) || continue; s=\${s##*) }; ` +
    `set -- $s; echo "\${t##*/} \${12} \${13}"; done > ${file}; `;
  const script =
    `sleep ${LEAD_S}; P=${pidExpression}; ${tool}${snapshot(`${out}.t0`)}` +
    `perf stat -x, --per-thread -e ${EVENTS.join(',')} -o ${out} -p "$P" -- sleep ${WINDOW_S} 2>/dev/null; ` +
    `${snapshot(`${out}.t1`)}echo "$P"`;
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let pid = '';
    child.stdout.on('data', (d: Buffer) => {
      pid += d.toString();
    });
    child.on('error', reject);
    child.on('exit', () => resolve(summarise(label, pid.trim(), out)));
  });
}

/** Per-second counts by thread (threads with any context switch or system call), plus the process's totals. */
function summarise(label: string, pid: string, csv: string): string {
  const perThread = new Map<string, Record<string, number>>();
  const total: Record<string, number> = {};
  let text = '';
  try {
    text = readFileSync(csv, 'utf8');
  } catch {
    return JSON.stringify({ label, pid, error: 'no perf output' });
  }
  for (const line of text.split('\n')) {
    const fields = line.split(',');
    if (fields.length < 4 || line.startsWith('#')) continue;
    const thread = fields[0]!;
    const value = Number(fields[1]);
    const event = fields[3]!.replace('syscalls:sys_enter_', '').replace('raw_syscalls:sys_enter', 'syscalls');
    if (!Number.isFinite(value)) continue;
    // task-clock comes in ms: kept as µs of CPU per second
    const perSecond = Math.round((event === 'task-clock' ? value * 1000 : value) / WINDOW_S);
    const row = perThread.get(thread) ?? {};
    row[event] = perSecond;
    perThread.set(thread, row);
    total[event] = (total[event] ?? 0) + perSecond;
  }
  const ticks = (file: string): Map<string, [number, number]> => {
    const map = new Map<string, [number, number]>();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [tid, user, system] = line.split(' ');
      if (tid !== undefined && user !== undefined) map.set(tid, [Number(user), Number(system)]);
    }
    return map;
  };
  const before = ticks(`${csv}.t0`);
  for (const [tid, [user, system]] of ticks(`${csv}.t1`)) {
    const [user0, system0] = before.get(tid) ?? [0, 0];
    const row = [...perThread].find(([name]) => name.endsWith(`-${tid}`))?.[1];
    if (row === undefined) continue;
    row['user ms/s'] = Math.round(((user - user0) * TICK_MS) / WINDOW_S);
    row['system ms/s'] = Math.round(((system - system0) * TICK_MS) / WINDOW_S);
  }
  const busy = [...perThread].filter(([, r]) => (r.syscalls ?? 0) + (r['context-switches'] ?? 0) > 0);
  for (const [, row] of busy) {
    const switches = row['context-switches'] ?? 0;
    if (switches > 0) row['cpu µs per switch'] = Math.round(((row['task-clock'] ?? 0) / switches) * 10) / 10;
  }
  return JSON.stringify({ label, pid, perSecond: total, threads: Object.fromEntries(busy) });
}

const dir = mkdtempSync(join(tmpdir(), 'rtt-probe-'));
const driver = await startBenchMediaDriver();
try {
  const driverProbe = perfStat('driver', String(driver.pid), dir);
  const maxMs = (LEAD_S + WINDOW_S * (process.env.PROBE_STRACE ? 2 : 1) + 1.5) * 1000;
  let sample: unknown;
  let clientProbe: Promise<string>;
  if (clients === 'java') {
    clientProbe = perfStat('clients', `$(pgrep -P ${process.pid} -f DataPathBench)`, dir);
    const classpath = compileBenchJava(['DataPathBench.java']);
    sample = await runBenchJava({
      classpath,
      mainClass: 'DataPathBench',
      args: [
        'pingpong',
        driver.aeronDir,
        'aeron:ipc',
        '1001',
        'aeron:ipc',
        '1002',
        '32',
        '100000',
        String(MESSAGES),
      ].concat(String(maxMs)),
      timeoutMs: 120_000,
    });
  } else if (clients === 'ts-ipc') {
    clientProbe = perfStat('clients', String(process.pid), dir);
    sample = await measureThroughput({
      aeronDir: driver.aeronDir,
      channel: 'aeron:ipc',
      streamId: 1001,
      exclusive: true,
      messageLength: 32,
      warmupMs: 1000,
      measureMs: maxMs - 1000,
    });
  } else {
    clientProbe = perfStat('clients', String(process.pid), dir);
    sample = await measurePingPong({
      aeronDir: driver.aeronDir,
      pingChannel: 'aeron:ipc',
      pingStreamId: 1001,
      pongChannel: 'aeron:ipc',
      pongStreamId: 1002,
      messageLength: 32,
      warmupMessages: 100_000,
      messages: MESSAGES,
      maxMs,
    });
  }
  process.stdout.write(`${await driverProbe}\n${await clientProbe}\n${JSON.stringify(sample)}\n`);
} finally {
  await driver.stop();
  rmSync(dir, { recursive: true, force: true });
}
