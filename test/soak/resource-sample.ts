/**
 * What the soak measures about its own process every report: memory after a full GC, active handles by
 * kind, memory mappings (all, and those of files under the soak driver's Aeron directory, i.e. the CnC
 * file and log buffers), open file descriptors, and the driver's allocated counters.
 *
 * GC: `global.gc` when the process runs with `--expose-gc`; otherwise the flag is set at run time and the
 * function taken from a fresh V8 context (`v8.setFlagsFromString('--expose-gc')` + `vm.runInNewContext('gc')`,
 * the way jest's leak detector does it), so `npm run soak` and vitest both measure post-GC heaps without a
 * re-spawn. `gc: false` in a sample means neither worked and the numbers include garbage.
 *
 * Closed log buffers stay mapped as anonymous placeholders until their `ArrayBuffer` is collected (see
 * `src/transport/mapped-file.ts`): `collectGarbage()` runs two full GCs and yields twice so the
 * `FinalizationRegistry` callbacks that unmap them have run before mappings are counted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setImmediate as yieldImmediate } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Aeron } from '../../src/client/index.ts';

export interface ResourceSample {
  /** Milliseconds since the soak started. */
  readonly elapsedMs: number;
  /** True when the numbers were taken after a full GC. */
  readonly gc: boolean;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly rss: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** `process.getActiveResourcesInfo().length`. */
  readonly handles: number;
  readonly handlesByKind: Readonly<Record<string, number>>;
  /** `/proc/self/maps` lines of files under the Aeron directory (CnC, log buffers); -1 off Linux. */
  readonly aeronMappings: number;
  /** All `/proc/self/maps` lines; -1 off Linux. */
  readonly mappings: number;
  /** Entries of `/proc/self/fd`; -1 off Linux. */
  readonly fds: number;
  /** Allocated counters in the driver's CnC (driver, archive and client counters). */
  readonly counters: number;
  /** The driver's Errors system counter (distinct errors it logged). */
  readonly driverErrors: number;
  /** The archive's error count counter. */
  readonly archiveErrors: number;
  /** The archive's control sessions counter. */
  readonly controlSessions: number;
}

/** Counter facts read from the CnC (see `readCounterStats`). */
export interface CounterStats {
  readonly counters: number;
  readonly driverErrors: number;
  readonly archiveErrors: number;
  readonly controlSessions: number;
}

/** Type ids and the system counter id, from Aeron 1.51.0 `AeronCounters`. */
const DRIVER_SYSTEM_COUNTER_TYPE_ID = 0;
const SYSTEM_COUNTER_ID_ERRORS = 15;
const ARCHIVE_ERROR_COUNT_TYPE_ID = 101;
const ARCHIVE_CONTROL_SESSIONS_TYPE_ID = 102;

/**
 * Allocated counters, and the values of the driver's Errors system counter (type 0, key = system counter id
 * 15), the archive's error count (type 101) and control sessions (type 102) counters.
 */
export function readCounterStats(aeron: Aeron): CounterStats {
  let counters = 0;
  let driverErrors = 0;
  let archiveErrors = 0;
  let controlSessions = 0;
  const reader = aeron.countersReader;
  aeron.forEachCounter((counterId, typeId, key) => {
    counters++;
    if (typeId === DRIVER_SYSTEM_COUNTER_TYPE_ID && key.getInt32(0) === SYSTEM_COUNTER_ID_ERRORS) {
      driverErrors += reader.getCounterValue(counterId);
    } else if (typeId === ARCHIVE_ERROR_COUNT_TYPE_ID) {
      archiveErrors += reader.getCounterValue(counterId);
    } else if (typeId === ARCHIVE_CONTROL_SESSIONS_TYPE_ID) {
      controlSessions += reader.getCounterValue(counterId);
    }
  });
  return { counters, driverErrors, archiveErrors, controlSessions };
}

type GcFunction = () => void;

let gcFunction: GcFunction | null | undefined;

/** The GC function (see the module comment), or null when it can not be had. */
export function gcFunctionOrNull(): GcFunction | null {
  if (gcFunction !== undefined) return gcFunction;
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') {
    gcFunction = exposed as GcFunction;
    return gcFunction;
  }
  try {
    setFlagsFromString('--expose-gc');
    const fresh: unknown = runInNewContext('gc');
    gcFunction = typeof fresh === 'function' ? (fresh as GcFunction) : null;
  } catch {
    gcFunction = null;
  }
  return gcFunction;
}

/** Full GCs, with turns of the event loop for finalizers in between; false when no GC is available. */
export async function collectGarbage(): Promise<boolean> {
  const gc = gcFunctionOrNull();
  if (gc === null) return false;
  for (let i = 0; i < 2; i++) {
    gc();
    await yieldImmediate();
    await yieldImmediate();
  }
  return true;
}

/** Lines of `/proc/self/maps`, all and those naming a file under `dir`. */
export function countMappings(dir: string): { all: number; under: number } {
  let text: string;
  try {
    text = readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return { all: -1, under: -1 };
  }
  let all = 0;
  let under = 0;
  const prefix = `${dir}/`;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    all++;
    if (line.includes(prefix)) under++;
  }
  return { all, under };
}

export function countOpenFds(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return -1;
  }
}

/** Active libuv handles/requests and timers, counted by kind. */
export function activeResources(): { total: number; byKind: Record<string, number> } {
  const byKind: Record<string, number> = {};
  const kinds = process.getActiveResourcesInfo();
  for (const kind of kinds) byKind[kind] = (byKind[kind] ?? 0) + 1;
  return { total: kinds.length, byKind };
}

/** Takes one sample now (call `collectGarbage()` first; `gc` says whether it ran). */
export function sampleResources(
  elapsedMs: number,
  gc: boolean,
  aeronDir: string,
  counters: CounterStats,
): ResourceSample {
  const memory = process.memoryUsage();
  const resources = activeResources();
  const maps = countMappings(aeronDir);
  return {
    elapsedMs,
    gc,
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    rss: memory.rss,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
    handles: resources.total,
    handlesByKind: resources.byKind,
    aeronMappings: maps.under,
    mappings: maps.all,
    fds: countOpenFds(),
    ...counters,
  };
}

export function mib(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

export function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** The resource part of a report line. */
export function formatSample(s: ResourceSample): string {
  const kinds = Object.entries(s.handlesByKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}:${n}`)
    .join(',');
  return (
    `heap ${mib(s.heapUsed)}/${mib(s.heapTotal)} MiB rss ${mib(s.rss)} ext ${mib(s.external)} ab ${mib(s.arrayBuffers)}` +
    `${s.gc ? ' (after gc)' : ' (no gc)'} | handles ${s.handles} {${kinds}} | maps aeron ${s.aeronMappings} all ${s.mappings}` +
    ` | fds ${s.fds} | counters ${s.counters} | errors driver ${s.driverErrors} archive ${s.archiveErrors}` +
    ` | control sessions ${s.controlSessions}`
  );
}
