import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogFile, writeFileBytes } from '../../harness/fake-driver.ts';
import { makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import { LogBuffers, LogBuffersError } from '../../src/client/log-buffers.ts';
import {
  computeLogLength,
  initialTermId,
  LOG_PAGE_SIZE_OFFSET,
  LOG_TERM_LENGTH_OFFSET,
  mtuLength,
  packTail,
  rawTailVolatile,
} from '../../src/logbuffer/index.ts';
import { AtomicBuffer } from '../../src/transport/index.ts';
import { residentMappedBytes } from '../support/resident-memory.ts';

const dir = makeTestDir('log-buffers');
afterAll(() => removeDir(dir));

function int32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, value, true);
  return bytes;
}

describe('LogBuffers.map', () => {
  it('maps three terms and the metadata of a driver-formatted log', () => {
    const log = createLogFile(dir, { termLength: 128 * 1024, mtu: 4096, initialTermId: -5 });
    using logBuffers = LogBuffers.map(log.path);
    expect(logBuffers.termLength).toBe(128 * 1024);
    expect(logBuffers.pageSize).toBe(4096);
    expect(logBuffers.fileLength).toBe(computeLogLength(128 * 1024, 4096));
    expect(logBuffers.termBuffers.map((b) => b.capacity)).toEqual([131072, 131072, 131072]);
    expect(logBuffers.termBuffers.map((b) => b.byteOffset)).toEqual([0, 131072, 262144]);
    expect(logBuffers.metaDataBuffer.capacity).toBe(4096);
    expect(initialTermId(logBuffers.metaDataBuffer)).toBe(-5);
    expect(mtuLength(logBuffers.metaDataBuffer)).toBe(4096);
    expect(rawTailVolatile(logBuffers.metaDataBuffer, 0)).toBe(packTail(-5, 0));
  });

  it('ref counts and closes; closed views read zeros', () => {
    const log = createLogFile(dir, { initialTermId: 99 });
    const logBuffers = LogBuffers.map(log.path);
    expect(logBuffers.incRef()).toBe(1);
    expect(logBuffers.incRef()).toBe(2);
    expect(logBuffers.decRef()).toBe(1);
    const metadata = logBuffers.metaDataBuffer;
    expect(initialTermId(metadata)).toBe(99);
    logBuffers.close();
    logBuffers.close();
    expect(logBuffers.isClosed).toBe(true);
    expect(initialTermId(metadata)).toBe(0);
  });

  it('preTouch makes every page resident in this process and changes no byte', () => {
    const log = createLogFile(dir, { termLength: 64 * 1024, initialTermId: 7 });
    using logBuffers = LogBuffers.map(log.path);
    const term = logBuffers.termBuffers[1]!;
    // a non-zero word at a page start (the CAS of 0 with 0 must leave it) and a zero one
    term.putInt32(4096, 0x12345678);
    term.putInt32(8, -1);
    const before = readFileSync(log.path);
    expect(residentMappedBytes(log.path)).toBeLessThan(logBuffers.fileLength);
    logBuffers.preTouch();
    expect(residentMappedBytes(log.path)).toBeGreaterThanOrEqual(logBuffers.fileLength);
    expect(readFileSync(log.path).equals(before)).toBe(true);
    expect(term.getInt32(4096)).toBe(0x12345678);
  });

  it('refuses a file shorter than the metadata block', () => {
    const path = join(dir, 'tiny.logbuffer');
    writeFileSync(path, new Uint8Array(100));
    expect(() => LogBuffers.map(path)).toThrow(LogBuffersError);
    try {
      LogBuffers.map(path);
    } catch (e) {
      expect((e as LogBuffersError).code).toBe('TOO_SHORT');
    }
  });

  it.each([
    ['INVALID_TERM_LENGTH', LOG_TERM_LENGTH_OFFSET, 1000],
    ['INVALID_TERM_LENGTH', LOG_TERM_LENGTH_OFFSET, 32 * 1024],
    ['INVALID_PAGE_SIZE', LOG_PAGE_SIZE_OFFSET, 3000],
  ] as const)('refuses metadata with %s (field at %i = %i)', (code, fieldOffset, value) => {
    const log = createLogFile(dir);
    const metadataStart = computeLogLength(log.termLength, 4096) - 4096;
    writeFileBytes(log.path, metadataStart + fieldOffset, int32(value));
    expect(() => LogBuffers.map(log.path)).toThrow(expect.objectContaining({ code, name: 'LogBuffersError' }));
  });

  it('refuses a file shorter than the term length in its metadata says', () => {
    const log = createLogFile(dir, { termLength: 64 * 1024 });
    const metadataStart = computeLogLength(64 * 1024, 4096) - 4096;
    writeFileBytes(log.path, metadataStart + LOG_TERM_LENGTH_OFFSET, int32(1024 * 1024));
    expect(() => LogBuffers.map(log.path)).toThrow(expect.objectContaining({ code: 'TOO_SHORT' }));
  });

  it('refuses a missing file with the MappedFile error', () => {
    expect(() => LogBuffers.map(join(dir, 'absent.logbuffer'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('AtomicBuffer.compareAndSetInt64BigInt', () => {
  it('swaps only on a match, with exact 64-bit values', () => {
    const buffer = new AtomicBuffer(new ArrayBuffer(16));
    const a = packTail(-3, 65536);
    const b = packTail(0x7fffffff, 12345);
    buffer.putInt64BigInt(8, a);
    expect(buffer.compareAndSetInt64BigInt(8, b, a)).toBe(false);
    expect(buffer.getInt64BigInt(8)).toBe(a);
    expect(buffer.compareAndSetInt64BigInt(8, a, b)).toBe(true);
    expect(buffer.getInt64BigInt(8)).toBe(b);
    expect(buffer.compareAndSetInt64BigInt(8, b, -1n)).toBe(true);
    expect(buffer.getInt64BigInt(8)).toBe(-1n);
  });
});
