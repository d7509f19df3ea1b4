import { describe, expect, it } from 'vitest';
import { AtomicBuffer, LONG_MAX_VALUE } from '../../src/transport/atomic-buffer.ts';
import {
  CNC_METADATA_LENGTH,
  CNC_VERSION,
  cncFilePageSize,
  cncRegions,
  validateCnc,
  writeCncHeader,
} from '../../src/transport/cnc-descriptor.ts';
import {
  COUNTER_LENGTH,
  FREE_FOR_REUSE_DEADLINE_OFFSET,
  KEY_OFFSET,
  LABEL_OFFSET,
  METADATA_LENGTH,
  OWNER_ID_OFFSET,
  RECORD_ALLOCATED,
  RECORD_RECLAIMED,
  REFERENCE_ID_OFFSET,
  REGISTRATION_ID_OFFSET,
  TYPE_ID_OFFSET,
} from '../../src/transport/counters-descriptor.ts';
import { CountersReader } from '../../src/transport/counters-reader.ts';
import { hasErrors, readAllErrors, readErrorLog } from '../../src/transport/distinct-error-log-reader.ts';
import { readLossReport } from '../../src/transport/loss-report-reader.ts';
import { composeSemanticVersion } from '../../src/transport/semantic-version.ts';
import {
  CncFormatError,
  CncVersionError,
  CountersError,
  type TransportError,
} from '../../src/transport/transport-error.ts';

function allocate(
  meta: AtomicBuffer,
  values: AtomicBuffer,
  id: number,
  c: { typeId: number; label: string; registrationId: number; value: number; key?: number; state?: number },
): void {
  const m = id * METADATA_LENGTH;
  meta.putInt32(m + TYPE_ID_OFFSET, c.typeId);
  meta.putInt64(m + FREE_FOR_REUSE_DEADLINE_OFFSET, LONG_MAX_VALUE);
  meta.putInt32(m + KEY_OFFSET, c.key ?? 0);
  meta.putStringAscii(m + LABEL_OFFSET, c.label);
  const v = id * COUNTER_LENGTH;
  values.putInt64Ordered(v, c.value);
  values.putInt64Ordered(v + REGISTRATION_ID_OFFSET, c.registrationId);
  values.putInt64(v + OWNER_ID_OFFSET, 77);
  values.putInt64(v + REFERENCE_ID_OFFSET, 88);
  meta.putInt32Ordered(m, c.state ?? RECORD_ALLOCATED);
}

describe('CountersReader', () => {
  const meta = new AtomicBuffer(new ArrayBuffer(8 * METADATA_LENGTH));
  const values = new AtomicBuffer(new ArrayBuffer(8 * COUNTER_LENGTH));
  allocate(meta, values, 0, { typeId: 0, label: 'Bytes sent', registrationId: 0, value: 2 ** 35, key: 0 });
  allocate(meta, values, 1, {
    typeId: 4,
    label: 'sub-pos: 5 1 2 aeron:ipc',
    registrationId: 5,
    value: 0,
    state: RECORD_RECLAIMED,
  });
  allocate(meta, values, 2, { typeId: 4, label: 'sub-pos: 5 1 2 aeron:ipc', registrationId: 5, value: 64 });
  allocate(meta, values, 4, { typeId: 9, label: 'after a hole', registrationId: 9, value: 1 });
  const reader = new CountersReader(meta, values);

  it('reads every field of a counter', () => {
    expect(reader.maxCounterId).toBe(7);
    expect(reader.getCounterValue(0)).toBe(2 ** 35);
    expect(reader.getCounterLabel(0)).toBe('Bytes sent');
    expect(reader.getCounterTypeId(2)).toBe(4);
    expect(reader.getCounterState(1)).toBe(RECORD_RECLAIMED);
    expect(reader.getCounterState(3)).toBe(0);
    expect(reader.getCounterRegistrationId(2)).toBe(5);
    expect(reader.getCounterOwnerId(2)).toBe(77);
    expect(reader.getCounterReferenceId(2)).toBe(88);
    expect(reader.getFreeForReuseDeadline(2)).toBe(LONG_MAX_VALUE);
    expect(reader.getCounterKey(0).capacity).toBe(112);
  });

  it('scans like Aeron: skips reclaimed records and stops at the first unused one', () => {
    const seen: Array<[number, number, string]> = [];
    reader.forEach((id, typeId, _key, label) => {
      seen.push([id, typeId, label]);
    });
    expect(seen).toEqual([
      [0, 0, 'Bytes sent'],
      [2, 4, 'sub-pos: 5 1 2 aeron:ipc'],
    ]);
    expect(reader.findByTypeIdAndRegistrationId(4, 5)).toBe(2);
    expect(reader.findByRegistrationId(5)).toBe(2);
    expect(reader.findByTypeIdAndRegistrationId(9, 9)).toBe(-1);
  });

  it('rejects counter ids out of range', () => {
    expect(() => reader.getCounterValue(8)).toThrow(CountersError);
    expect(() => reader.getCounterLabel(-1)).toThrow(/out of range/);
  });
});

