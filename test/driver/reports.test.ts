/**
 * The writers of the distinct error log (src/transport/distinct-error-log.ts) and the loss report
 * (src/driver/loss-report.ts), read back with our readers. Java's ErrorStat and LossStat read the same bytes in
 * java-tools.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { LossReport } from '../../src/driver/loss-report.ts';
import { AtomicBuffer } from '../../src/transport/atomic-buffer.ts';
import { DistinctErrorLog, encodeError } from '../../src/transport/distinct-error-log.ts';
import { type ErrorObservation, hasErrors, readAllErrors } from '../../src/transport/distinct-error-log-reader.ts';
import { type LossReportEntry, readLossReport } from '../../src/transport/loss-report-reader.ts';

class Failure extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'Failure';
  }
}

describe('DistinctErrorLog', () => {
  it('records each distinct error once and counts its observations with first and last timestamps', () => {
    const buffer = new AtomicBuffer(new ArrayBuffer(64 * 1024));
    const clock = { now: 1000 };
    const log = new DistinctErrorLog(buffer, () => clock.now);
    expect(hasErrors(buffer)).toBe(false);
    const errors = [new Failure('first'), new Failure('second')];
    for (let i = 0; i < 3; i++) {
      for (const error of errors) {
        expect(log.record(error)).toBe(true);
        clock.now += 10;
      }
    }
    expect(hasErrors(buffer)).toBe(true);
    const read = readAllErrors(buffer);
    expect(read.map((o) => o.observationCount)).toEqual([3, 3]);
    expect(read[0]!.encodedException).toMatch(/^Failure: first\n\s+at /);
    expect(read[1]!.encodedException).toMatch(/^Failure: second\n/);
    expect(read.map((o) => [o.firstObservationTimestamp, o.lastObservationTimestamp])).toEqual([
      [1000, 1040],
      [1010, 1050],
    ]);
  });

  it('encodes causes after "Caused by:" and non-errors as text, in US-ASCII', () => {
    const buffer = new AtomicBuffer(new ArrayBuffer(64 * 1024));
    const log = new DistinctErrorLog(buffer);
    const error = new Failure('outer', { cause: new Failure('inner \u00e9') });
    expect(encodeError(error)).toContain('\nCaused by: Failure: inner \u00e9\n');
    log.record(error);
    log.recordEncoded('a C-style description');
    const read = readAllErrors(buffer);
    expect(read[0]!.encodedException).toContain('Caused by: Failure: inner ?');
    expect(read[1]!.encodedException).toBe('a C-style description');
  });

  it('records nothing when a new error does not fit, and keeps counting the ones that did', () => {
    const buffer = new AtomicBuffer(new ArrayBuffer(128));
    const log = new DistinctErrorLog(buffer, () => 5);
    expect(log.recordEncoded('x'.repeat(60))).toBe(true);
    expect(log.recordEncoded('y'.repeat(60))).toBe(false);
    expect(log.recordEncoded('x'.repeat(60))).toBe(true);
    const read: ErrorObservation[] = readAllErrors(buffer);
    expect(read).toHaveLength(1);
    expect(read[0]!.observationCount).toBe(2);
  });
});

describe('LossReport', () => {
  it('writes entries that the reader returns with their observations', () => {
    const buffer = new AtomicBuffer(new ArrayBuffer(4096));
    const report = new LossReport(buffer);
    const first = report.createEntry(100, 1000, 7, 1001, 'aeron:udp?endpoint=localhost:40123', '127.0.0.1:50000');
    const second = report.createEntry(8, 1500, -3, 1002, 'aeron:udp?endpoint=localhost:40124', '[::1]:1');
    expect(first).not.toBeNull();
    expect(second!.offset).toBe(128); // 40 + align(4 + 34, 4) + 4 + 15 = 99 -> 64-byte aligned
    first!.recordObservation(50, 2000);
    first!.recordObservation(25, 3000);
    const entries: LossReportEntry[] = [];
    expect(readLossReport(buffer, (e) => entries.push(e))).toBe(2);
    expect(entries[0]).toEqual({
      observationCount: 3,
      totalBytesLost: 175,
      firstObservationTimestamp: 1000,
      lastObservationTimestamp: 3000,
      sessionId: 7,
      streamId: 1001,
      channel: 'aeron:udp?endpoint=localhost:40123',
      source: '127.0.0.1:50000',
    });
    expect(entries[1]).toMatchObject({ observationCount: 1, totalBytesLost: 8, sessionId: -3, source: '[::1]:1' });
  });

  it('returns null when the report is full', () => {
    const report = new LossReport(new AtomicBuffer(new ArrayBuffer(128)));
    expect(report.createEntry(1, 1, 1, 1, 'c'.repeat(40), 's')).not.toBeNull();
    expect(report.createEntry(1, 1, 1, 1, 'c'.repeat(40), 's')).toBeNull();
  });
});
