/**
 * The CLI without a driver: help, argument errors, missing or malformed files (one line on stderr, non-zero
 * exit), and dump-log on crafted log buffers with torn, partial and garbage frames (never a crash).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLogBufferMetadata, walkLogBuffer } from '../../src/cli/log-buffer-dump.ts';
import { AtomicBuffer } from '../../src/transport/index.ts';
import { runCliProcess } from './support/run-cli.ts';

const TERM = 64 * 1024;
const META = 4096;
const INITIAL_TERM_ID = 7;

/** A zeroed log buffer file image with the metadata of a 64k-term log (session 11, stream 22). */
function logImage(): AtomicBuffer {
  const buffer = new AtomicBuffer(new ArrayBuffer(3 * TERM + META));
  const meta = 3 * TERM;
  buffer.putInt32(meta + 264, INITIAL_TERM_ID);
  buffer.putInt32(meta + 272, 1408);
  buffer.putInt32(meta + 276, TERM);
  buffer.putInt32(meta + 280, 4096);
  buffer.putInt32(meta + 320 + 12, 11);
  buffer.putInt32(meta + 320 + 16, 22);
  return buffer;
}

function putFrame(
  buffer: AtomicBuffer,
  partition: number,
  offset: number,
  length: number,
  type: number,
  text = '',
): void {
  const at = partition * TERM + offset;
  buffer.putInt32(at, length);
  buffer.putInt8(at + 4, 0);
  buffer.putInt8(at + 5, 0xc0 - 256);
  buffer.putInt16(at + 6, type);
  buffer.putInt32(at + 8, offset);
  buffer.putInt32(at + 12, 11);
  buffer.putInt32(at + 16, 22);
  buffer.putInt32(at + 20, INITIAL_TERM_ID + partition);
  for (let i = 0; i < text.length; i++) buffer.putInt8(at + 32 + i, text.charCodeAt(i));
}

function oneErrorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('aeron-ts CLI without a driver', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aeron-ts-cli-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('--help lists every command with examples; each command has its own --help', async () => {
    const help = await runCliProcess(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['describe', 'stat', 'streams', 'errors', 'loss', 'dump-log']) {
      expect(help.stdout).toContain(command);
    }
    expect(help.stdout).toContain('Examples:');
    const stat = await runCliProcess(['stat', '--help']);
    expect(stat.code).toBe(0);
    expect(stat.stdout).toContain('--interval <ms>');
    expect(stat.stdout).toContain('Examples:');
  });

  it('the bin launcher runs the CLI from source and forwards the exit code', async () => {
    const ok = await runCliProcess(['--version'], { command: ['bin/aeron-ts.js'] });
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const missing = await runCliProcess(['describe', '--aeron-dir', join(dir, 'nope')], {
      command: ['bin/aeron-ts.js'],
    });
    expect(missing.code).toBe(2);
  });

  it('an unknown command or option fails with exit 1', async () => {
    const result = await runCliProcess(['frobnicate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
    const badValue = await runCliProcess(['stat', '--interval', 'soon', '--aeron-dir', dir]);
    expect(badValue.code).toBe(1);
    expect(oneErrorLine(badValue.stderr)).toBe("aeron-ts: --interval must be a non-negative integer, got 'soon'");
  });

  it('no directory / no cnc.dat: one line saying where it looked and what it expected, exit 2', async () => {
    const missingDir = join(dir, 'does-not-exist');
    for (const command of ['describe', 'streams']) {
      const result = await runCliProcess([command, '--aeron-dir', missingDir]);
      expect(result.code).toBe(2);
      expect(oneErrorLine(result.stderr)).toContain(`no media driver at ${missingDir}: the directory does not exist`);
    }
    const empty = mkdtempSync(join(dir, 'empty-'));
    const result = await runCliProcess(['stat', '--once'], { env: { ...process.env, AERON_DIR: empty } });
    expect(result.code).toBe(2);
    expect(oneErrorLine(result.stderr)).toBe(
      `aeron-ts: no media driver at ${empty}: ${join(empty, 'cnc.dat')} does not exist (expected the CnC file a running media driver creates)`,
    );
    const loss = await runCliProcess(['loss', '--aeron-dir', empty]);
    expect(loss.code).toBe(1);
    expect(oneErrorLine(loss.stderr)).toContain(`no loss report at ${join(empty, 'loss-report.dat')}`);
    const archive = await runCliProcess(['errors', '--archive-dir', empty]);
    expect(archive.code).toBe(1);
    expect(oneErrorLine(archive.stderr)).toContain(`no archive mark file at ${join(empty, 'archive-mark.dat')}`);
  });

  it('a cnc.dat that is not initialised or not a CnC file: one line, exit 1', async () => {
    const notReady = mkdtempSync(join(dir, 'not-ready-'));
    writeFileSync(join(notReady, 'cnc.dat'), Buffer.alloc(4096));
    const result = await runCliProcess(['describe', '--aeron-dir', notReady]);
    expect(result.code).toBe(1);
    expect(oneErrorLine(result.stderr)).toMatch(/cnc\.dat: CnC file is created but not initialised/);

    const garbage = mkdtempSync(join(dir, 'garbage-'));
    writeFileSync(join(garbage, 'cnc.dat'), Buffer.alloc(64, 0x5a));
    const bad = await runCliProcess(['stat', '--aeron-dir', garbage]);
    expect(bad.code).toBe(1);
    expect(oneErrorLine(bad.stderr)).toMatch(/cnc\.dat/);
  });

  it('dump-log: a crafted log with padding, in-progress, malformed and truncated frames is reported, not fatal', async () => {
    const image = logImage();
    putFrame(image, 0, 0, 32 + 5, 1, 'hello');
    putFrame(image, 0, 64, -(32 + 10), 1, 'torn-frame'); // claimed, not committed
    putFrame(image, 0, 128, 12, 1); // shorter than a header: the walk of term 0 stops here
    putFrame(image, 1, 0, 32 + 3, 1, 'abc');
    putFrame(image, 1, 64, TERM - 64, 0); // padding to the term end
    putFrame(image, 2, 1024, 32 + 2, 1, 'hi'); // after a zeroed gap
    putFrame(image, 2, TERM - 32, 4096, 1); // runs past the term end
    const file = join(dir, 'crafted.logbuffer');
    writeFileSync(file, image.bytes);

    const result = await runCliProcess(['dump-log', file, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const dump = JSON.parse(result.stdout) as {
      metadata: { termLength: number; initialTermId: number; sessionId: number; streamId: number };
      frames: {
        partition: number;
        termOffset: number;
        status: string;
        typeName: string;
        payloadText: string;
        position: number;
      }[];
      gaps: unknown[];
      summary: { frames: number; problems: number };
    };
    expect(dump.metadata).toMatchObject({
      termLength: TERM,
      initialTermId: INITIAL_TERM_ID,
      sessionId: 11,
      streamId: 22,
    });
    expect(dump.frames.map((f) => [f.partition, f.termOffset, f.status, f.typeName, f.payloadText])).toEqual([
      [0, 0, 'ok', 'DATA', 'hello'],
      [0, 64, 'in-progress', 'DATA', 'torn-frame'],
      [0, 128, 'malformed', 'DATA', ''],
      [1, 0, 'ok', 'DATA', 'abc'],
      [1, 64, 'ok', 'PAD', ''],
      [2, 1024, 'ok', 'DATA', 'hi'],
      [2, TERM - 32, 'truncated', 'DATA', ''],
    ]);
    expect(dump.frames.map((f) => f.position)).toEqual([0, 64, 128, TERM, TERM + 64, 2 * TERM + 1024, 3 * TERM - 32]);
    expect(dump.gaps).toEqual([
      { partition: 2, termOffset: 0, length: 1024 },
      { partition: 2, termOffset: 1088, length: TERM - 32 - 1088 },
    ]);
    expect(dump.summary).toMatchObject({ frames: 7, problems: 3 });

    const text = await runCliProcess(['dump-log', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('DATA IN-PROGRESS length -42');
    expect(text.stdout).toContain('|hello|');
    expect(text.stdout).toContain('7 frames: 6 data (20 payload bytes), 1 padding, 3 with problems, 2 zeroed gaps');
  });

  it('dump-log: missing file, too short file, or no valid metadata: one line, exit 1', async () => {
    const missing = await runCliProcess(['dump-log', join(dir, 'none.logbuffer')]);
    expect(missing.code).toBe(1);
    expect(oneErrorLine(missing.stderr)).toBe(`aeron-ts: no such log buffer file: ${join(dir, 'none.logbuffer')}`);
    const short = join(dir, 'short.logbuffer');
    writeFileSync(short, Buffer.alloc(100));
    const shortResult = await runCliProcess(['dump-log', short]);
    expect(shortResult.code).toBe(1);
    expect(oneErrorLine(shortResult.stderr)).toContain(
      'is not a log buffer: 100 bytes is shorter than the 4096-byte log metadata',
    );
    const image = logImage();
    const cut = join(dir, 'cut.logbuffer');
    writeFileSync(cut, Buffer.concat([image.bytes.subarray(0, TERM), image.bytes.subarray(3 * TERM)]));
    const cutResult = await runCliProcess(['dump-log', cut]);
    expect(cutResult.code).toBe(1);
    expect(oneErrorLine(cutResult.stderr)).toContain('metadata term length 65536 needs 200704 bytes');
  });

  it('walkLogBuffer never throws on arbitrary term contents and reports frames in bounds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(3 * TERM - 1), word: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }), {
          maxLength: 200,
        }),
        (writes) => {
          const image = logImage();
          for (const { at, word } of writes) image.putInt32(at - (at % 4), word);
          const metadata = readLogBufferMetadata(image);
          walkLogBuffer(image, metadata, {}, (f) => {
            expect(f.termOffset % 32).toBe(0);
            expect(f.termOffset + 32).toBeLessThanOrEqual(TERM);
            expect(f.payload.length).toBeLessThanOrEqual(TERM - f.termOffset);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
