/**
 * Resource bookkeeping for reliability cases: what a case mapped, spawned or created must be gone after it.
 *
 * - mappings: lines of `/proc/self/maps` naming a tracked file (a closed `MappedFile` swaps in an anonymous
 *   placeholder, so a released mapping no longer names its file);
 * - child processes: tracked PIDs must no longer exist (signal-0 probe);
 * - directories: tracked paths must no longer exist;
 * - timers: no more active `Timeout` handles than when the tracker was made.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

  /** How many live mappings name `path` right now. */
  mappings(path: string): number {
    return mappingCount(path);
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
