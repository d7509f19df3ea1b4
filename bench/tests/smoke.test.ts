/**
 * Smoke test of the benchmark harness, so `npm run bench` cannot rot: runs `bench/run.ts` end to end (CLI,
 * runner, TS child processes, Java programs compiled against the pinned jar, a real Java media driver, the
 * report and the percentile plot) on two tiny cases, one repetition each with 200 ms / 300 ms windows,
 * writing to a temp directory instead of bench/results/. Asserts the JSON's shape, never the figures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { AERON_VERSION, interopGate, PROJECT_ROOT } from '../../harness/aeron-jars.ts';

const gate = interopGate(['aeron']);
const RUN_TIMEOUT_MS = 240_000;
const CASES = ['codec-roundtrip-bytes', 'rtt-ipc-32'];

interface RunOutcome {
  readonly code: number | null;
  readonly output: string;
}

function runBench(args: readonly string[], timeoutMs: number): Promise<RunOutcome> {
  return new Promise((resolvePromise, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => chunks.push(d));
    child.stderr?.on('data', (d: Buffer) => chunks.push(d));
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    // SIGTERM first: the run's own process tracker then stops the Java driver it started.
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 15_000);
      reject(new Error(`bench run passed ${timeoutMs} ms:\n${Buffer.concat(chunks).toString().slice(-4000)}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (killTimer !== undefined) clearTimeout(killTimer);
      resolvePromise({ code, output: Buffer.concat(chunks).toString() });
    });
  });
}

/** mtime of the committed bench/results/latest.json (null when absent): the smoke run must not touch it. */
function latestMtime(): number | null {
  const path = join(PROJECT_ROOT, 'bench', 'results', 'latest.json');
  return existsSync(path) ? statSync(path).mtimeMs : null;
}

function isNumberOrNull(v: unknown): boolean {
  return v === null || (typeof v === 'number' && Number.isFinite(v));
}

describe('npm run bench (smoke: two tiny cases through the real harness)', () => {
  if (gate.mode === 'fail') {
    it('has Java and the pinned Aeron jar', () => {
      throw new Error(gate.missing);
    });
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'aeron-ts-test-bench-smoke-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(gate.mode === 'skip')(
    'writes { machine, aeron, cases: [{ name, metric, unit, ts, java, ratio, higherIsBetter }] } and the RTT plot',
    async () => {
      const latestBefore = latestMtime();
      const out = join(dir, 'latest.json');
      const args = ['--quick', '--reps', '1', '--warmup-ms', '200', '--measure-ms', '300', '--out', out, ...CASES];
      const run = await runBench(args, RUN_TIMEOUT_MS);
      expect(run.code, run.output.slice(-4000)).toBe(0);

      const report = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
      expect(report.aeron).toBe(AERON_VERSION);
      expect(report.machine).toMatchObject({ cores: expect.any(Number), node: expect.any(String) });
      const cases = report.cases as Array<Record<string, unknown>>;
      expect(cases.map((c) => c.name)).toEqual(CASES);
      for (const c of cases) {
        expect(typeof c.metric).toBe('string');
        expect(typeof c.unit).toBe('string');
        expect(typeof c.higherIsBetter).toBe('boolean');
        expect(typeof c.ts).toBe('number');
        expect(c.ts as number).toBeGreaterThan(0);
        expect(isNumberOrNull(c.java)).toBe(true);
        expect(isNumberOrNull(c.ratio)).toBe(true);
        expect(c.reps).toBe(1);
      }
      const codec = cases[0]!;
      expect(codec.higherIsBetter).toBe(true);
      expect(codec.ratio).toBeCloseTo((codec.ts as number) / (codec.java as number), 9);
      expect(codec.plot).toBeUndefined();

      const rtt = cases[1]!;
      expect(rtt.higherIsBetter).toBe(false);
      expect(rtt.plot).toBe('rtt-ipc-32-percentiles.png');
      const percentiles = rtt.percentiles as { ts: Array<{ percentile: number; us: number }>; java: unknown };
      expect(percentiles.ts.map((p) => p.percentile).slice(0, 3)).toEqual([50, 75, 90]);
      expect(Array.isArray(percentiles.java)).toBe(true);
      const png = readFileSync(join(dir, 'rtt-ipc-32-percentiles.png'));
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      const idatLength = png.readUInt32BE(33);
      expect(png.toString('ascii', 37, 41)).toBe('IDAT');
      expect(inflateSync(png.subarray(41, 41 + idatLength)).length).toBe((960 * 3 + 1) * 600);
      expect(latestMtime()).toBe(latestBefore);
    },
    RUN_TIMEOUT_MS + 30_000,
  );
});