describe('distinct error log reader', () => {
  it('reads every record with its counts and timestamps', () => {
    const b = new AtomicBuffer(new ArrayBuffer(1024));
    expect(hasErrors(b)).toBe(false);
    const put = (offset: number, text: string, count: number, first: number, last: number): number => {
      const bytes = new TextEncoder().encode(text);
      b.putInt32(offset + 4, count);
      b.putInt64(offset + 8, last);
      b.putInt64(offset + 16, first);
      b.putBytes(offset + 24, bytes, 0, bytes.length);
      b.putInt32Ordered(offset, 24 + bytes.length);
      return offset + Math.ceil((24 + bytes.length) / 8) * 8;
    };
    const next = put(0, 'java.lang.IllegalStateException: boom', 3, 1000, 2000);
    put(next, 'second', 1, 1500, 1500);
    expect(hasErrors(b)).toBe(true);
    expect(readAllErrors(b)).toEqual([
      {
        observationCount: 3,
        firstObservationTimestamp: 1000,
        lastObservationTimestamp: 2000,
        encodedException: 'java.lang.IllegalStateException: boom',
      },
      {
        observationCount: 1,
        firstObservationTimestamp: 1500,
        lastObservationTimestamp: 1500,
        encodedException: 'second',
      },
    ]);
    expect(readErrorLog(b, () => {}, 1600)).toBe(1);
  });
});

describe('loss report reader', () => {
  it('reads entries with channel and source at their aligned offsets', () => {
    const b = new AtomicBuffer(new ArrayBuffer(4096));
    const put = (offset: number, channel: string, source: string): number => {
      b.putInt64(offset + 8, 1234);
      b.putInt64(offset + 16, 10);
      b.putInt64(offset + 24, 20);
      b.putInt32(offset + 32, -5);
      b.putInt32(offset + 36, 1001);
      const channelLength = b.putStringAscii(offset + 40, channel);
      b.putStringAscii(offset + 40 + Math.ceil(channelLength / 4) * 4, source);
      b.putInt64Ordered(offset, 2);
      const length = 40 + Math.ceil(channelLength / 4) * 4 + 4 + source.length;
      return offset + Math.ceil(length / 64) * 64;
    };
    const next = put(0, 'aeron:udp?endpoint=localhost:20121', '127.0.0.1:40001');
    put(next, 'aeron:udp?endpoint=x:1', 'src');
    const entries: unknown[] = [];
    expect(readLossReport(b, (e) => entries.push(e))).toBe(2);
    expect(entries[0]).toEqual({
      observationCount: 2,
      totalBytesLost: 1234,
      firstObservationTimestamp: 10,
      lastObservationTimestamp: 20,
      sessionId: -5,
      streamId: 1001,
      channel: 'aeron:udp?endpoint=localhost:20121',
      source: '127.0.0.1:40001',
    });
    expect((entries[1] as { source: string }).source).toBe('src');
  });
});

describe('CnC descriptor', () => {
  const header = {
    toDriverBufferLength: 1024 + 768,
    toClientsBufferLength: 1024 + 128,
    countersMetadataBufferLength: 4 * 512,
    countersValuesBufferLength: 4 * 128,
    errorLogBufferLength: 1024,
    clientLivenessTimeoutNs: 10_000_000_000,
    startTimestampMs: 1_700_000_000_000,
    pid: 4242,
    filePageSize: 0,
  };
  const total = CNC_METADATA_LENGTH + 1792 + 1152 + 2048 + 512 + 1024;
  const codeOf = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return (e as TransportError).code;
    }
    return undefined;
  };

  it('is version 0.2.0 and round-trips the header and regions', () => {
    expect(CNC_VERSION).toBe(512);
    const cnc = new AtomicBuffer(new ArrayBuffer(total));
    writeCncHeader(cnc, header);
    const read = validateCnc(cnc);
    expect(read).toEqual({ cncVersion: 512, ...header });
    expect(cncFilePageSize(read)).toBe(4096);
    const regions = cncRegions(cnc, read);
    expect(regions.toDriver.byteOffset).toBe(128);
    expect(regions.toClients.byteOffset).toBe(128 + 1792);
    expect(regions.countersMetadata.byteOffset).toBe(128 + 1792 + 1152);
    expect(regions.countersValues.byteOffset).toBe(128 + 1792 + 1152 + 2048);
    expect(regions.errorLog.byteOffset).toBe(128 + 1792 + 1152 + 2048 + 512);
    expect(regions.errorLog.capacity).toBe(1024);
  });

  it('rejects other versions, uninitialised files and garbage with typed errors', () => {
    const cnc = new AtomicBuffer(new ArrayBuffer(total));
    expect(codeOf(() => validateCnc(cnc))).toBe('CNC_NOT_READY');
    writeCncHeader(cnc, header, composeSemanticVersion(1, 2, 0));
    expect(() => validateCnc(cnc)).toThrow(CncVersionError);
    expect(codeOf(() => validateCnc(cnc))).toBe('CNC_VERSION_MISMATCH');
    writeCncHeader(cnc, header, composeSemanticVersion(0, 1, 9));
    expect(codeOf(() => validateCnc(cnc))).toBe('CNC_VERSION_INSUFFICIENT');
    writeCncHeader(cnc, header, composeSemanticVersion(0, 3, 1));
    expect(validateCnc(cnc).cncVersion).toBe(0x000301);
    writeCncHeader(cnc, header, 0x7f000200);
    expect(() => validateCnc(cnc)).toThrow(CncFormatError);
    writeCncHeader(cnc, { ...header, errorLogBufferLength: 1 << 20 });
    expect(codeOf(() => validateCnc(cnc))).toBe('CNC_MALFORMED');
    expect(codeOf(() => validateCnc(new AtomicBuffer(new ArrayBuffer(64))))).toBe('CNC_MALFORMED');
  });
});
