/**
 * Cross-checks against the real Aeron 1.51.0 classes:
 * - a log written by our appenders (with rotations and an int32 term-id wrap) is read back by Java's
 *   `TermReader` + `FragmentAssembler`, which must see the same messages, positions, reserved values;
 * - `LogBufferDescriptor` formulas agree with ours on random inputs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { aeronJarPath, PROJECT_ROOT } from '../../harness/aeron-jars.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { APPEND_ADMIN_ACTION } from '../../src/logbuffer/append-result.ts';
import { ExclusiveTermAppender } from '../../src/logbuffer/exclusive-term-appender.ts';
import { computeMaxMessageLength } from '../../src/logbuffer/frame-descriptor.ts';
import {
  computeFragmentedFrameLength,
  computeLogLength,
  computePosition,
  computeTermBeginPosition,
  computeTermIdFromPosition,
  computeTermOffsetFromPosition,
  indexByPosition,
  positionBitsToShift,
} from '../../src/logbuffer/log-buffer-descriptor.ts';
import { TermAppender } from '../../src/logbuffer/term-appender.ts';
import { HeaderWriter } from '../../src/logbuffer/term-words.ts';
import { Int64Halves } from '../../src/transport/int64-words.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { concurrentOffer, messageBytes } from './support/log-harness.ts';
import { createTestLog, type TestLog } from './support/test-memory.ts';

const TERM_LENGTH = 64 * 1024;
const INITIAL_TERM_ID = 0x7ffffffe; // terms 0x7ffffffe, 0x7fffffff, then INT_MIN: the wrap is inside the file

interface Published {
  position: number;
  length: number;
  crc: number;
  reserved: bigint;
}

/** Fills about 2.5 terms (no partition reuse, so the file holds everything). */
function writeLog(kind: 'exclusive' | 'concurrent'): { log: TestLog; published: Published[]; end: number } {
  const log = createTestLog({ termLength: TERM_LENGTH, initialTermId: INITIAL_TERM_ID, sessionId: -77, streamId: 42 });
  const options = {
    termBuffers: log.terms,
    metadata: log.metadata,
    headerWriter: new HeaderWriter(log.defaultHeader),
    initialTermId: INITIAL_TERM_ID,
    maxPayloadLength: 1376,
  };
  const exclusive = kind === 'exclusive' ? new ExclusiveTermAppender(options) : null;
  const producers = [new TermAppender(options), new TermAppender(options)];
  const tail = new Int64Halves();
  const published: Published[] = [];
  const maxMessage = computeMaxMessageLength(TERM_LENGTH);
  const limit = 2.5 * TERM_LENGTH;
  let end = 0;
  for (let i = 0; end < limit - maxMessage - 4096; i++) {
    const length = (i * 7919) % (i % 5 === 0 ? maxMessage + 1 : 1500);
    const bytes = messageBytes(i, length);
    const reserved = BigInt(i) * 1_000_000_007n - 5n;
    const supplier = (): bigint => reserved;
    let result = APPEND_ADMIN_ACTION;
    for (let attempt = 0; result === APPEND_ADMIN_ACTION; attempt++) {
      expect(attempt).toBeLessThan(10);
      if (exclusive) result = exclusive.append(bytes, 0, length, supplier);
      else {
        result = concurrentOffer(
          log,
          producers[i % 2]!,
          INITIAL_TERM_ID,
          Number.MAX_SAFE_INTEGER,
          bytes,
          tail,
          supplier,
        );
      }
    }
    expect(result).toBeGreaterThan(0);
    published.push({ position: result, length, crc: crc32(bytes), reserved });
    end = result;
  }
  return { log, published, end };
}

