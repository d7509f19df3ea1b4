/**
 * Bookkeeping for the Java processes tests start, so that none outlives its test file.
 *
 * Every tracked process is stopped by PID, never by name. When the Node process exits (normally or
 * on SIGINT/SIGTERM/SIGHUP) the remaining ones are SIGKILLed and their directories removed
 * synchronously, the only work an 'exit' handler can do. `assertNoLeftovers()` lets a suite prove,
 * after each case, that nothing it started is still alive and no directory it made remains.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createdDirs, removeDir } from './temp-dir.ts';

export interface TrackedProcess {
  readonly pid: number;
  readonly name: string;
  /** Directories to remove once the process is gone. */
  readonly dirs: readonly string[];
}

const live = new Map<number, TrackedProcess>();
let hooksInstalled = false;

/** True while a process with this pid exists (signal 0 probe; EPERM still means it exists). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends a signal by pid; false when the process is already gone. */
export function signalPid(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

function killAllSync(): void {
  for (const tracked of live.values()) {
    signalPid(tracked.pid, 'SIGKILL');
    for (const dir of tracked.dirs) {
      try {
        removeDir(dir);
      } catch {
        // Best effort on the way out.
      }
    }
  }
  live.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllSync();
      // The listener was removed by once(): re-raise so the default action (exit) happens.
      process.kill(process.pid, signal);
    });
  }
}

/** Starts tracking a process; its dirs are removed by the exit hook if it is never untracked. */
export function track(tracked: TrackedProcess): void {
  installHooks();
  live.set(tracked.pid, tracked);
}

/** Stops tracking a process (after it has been stopped and its directories removed). */
export function untrack(pid: number): void {
  live.delete(pid);
}

/** Processes started by this Node process that are still tracked. */
export function trackedProcesses(): readonly TrackedProcess[] {
  return [...live.values()];
}

/**
 * Throws when a process started through the harness is still alive or still tracked, or a directory
 * made through `temp-dir.ts` still exists. Use in `afterEach` of suites that start drivers.
 */
export function assertNoLeftovers(): void {
  const problems: string[] = [];
  for (const tracked of live.values()) {
    problems.push(`${tracked.name} pid ${tracked.pid} was not stopped (alive: ${isAlive(tracked.pid)})`);
  }
  for (const dir of createdDirs()) {
    if (existsSync(dir)) problems.push(`directory ${dir} was not removed`);
    else removeDir(dir);
  }
  if (problems.length > 0) throw new Error(`test leftovers:\n  ${problems.join('\n  ')}`);
}

/**
 * True when every thread of `pid` is stopped (Linux /proc). `kill(pid, 'SIGSTOP')` returns before a thread
 * spinning on another core has stopped, so a test that must not be answered waits for this first.
 */
export function allThreadsStopped(pid: number): boolean {
  return readdirSync(`/proc/${pid}/task`).every((task) => {
    const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
    const state = stat.charAt(stat.lastIndexOf(')') + 2);
    return state === 'T' || state === 't';
  });
}
