/**
 * The litmus test of `src/transport/memory-ordering.ts`: publishing writes emitted as plain stores on x86-64 must
 * still publish everything written before them to another process. Writer processes append frames of random sizes
 * into a real mapped log with the library's appenders (the exclusive one; the concurrent one with three writers at
 * once); a reader process checks every frame whose positive length it sees (header, payload byte by byte, each
 * writer's frames in order, none lost or twice) and samples each writer's 64-bit progress word (written with
 * `putInt64Release`, halves equal) for torn values. Each case runs with the platform's choice and again with
 * `AERON_TS_MEMORY_ORDERING=atomics`. See `fixtures/litmus.ts` for the frame format and the checks.
 *
 * `LITMUS_FRAMES` (default 300000 per case, 1.2 M frames in all) scales the run; the deadlines only bound a hung process.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createLogFile } from '../../harness/fake-driver.ts';
import { MappedFile } from '../../src/transport/mapped-file.ts';
import { MEMORY_ORDERING_ENV } from '../../src/transport/memory-ordering.ts';
import type { LitmusReport } from './fixtures/litmus.ts';
import { freshDir, runTsChild } from './support.ts';

const FRAMES = Number(process.env.LITMUS_FRAMES ?? 300_000);
const CHILD_TIMEOUT_MS = 300_000;
const CONTROL_LENGTH = 4096;

const temp = freshDir('litmus');
afterAll(() => temp.remove());

let runs = 0;

/** Starts the reader, then the writers (the environment each child inherits decides its memory ordering). */
async function runLitmus(
  mode: 'exclusive' | 'concurrent',
  writers: number,
  forceAtomics: boolean,
): Promise<LitmusReport> {
  runs++;
  const log = createLogFile(temp.dir, {
    termLength: 1024 * 1024,
    logType: mode === 'exclusive' ? 1 : 0,
    correlationId: runs,
    sessionId: 4000 + runs,
  });
  const controlPath = `${temp.dir}/control-${runs}`;
  MappedFile.create(controlPath, CONTROL_LENGTH).close();
  const framesPerWriter = Math.ceil(FRAMES / writers);
  const previous = process.env[MEMORY_ORDERING_ENV];
  if (forceAtomics) process.env[MEMORY_ORDERING_ENV] = 'atomics';
  else delete process.env[MEMORY_ORDERING_ENV];
  let children: Promise<Awaited<ReturnType<typeof runTsChild>>>[];
  try {
    const reader = runTsChild(
      'litmus.ts',
      ['reader', log.path, controlPath, String(writers), String(framesPerWriter)],
      CHILD_TIMEOUT_MS,
    );
    const writerRuns = Array.from({ length: writers }, (_, w) =>
      runTsChild(
        'litmus.ts',
        ['writer', log.path, controlPath, mode, String(w), String(framesPerWriter)],
        CHILD_TIMEOUT_MS,
      ),
    );
    children = [reader, ...writerRuns];
  } finally {
    if (previous === undefined) delete process.env[MEMORY_ORDERING_ENV];
    else process.env[MEMORY_ORDERING_ENV] = previous;
  }
  const [readerResult, ...writerResults] = await Promise.all(children);
  for (const result of writerResults) expect(result, result.stderr).toMatchObject({ code: 0 });
  expect(readerResult!, readerResult!.stderr).toMatchObject({ code: 0 });
  return JSON.parse(readerResult!.stdout.trim()) as LitmusReport;
}

describe.each([
  { ordering: 'the platform choice', forceAtomics: false },
  { ordering: `${MEMORY_ORDERING_ENV}=atomics`, forceAtomics: true },
])('memory-ordering litmus with $ordering', ({ forceAtomics }) => {
  it(
    'a reader process sees every frame of an exclusive appender whole, in order, once',
    async () => {
      const report = await runLitmus('exclusive', 1, forceAtomics);
      expect(report.firstViolations).toEqual([]);
      expect(report).toMatchObject({ violations: 0, frames: FRAMES });
      expect(report.plainStores).toBe(!forceAtomics && process.arch === 'x64');
      expect(report.paddingFrames).toBeGreaterThan(0);
      expect(report.progressSamples).toBeGreaterThan(0);
    },
    CHILD_TIMEOUT_MS + 10_000,
  );

  it(
    'a reader process sees every frame of three concurrent writer processes whole, each writer in order, once',
    async () => {
      const writers = 3;
      const report = await runLitmus('concurrent', writers, forceAtomics);
      expect(report.firstViolations).toEqual([]);
      expect(report).toMatchObject({ violations: 0, frames: writers * Math.ceil(FRAMES / writers) });
      expect(report.paddingFrames).toBeGreaterThan(0);
      expect(report.progressSamples).toBeGreaterThan(0);
    },
    CHILD_TIMEOUT_MS + 10_000,
  );
});
