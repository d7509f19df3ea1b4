/**
 * Resource bookkeeping for reliability cases: what a case mapped, spawned or created must be gone after it.
 *
 * - mappings: lines of `/proc/self/maps` naming a tracked file (a closed `MappedFile` swaps in an anonymous
 *   placeholder, so a released mapping no longer names its file);
 * - child processes: tracked PIDs must no longer exist (signal-0 probe);
 * - directories: tracked paths must no longer exist;
 * - timers: no more active `Timeout` handles than when the tracker was made.
 *
 * `SharedDriverCase` is the per-case check of files whose drivers (and Aeron client) live for the whole file,
 * where `assertNoLeftovers()` can only run after the file: no file under the drivers' dirs mapped that was not
 * mapped before the case, no process or harness directory started by the case still tracked, no timer left.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DriverHandle, startMediaDriver } from '../../../harness/driver.ts';
import { trackedProcesses } from '../../../harness/processes.ts';
import { createdDirs, TEST_DIR_PREFIX } from '../../../harness/temp-dir.ts';

function mappingCount(path: string): number {
  if (!existsSync('/proc/self/maps')) return 0;
  return readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((line) => line.endsWith(` ${path}`) || line.endsWith(` ${path} (deleted)`)).length;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

export class ResourceTracker {
  readonly #files = new Set<string>();
  readonly #pids = new Set<number>();
  readonly #dirs = new Set<string>();
  readonly #timersAtStart = activeTimers();
  readonly #drivers: DriverHandle[] = [];

  /** A fresh temp directory, removed by `release()`. */
  makeDir(role: string): string {
    const dir = mkdtempSync(join(tmpdir(), `aeron-ts-reliability-${process.pid}-${role}-`));
    this.#dirs.add(dir);
    return dir;
  }

  trackFile(path: string): string {
    this.#files.add(path);
    return path;
  }

  trackPid(pid: number): number {
    this.#pids.add(pid);
    return pid;
  }

  /** Starts a media driver whose process and cnc.dat this tracker follows; `stopDrivers()` stops it. */
  async startDriver(properties: Record<string, string> = {}): Promise<DriverHandle> {
    const driver = await startMediaDriver({ properties });
    this.#drivers.push(driver);
    this.trackPid(driver.pid);
    this.trackFile(join(driver.aeronDir, 'cnc.dat'));
    return driver;
  }

  /** Stops every driver `startDriver` started (before `settleTimers()` and `release()`). */
  async stopDrivers(): Promise<void> {
    for (const driver of this.#drivers.splice(0)) await driver.stop();
  }

  /** How many live mappings name `path` right now. */
  mappings(path: string): number {
    return mappingCount(path);
  }

  /**
   * Waits (bounded) until no more timers are active than at the start. Vitest's worker arms its own timers
   * while an RPC to the main process is outstanding (seen under load: one extra Timeout after a case that made
   * none), so the count is given `timeoutMs` to come back; a leaked interval or long timer still fails `release()`.
   */
  async settleTimers(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // the sleep's own timer has fired (and is no longer active) whenever the count is read
    while (activeTimers() > this.#timersAtStart && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  /** Lists what is still held (mappings are checked BEFORE directories are removed). */
  leftovers(): string[] {
    const problems: string[] = [];
    for (const file of this.#files) {
      const n = mappingCount(file);
      if (n > 0) problems.push(`${file} is still mapped (${n} mappings)`);
    }
    for (const pid of this.#pids) if (alive(pid)) problems.push(`child pid ${pid} is still alive`);
    const timers = activeTimers();
    if (timers > this.#timersAtStart) problems.push(`${timers - this.#timersAtStart} timer(s) left active`);
    return problems;
  }

  /**
   * Removes the tracked directories, then throws if any mapping, child process, timer or directory was
   * left. Children still alive are SIGKILLed by PID first (and still reported).
   */
  release(): void {
    const problems = this.leftovers();
    for (const pid of this.#pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    for (const dir of this.#dirs) {
      rmSync(dir, { recursive: true, force: true });
      if (existsSync(dir)) problems.push(`directory ${dir} was not removed`);
    }
    this.#files.clear();
    this.#pids.clear();
    this.#dirs.clear();
    if (problems.length > 0) throw new Error(`resources left after the case:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Distinct files `/proc/self/maps` names under one of `dirs` or under any harness directory of this process
 * (`temp-dir.ts`: `<base>/aeron-ts-test-<pid>-…`). A closed mapping no longer names its file.
 */
function mappedUnder(dirs: readonly string[]): Set<string> {
  const files = new Set<string>();
  if (!existsSync('/proc/self/maps')) return files;
  const harness = `/${TEST_DIR_PREFIX}${process.pid}-`;
  for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const at = line.indexOf(' /');
    if (at < 0) continue;
    const path = line.slice(at + 1).replace(/ \(deleted\)$/, '');
    if (path.includes(harness) || dirs.some((dir) => path.startsWith(`${dir}/`))) files.add(path);
  }
  return files;
}

/**
 * Per-case resource check for a file whose drivers outlive the case: made in `beforeEach`, `release()` in
 * `afterEach`. It waits (bounded) for the client's resource linger (3 s) to unmap what the case closed.
 */
export class SharedDriverCase {
  readonly tracker = new ResourceTracker();
  readonly #dirs: readonly string[];
  readonly #mappedAtStart: Set<string>;
  readonly #pidsAtStart = new Set(trackedProcesses().map((p) => p.pid));
  readonly #dirsAtStart = new Set(createdDirs());

  /** `dirs`: aeron dirs made outside `temp-dir.ts` (those made through it are always watched). */
  constructor(dirs: readonly string[] = []) {
    this.#dirs = dirs;
    this.#mappedAtStart = mappedUnder(dirs);
  }

  /** Files under the dirs mapped now that were not mapped when the case began. */
  newMappings(): string[] {
    return [...mappedUnder(this.#dirs)].filter((f) => !this.#mappedAtStart.has(f));
  }

  async release(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.newMappings().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const problems = this.newMappings().map((f) => `${f} is still mapped`);
    for (const p of trackedProcesses()) {
      if (!this.#pidsAtStart.has(p.pid)) problems.push(`${p.name} pid ${p.pid} started by the case is still tracked`);
    }
    for (const dir of createdDirs()) {
      if (!this.#dirsAtStart.has(dir) && existsSync(dir)) problems.push(`directory ${dir} was not removed`);
    }
    await this.tracker.settleTimers();
    try {
      this.tracker.release();
    } catch (e) {
      problems.push(String(e));
    }
    if (problems.length > 0) throw new Error(`resources left after the case:\n  ${problems.join('\n  ')}`);
  }
}
