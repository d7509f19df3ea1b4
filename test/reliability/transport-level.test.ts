/**
 * Reliability matrix rows testable before the Aeron client exists (see README.md): each case asserts the
 * typed error (class and `code`), bounded work (every wait has a deadline; loops are bounded by input),
 * nothing acknowledged lost or duplicated where data flows, and resources released (ResourceTracker).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BEGIN_AND_END_FLAGS,
  BEGIN_FLAG,
  checkPageSize,
  checkTermLength,
  END_FLAG,
  FLAGS_FIELD_OFFSET,
  HDR_TYPE_DATA,
  LogBufferDescriptorError,
  TYPE_FIELD_OFFSET,
} from '../../src/logbuffer/index.ts';
import {
  AtomicBuffer,
  BROADCAST_LATEST_COUNTER_OFFSET,
  BROADCAST_TAIL_COUNTER_OFFSET,
  BROADCAST_TAIL_INTENT_COUNTER_OFFSET,
  BROADCAST_TRAILER_LENGTH,
  BroadcastCorruptError,
  BroadcastLappedError,
  BroadcastReceiver,
  BroadcastTransmitter,
  CNC_METADATA_LENGTH,
  CNC_VERSION,
  CncFormatError,
  CncVersionError,
  CopyBroadcastReceiver,
  cncRegions,
  composeSemanticVersion,
  ManyToOneRingBuffer,
  MappedFile,
  MappedFileError,
  RING_TRAILER_LENGTH,
  RingBufferError,
  validateCnc,
  writeCncHeader,
} from '../../src/transport/index.ts';
import { TestSubscriber } from '../logbuffer/support/log-harness.ts';
import { createTestLog } from '../logbuffer/support/test-memory.ts';
import { ResourceTracker } from './support/resources.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

let tracker: ResourceTracker;
beforeEach(() => {
  tracker = new ResourceTracker();
});
afterEach(async () => {
  await tracker.settleTimers();
  tracker.release();
});

/** A CnC image with small valid regions (ring 1 KiB, broadcast 1 KiB, 4 counters, 1 KiB error log). */
function cncHeader(overrides: Partial<Parameters<typeof writeCncHeader>[1]> = {}) {
  return {
    toDriverBufferLength: 1024 + RING_TRAILER_LENGTH,
    toClientsBufferLength: 1024 + BROADCAST_TRAILER_LENGTH,
    countersMetadataBufferLength: 4 * 512,
    countersValuesBufferLength: 4 * 128,
    errorLogBufferLength: 1024,
    clientLivenessTimeoutNs: 10_000_000_000,
    startTimestampMs: 1,
    pid: 1,
    filePageSize: 4096,
    ...overrides,
  };
}

function cncLength(h: ReturnType<typeof cncHeader>): number {
  return (
    CNC_METADATA_LENGTH +
    h.toDriverBufferLength +
    h.toClientsBufferLength +
    h.countersMetadataBufferLength +
    h.countersValuesBufferLength +
    h.errorLogBufferLength
  );
}

/** Writes a cnc.dat into a tracked dir, maps it, runs `check`, always unmaps. */
function withCncFile(bytes: Uint8Array, check: (cnc: AtomicBuffer, path: string) => void): void {
  const path = tracker.trackFile(join(tracker.makeDir('cnc'), 'cnc.dat'));
  writeFileSync(path, bytes);
  const mapped = MappedFile.open(path, { readOnly: true });
  try {
    expect(tracker.mappings(path)).toBe(1);
    check(new AtomicBuffer(mapped.buffer), path);
  } finally {
    mapped.close();
  }
}

function cncBytes(h: ReturnType<typeof cncHeader>, version = CNC_VERSION, length = cncLength(h)): Uint8Array {
  const bytes = new Uint8Array(length);
  writeCncHeader(new AtomicBuffer(bytes.buffer), h, version);
  return bytes;
}

function typedError(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a typed error, nothing was thrown');
}