describeInterop('log buffer interop with the pinned Aeron jar', () => {
  let classDir = '';
  let dir = '';
  beforeAll(() => {
    classDir = compileJava({
      sources: [join(PROJECT_ROOT, 'test/java/LogBufferProbe.java')],
      classpath: [aeronJarPath()],
    });
    dir = mkdtempSync(join(tmpdir(), 'aeron-ts-logbuffer-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const kind of ['exclusive', 'concurrent'] as const) {
    it(`Java TermReader + FragmentAssembler read a log written by the ${kind} appender`, async () => {
      const { log, published, end } = writeLog(kind);
      const file = join(dir, `${kind}.logbuffer`);
      writeFileSync(file, new Uint8Array(log.buffer));
      const result = await runJava({
        classpath: [classDir, aeronJarPath()],
        mainClass: 'LogBufferProbe',
        args: ['read', file, String(end)],
        jvmArgs: AERON_JVM_FLAGS,
        timeoutMs: 60_000,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const lines = result.stdout.trim().split('\n');
      const meta = lines[0]!.split(' ');
      expect(meta.slice(1, 4)).toEqual([String(TERM_LENGTH), String(INITIAL_TERM_ID), '1408']);
      expect(Number(meta[4])).toBe(2); // active term count: two rotations
      expect(Number(meta[5])).toBe(-0x80000000); // active term id wrapped
      const messages = lines.filter((l) => l.startsWith('MSG ')).map((l) => l.split(' '));
      expect(messages.length).toBe(published.length);
      messages.forEach((m, i) => {
        const want = published[i]!;
        expect([Number(m[1]), Number(m[2]), Number(m[3]), BigInt(m[4]!), Number(m[5]), Number(m[6])]).toEqual([
          want.position,
          want.length,
          want.crc,
          want.reserved,
          -77,
          42,
        ]);
      });
      expect(lines.at(-1)).toBe(`END ${end}`);
    });
  }

  it('LogBufferDescriptor formulas agree with Java on random inputs', async () => {
    const inputs = fc.sample(
      fc.record({
        termIdDelta: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
        termOffset: fc.integer({ min: 0, max: 1 << 24 }).map((v) => v & ~31),
        shift: fc.integer({ min: 16, max: 30 }),
        initialTermId: fc.oneof(
          fc.integer({ min: -0x80000000, max: 0x7fffffff }),
          fc.constantFrom(0x7fffffff, -0x80000000),
        ),
        termCount: fc.integer({ min: 0, max: 2 ** 22 }),
        length: fc.integer({ min: 0, max: 16 * 1024 * 1024 }),
        maxPayload: fc.integer({ min: 32, max: 65504 }),
      }),
      { numRuns: 400, seed: 42 },
    );
    const rows = inputs.map((x) => {
      const termLength = 2 ** x.shift;
      const termOffset = x.termOffset & (termLength - 1);
      const position = x.termCount * termLength + termOffset;
      // Keep |termCount| × termLength within 2^53 (the documented exact range of number positions).
      const maxDelta = Math.min(2 ** 31 - 1, 2 ** (53 - x.shift) - 1);
      const delta = Math.max(-maxDelta, Math.min(maxDelta, x.termIdDelta));
      const termId = (x.initialTermId + delta) | 0;
      return { ...x, termId, termLength, termOffset, position };
    });
    const stdin = rows
      .map(
        (r) =>
          `${r.termId} ${r.termOffset} ${r.termLength} ${r.initialTermId} ${r.position} ${r.length} ${r.maxPayload}`,
      )
      .join('\n');
    const result = await runJava({
      classpath: [classDir, aeronJarPath()],
      mainClass: 'LogBufferProbe',
      args: ['formulas'],
      jvmArgs: AERON_JVM_FLAGS,
      stdin: `${stdin}\n`,
      timeoutMs: 60_000,
    });
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBe(rows.length);
    rows.forEach((r, i) => {
      const shift = positionBitsToShift(r.termLength);
      const ours = [
        computePosition(r.termId, r.termOffset, shift, r.initialTermId),
        computeTermBeginPosition(r.termId, shift, r.initialTermId),
        computeTermIdFromPosition(r.position, shift, r.initialTermId),
        computeTermOffsetFromPosition(r.position, shift),
        indexByPosition(r.position, shift),
        computeFragmentedFrameLength(r.length, r.maxPayload),
        computeMaxMessageLength(r.termLength),
        computeLogLength(r.termLength, 4096),
      ].map((v) => BigInt(v));
      // The probe also prints indexByTerm (column 4) and computeAssembledFrameLength (7): not in aeron-ts.
      const theirs = lines[i]!.split(' ').filter((_, column) => column !== 4 && column !== 7);
      expect(ours, `row ${i}: ${JSON.stringify(r)}`).toEqual(theirs.map((v) => BigInt(v)));
    });
  });
});
