import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MappedFile, MappedFileError } from '../../src/transport/mapped-file.ts';
import { freshDir, runTsChild } from './support.ts';

const tmp = freshDir('mapped-file');
afterAll(() => tmp.remove());

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MappedFileError);
    return (e as MappedFileError).code;
  }
  return undefined;
}

describe('MappedFile', () => {
  it('creates a zero-filled shared mapping whose writes reach the file', () => {
    const path = join(tmp.dir, 'created.dat');
    using file = MappedFile.create(path, 8192);
    expect(file.length).toBe(8192);
    expect(file.buffer.byteLength).toBe(8192);
    const words = new Int32Array(file.buffer);
    expect(words.every((w) => w === 0)).toBe(true);
    Atomics.store(words, 3, 0x0a0b0c0d);
    expect(readFileSync(path).readInt32LE(12)).toBe(0x0a0b0c0d);
  });

  it('maps an existing file and sees writes made through the file system', () => {
    const path = join(tmp.dir, 'existing.dat');
    writeFileSync(path, Buffer.alloc(4096));
    using file = MappedFile.open(path, { expectedMinLength: 4096 });
    const b = Buffer.alloc(4);
    b.writeInt32LE(77);
    writeFileSync(path, b, { flag: 'r+' });
    expect(new Int32Array(file.buffer)[0]).toBe(77);
  });

  it('read-only mappings never write to the file', () => {
    const path = join(tmp.dir, 'ro.dat');
    writeFileSync(path, Buffer.alloc(4096, 1));
    const file = MappedFile.open(path, { readOnly: true });
    new Uint8Array(file.buffer)[0] = 9;
    file.close();
    expect(readFileSync(path)[0]).toBe(1);
  });

  it('fails with typed errors', () => {
    expect(codeOf(() => MappedFile.open(join(tmp.dir, 'missing.dat')))).toBe('NOT_FOUND');
    const empty = join(tmp.dir, 'empty.dat');
    writeFileSync(empty, '');
    expect(codeOf(() => MappedFile.open(empty))).toBe('TOO_SHORT');
    const short = join(tmp.dir, 'short.dat');
    writeFileSync(short, Buffer.alloc(100));
    expect(codeOf(() => MappedFile.open(short, { expectedMinLength: 128 }))).toBe('TOO_SHORT');
    expect(codeOf(() => MappedFile.create(join(tmp.dir, 'zero.dat'), 0))).toBe('TOO_SHORT');
    if (process.getuid?.() !== 0) {
      const locked = join(tmp.dir, 'locked.dat');
      writeFileSync(locked, Buffer.alloc(64));
      chmodSync(locked, 0o000);
      expect(codeOf(() => MappedFile.open(locked))).toBe('PERMISSION_DENIED');
    }
  });

  it('close is idempotent and later access to the handle throws CLOSED', () => {
    const file = MappedFile.create(join(tmp.dir, 'closed.dat'), 4096);
    file.close();
    file.close();
    expect(file.isClosed).toBe(true);
    expect(codeOf(() => file.buffer)).toBe('CLOSED');
  });

  it('stale views after close read zeros and cannot crash or reach the file (child process)', async () => {
    const path = join(tmp.dir, 'stale.dat');
    writeFileSync(path, Buffer.alloc(4096));
    const result = await runTsChild('stale-view.ts', [path], 30_000);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      staleRead: 0,
      staleView: 0,
      bufferError: 'CLOSED',
      fileWord0: 0x1234,
      fileWord1: 0,
    });
  });
});