interface ChildOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runChild(script: string, args: readonly string[], timeoutMs: number): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'fixtures', script), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) tracker.trackPid(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      reject(new Error(`${script} did not finish within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('reliability: transport and log-buffer level (no Aeron client yet)', () => {
  // Data flows only in C9 and the P1 torn-frames case (each asserts nothing duplicated or reordered); the other
  // cases read files written by the test. P2 under a live mapping: no typed error is possible (SIGBUS, as the JVM).
  it('C1 no driver: cnc.dat missing, 0 bytes, or version still 0 (mapping / validateCnc level)', () => {
    const dir = tracker.makeDir('c1');
    const missing = typedError(() => MappedFile.open(join(dir, 'cnc.dat')));
    expect(missing).toBeInstanceOf(MappedFileError);
    expect(missing.code).toBe('NOT_FOUND');

    const empty = tracker.trackFile(join(dir, 'empty-cnc.dat'));
    writeFileSync(empty, new Uint8Array(0));
    const tooShort = typedError(() => MappedFile.open(empty, { expectedMinLength: CNC_METADATA_LENGTH }));
    expect(tooShort).toBeInstanceOf(MappedFileError);
    expect(tooShort.code).toBe('TOO_SHORT');
    expect(tracker.mappings(empty)).toBe(0);

    withCncFile(new Uint8Array(64 * 1024), (cnc) => {
      const notReady = typedError(() => validateCnc(cnc));
      expect(notReady).toBeInstanceOf(CncFormatError);
      expect(notReady.code).toBe('CNC_NOT_READY');
    });
  });

  it('C2 cnc.dat with the wrong major version (validateCnc level)', () => {
    withCncFile(cncBytes(cncHeader(), 0x00ff0000), (cnc) => {
      const e = typedError(() => validateCnc(cnc));
      expect(e).toBeInstanceOf(CncVersionError);
      expect(e.code).toBe('CNC_VERSION_MISMATCH');
      expect(e.message).toBe('CnC version not compatible: app=0.2.0 file=255.0.0');
      expect((e as CncVersionError).fileVersion).toBe(0x00ff0000);
    });
    withCncFile(cncBytes(cncHeader(), composeSemanticVersion(0, 1, 0)), (cnc) => {
      const e = typedError(() => validateCnc(cnc));
      expect(e).toBeInstanceOf(CncVersionError);
      expect(e.code).toBe('CNC_VERSION_INSUFFICIENT');
    });
  });

  it('C3 inconsistent cnc.dat: region lengths larger than the file (validateCnc level)', () => {
    const h = cncHeader();
    withCncFile(cncBytes(cncHeader({ countersValuesBufferLength: 1024 * 1024 }), CNC_VERSION, cncLength(h)), (cnc) => {
      const e = typedError(() => validateCnc(cnc));
      expect(e).toBeInstanceOf(CncFormatError);
      expect(e.code).toBe('CNC_MALFORMED');
    });
    withCncFile(cncBytes(cncHeader({ errorLogBufferLength: -8 })), (cnc) => {
      const e = typedError(() => validateCnc(cnc));
      expect(e.code).toBe('CNC_MALFORMED');
    });
  });

  it('C3 inconsistent cnc.dat: ring and broadcast capacities not a power of 2 (region level)', () => {
    const h = cncHeader({ toDriverBufferLength: 1000 + RING_TRAILER_LENGTH, toClientsBufferLength: 1000 + 128 });
    withCncFile(cncBytes(h), (cnc) => {
      const header = validateCnc(cnc); // lengths fit and are 8-aligned: the file-level check passes
      const regions = cncRegions(cnc, header);
      const ring = typedError(() => new ManyToOneRingBuffer(regions.toDriver));
      expect(ring).toBeInstanceOf(RingBufferError);
      expect(ring.code).toBe('INVALID_CAPACITY');
      const broadcast = typedError(() => new BroadcastReceiver(regions.toClients));
      expect(broadcast).toBeInstanceOf(RingBufferError);
      expect(broadcast.code).toBe('INVALID_CAPACITY');
    });
  });

  it('C9 lapped on the to-clients broadcast buffer', () => {
    const capacity = 1024;
    const buffer = new AtomicBuffer(new ArrayBuffer(capacity + BROADCAST_TRAILER_LENGTH));
    const tx = new BroadcastTransmitter(buffer);
    const rx = new CopyBroadcastReceiver(new BroadcastReceiver(buffer));
    const payload = new Uint8Array(64);
    const seen: number[] = [];
    const handler = (type: number) => {
      seen.push(type);
    };
    tx.transmit(1, payload, 0, 64);
    expect(rx.receive(handler)).toBe(1);
    // The receiver stalls while the driver writes more than a whole buffer: records 2..40 overwrite record 2.
    for (let type = 2; type <= 40; type++) tx.transmit(type, payload, 0, 64);
    const e = typedError(() => rx.receive(handler));
    expect(e).toBeInstanceOf(BroadcastLappedError);
    expect(e.code).toBe('BROADCAST_LAPPED');
    expect(e.message).toBe('unable to keep up with broadcast');
    // Nothing delivered twice or out of order before the lap was reported.
    expect(seen).toEqual([1]);
  });

  it('C9 (regression) a broadcast record longer than the buffer is rejected before allocating', () => {
    // Bug found by `npm run fuzz` (transport:broadcast-receiver): CopyBroadcastReceiver.receive grew its
    // scratch buffer to a record's claimed length before checking it fits the broadcast buffer; with a
    // valid cursor and a corrupt length (here ~2 GiB) it allocated a 2 GiB ArrayBuffer, then threw
    // AtomicBufferError OUT_OF_BOUNDS. Now: BroadcastCorruptError, and no allocation beyond the buffer.
    const capacity = 64;
    const buffer = new AtomicBuffer(new ArrayBuffer(capacity + BROADCAST_TRAILER_LENGTH));
    buffer.putInt32(0, 0x7fff0000);
    buffer.putInt32(4, 1);
    buffer.putInt64(capacity + BROADCAST_TAIL_INTENT_COUNTER_OFFSET, 16);
    buffer.putInt64(capacity + BROADCAST_TAIL_COUNTER_OFFSET, 16);
    buffer.putInt64(capacity + BROADCAST_LATEST_COUNTER_OFFSET, 0);
    const rx = new CopyBroadcastReceiver(new BroadcastReceiver(buffer));
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const e = typedError(() =>
      rx.receive(() => {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers);
      }),
    );
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    expect(e).toBeInstanceOf(BroadcastCorruptError);
    expect(e.code).toBe('BROADCAST_CORRUPT');
    expect(peak - before).toBeLessThan(1024 * 1024);
  });

  it('P1 bad log buffer at map time: term length and page size are validated (descriptor level)', () => {
    for (const [length, code] of [
      [32 * 1024, 'INVALID_TERM_LENGTH'],
      [64 * 1024 + 32, 'INVALID_TERM_LENGTH'],
      [2 * 1024 * 1024 * 1024, 'INVALID_TERM_LENGTH'],
    ] as const) {
      const e = typedError(() => checkTermLength(length));
      expect(e).toBeInstanceOf(LogBufferDescriptorError);
      expect(e.code).toBe(code);
    }
    for (const size of [2048, 4096 + 8, 2 * 1024 * 1024 * 1024]) {
      const e = typedError(() => checkPageSize(size));
      expect(e).toBeInstanceOf(LogBufferDescriptorError);
      expect(e.code).toBe('INVALID_PAGE_SIZE');
    }
    expect(() => checkTermLength(64 * 1024)).not.toThrow();
    expect(() => checkPageSize(4096)).not.toThrow();
  });

  it('P1 torn and garbage frames in a term: Image.poll terminates, delivers only whole frames, never throws', () => {
    const log = createTestLog({ termLength: 64 * 1024, initialTermId: 0, dir: tracker.makeDir('p1') });
    const term = log.terms[0]!;
    const frame = (offset: number, length: number, flags: number): void => {
      term.putInt32(offset, length);
      term.putInt8(offset + FLAGS_FIELD_OFFSET, flags);
      term.putInt16(offset + TYPE_FIELD_OFFSET, HDR_TYPE_DATA);
    };
    frame(0, 32 + 8, BEGIN_AND_END_FLAGS); // message 1: whole
    frame(64, 32 + 100, BEGIN_FLAG); // message 2: first fragment only (torn: its end is never written)
    frame(224, 32 + 4, BEGIN_AND_END_FLAGS); // message 3: whole (224..288)
    frame(288, 32 + 16, END_FLAG); // a stray end fragment without its beginning: dropped by the assembler
    // 352: length word 0 = not yet written; the reader must stop here even though garbage follows.
    term.putInt32(384, 0x7fffffff);
    const subscriber = new TestSubscriber(log, 0);
    expect(subscriber.poll(100)).toBe(4); // frames seen (padding excluded), incl. the torn and the stray ones
    expect(subscriber.delivered.map((d) => d.bytes.length)).toEqual([8, 4]); // only whole messages, once each
    expect(subscriber.position).toBe(352);
    expect(subscriber.errors).toEqual([]);
  });

  it('P2 log buffer shorter than required at map time is refused (TOO_SHORT), nothing mapped', () => {
    const path = tracker.trackFile(join(tracker.makeDir('p2'), '1.logbuffer'));
    writeFileSync(path, new Uint8Array(4096));
    const e = typedError(() => MappedFile.open(path, { expectedMinLength: 3 * 64 * 1024 + 4096 }));
    expect(e).toBeInstanceOf(MappedFileError);
    expect(e.code).toBe('TOO_SHORT');
    expect((e as MappedFileError).path).toBe(path);
    expect(tracker.mappings(path)).toBe(0);
  });

  it('P2 log buffer truncated under a live mapping: a read past the new end kills the process with SIGBUS', async () => {
    const path = tracker.trackFile(join(tracker.makeDir('p2-live'), '1.logbuffer'));
    writeFileSync(path, new Uint8Array(256 * 1024));
    const outcome = await runChild('truncate-under-mapping.ts', [path, 'read'], 60_000);
    expect(outcome.stdout).toContain('mapped 262144');
    expect(outcome.stdout).toContain('truncated');
    expect(outcome.stdout).not.toContain('read ');
    expect(outcome.signal).toBe('SIGBUS');
  });

  it('P2 a mapping closed before the truncation reads zeros instead (closed MappedFile placeholder)', async () => {
    const path = tracker.trackFile(join(tracker.makeDir('p2-closed'), '1.logbuffer'));
    writeFileSync(path, new Uint8Array(256 * 1024).fill(7));
    const outcome = await runChild('truncate-under-mapping.ts', [path, 'close-first'], 60_000);
    expect(outcome.signal).toBeNull();
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('read 0');
  });
});
