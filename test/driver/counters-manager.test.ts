/**
 * CountersManager (src/transport/counters-manager.ts), read back with our CountersReader: allocation order and
 * fields, labels and keys, free, the free-to-reuse cool-down (driven by an injected clock), and Java's errors.
 */
import { describe, expect, it } from 'vitest';
import { IllegalStateError, InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { AtomicBuffer, LONG_MAX_VALUE } from '../../src/transport/atomic-buffer.ts';
import { AtomicCounter } from '../../src/transport/atomic-counter.ts';
import {
  MAX_LABEL_LENGTH,
  RECORD_ALLOCATED,
  RECORD_RECLAIMED,
  RECORD_UNUSED,
} from '../../src/transport/counters-descriptor.ts';
import { CountersManager } from '../../src/transport/counters-manager.ts';
import { CountersReader } from '../../src/transport/counters-reader.ts';
import { CountersError } from '../../src/transport/transport-error.ts';

function buffers(counters: number): { metadata: AtomicBuffer; values: AtomicBuffer } {
  return {
    metadata: new AtomicBuffer(new ArrayBuffer(counters * 512)),
    values: new AtomicBuffer(new ArrayBuffer(counters * 128)),
  };
}

function manager(
  counters = 8,
  freeToReuseTimeoutMs = 1000,
): {
  manager: CountersManager;
  reader: CountersReader;
  clock: { now: number };
} {
  const { metadata, values } = buffers(counters);
  const clock = { now: 1_000_000 };
  return {
    manager: new CountersManager(metadata, values, () => clock.now, freeToReuseTimeoutMs),
    reader: new CountersReader(metadata, values),
    clock,
  };
}

describe('CountersManager', () => {
  it('allocates ids in order with type, key, label and Long.MAX_VALUE reuse deadline', () => {
    const { manager: m, reader } = manager();
    const a = m.allocate('first', 7, (key) => key.putInt64(0, 42));
    const b = m.allocate('second');
    expect([a, b]).toEqual([0, 1]);
    expect(reader.getCounterState(a)).toBe(RECORD_ALLOCATED);
    expect(reader.getCounterTypeId(a)).toBe(7);
    expect(reader.getCounterKey(a).getInt64(0)).toBe(42);
    expect(reader.getCounterLabel(a)).toBe('first');
    expect(reader.getFreeForReuseDeadline(a)).toBe(LONG_MAX_VALUE);
    expect(reader.getCounterTypeId(b)).toBe(0);
    expect(reader.getCounterState(2)).toBe(RECORD_UNUSED);
    const seen: string[] = [];
    reader.forEach((_id, _type, _key, label) => {
      seen.push(label);
    });
    expect(seen).toEqual(['first', 'second']);
  });

  it('sets value, registration, owner and reference ids, label and key', () => {
    const { manager: m, reader } = manager();
    const id = m.allocate('c');
    m.setCounterValue(id, 123);
    m.setCounterRegistrationId(id, 55);
    m.setCounterOwnerId(id, -1);
    m.setCounterReferenceId(id, 9);
    m.setCounterLabel(id, 'renamed');
    expect(m.appendToLabel(id, ': more')).toBe(6);
    m.setCounterKey(id, (key) => key.putInt32(0, 77));
    expect(reader.getCounterValue(id)).toBe(123);
    expect(reader.getCounterRegistrationId(id)).toBe(55);
    expect(reader.getCounterOwnerId(id)).toBe(-1);
    expect(reader.getCounterReferenceId(id)).toBe(9);
    expect(reader.getCounterLabel(id)).toBe('renamed: more');
    expect(reader.getCounterKey(id).getInt32(0)).toBe(77);
    expect(reader.findByTypeIdAndRegistrationId(0, 55)).toBe(id);
  });

  it('truncates labels to 380 ASCII bytes and writes non-ASCII as ?', () => {
    const { manager: m, reader } = manager();
    const id = m.allocate('x'.repeat(500));
    expect(reader.getCounterLabel(id)).toBe('x'.repeat(MAX_LABEL_LENGTH));
    expect(m.appendToLabel(id, 'more')).toBe(0);
    const other = m.allocate('caf\u00e9');
    expect(reader.getCounterLabel(other)).toBe('caf?');
  });

  it('allocates from buffers, truncating the key to 112 and the label to 380 bytes', () => {
    const { manager: m, reader } = manager();
    const command = new AtomicBuffer(new ArrayBuffer(1024));
    for (let i = 0; i < 200; i++) command.putInt8(i, i);
    command.putStringWithoutLengthAscii(200, 'L'.repeat(400));
    const id = m.allocateFromBuffers(1001, command, 0, 200, command, 200, 400);
    expect(reader.getCounterTypeId(id)).toBe(1001);
    expect(reader.getCounterKey(id).getInt8(111)).toBe(111);
    expect(reader.getCounterLabel(id)).toBe('L'.repeat(380));
    expect(() => m.allocateFromBuffers(1, null, 0, 0, command, 0, -1)).toThrow(InvalidArgumentError);
  });

  it('frees: RECLAIMED, key zeroed, reuse deadline = now + cool-down; readers skip it', () => {
    const { manager: m, reader, clock } = manager();
    const a = m.allocate('a', 1, (key) => key.putInt64(0, 99));
    m.allocate('b');
    m.free(a);
    expect(reader.getCounterState(a)).toBe(RECORD_RECLAIMED);
    expect(reader.getCounterKey(a).getInt64(0)).toBe(0);
    expect(reader.getFreeForReuseDeadline(a)).toBe(clock.now + 1000);
    const seen: number[] = [];
    reader.forEach((id) => {
      seen.push(id);
    });
    expect(seen).toEqual([1]);
  });

  it('reuses a freed id only after the free-to-reuse cool-down, with its value and ids reset', () => {
    const { manager: m, reader, clock } = manager();
    const a = m.allocate('a');
    m.setCounterValue(a, 5);
    m.setCounterRegistrationId(a, 50);
    m.setCounterOwnerId(a, 500);
    m.setCounterReferenceId(a, 5000);
    m.free(a);
    const available = m.available();
    clock.now += 999;
    expect(m.allocate('during cool-down')).toBe(1);
    expect(m.available()).toBe(available - 1);
    clock.now += 1;
    expect(m.available()).toBe(available);
    const reused = m.allocate('after cool-down');
    expect(reused).toBe(a);
    expect(reader.getCounterLabel(a)).toBe('after cool-down');
    expect(reader.getCounterValue(a)).toBe(0);
    expect(reader.getCounterRegistrationId(a)).toBe(0);
    expect(reader.getCounterOwnerId(a)).toBe(0);
    expect(reader.getCounterReferenceId(a)).toBe(0);
  });

  it('reuses at once with a zero cool-down', () => {
    const { manager: m } = manager(8, 0);
    const a = m.allocate('a');
    m.free(a);
    expect(m.allocate('again')).toBe(a);
  });

  it("throws Java's errors: full, not allocated, bad id, short metadata", () => {
    const { manager: m } = manager(2);
    m.allocate('a');
    m.allocate('b');
    expect(m.available()).toBe(0);
    expect(() => m.allocate('c')).toThrow(IllegalStateError);
    expect(() => m.allocate('c')).toThrow(/buffer is full: maxCounterId=1/);
    m.free(0);
    expect(() => m.free(0)).toThrow(IllegalStateError);
    expect(() => m.free(2)).toThrow(CountersError);
    expect(() => m.setCounterValue(-1, 0)).toThrow(CountersError);
    const { values } = buffers(4);
    expect(() => new CountersManager(new AtomicBuffer(new ArrayBuffer(512)), values)).toThrow(InvalidArgumentError);
  });

  it('AtomicCounter reads, writes, adds, proposes a max and frees once', () => {
    const { manager: m, reader } = manager();
    const counter = new AtomicCounter(m.valuesBuffer, m.allocate('a'), m);
    counter.set(10);
    expect(counter.increment()).toBe(10);
    expect(counter.getAndAdd(5)).toBe(11);
    expect(counter.proposeMax(3)).toBe(false);
    expect(counter.proposeMax(30)).toBe(true);
    expect(counter.get()).toBe(30);
    expect(reader.getCounterValue(counter.id)).toBe(30);
    counter.close();
    counter.close();
    expect(counter.isClosed).toBe(true);
    expect(reader.getCounterState(counter.id)).toBe(RECORD_RECLAIMED);
  });
});
