/**
 * Client counters against the real Java media driver: ADD_COUNTER with key and label is visible through the
 * CnC counters (as Java's CountersReader sees them), available/unavailable counter handlers, static counters,
 * the poll-able async form, and REMOVE_COUNTER on close.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { RECORD_ALLOCATED } from '../../src/transport/index.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';

describeInterop('client counters against the Java media driver', () => {
  let driver: DriverHandle | undefined;

  beforeAll(async () => {
    driver = await startMediaDriver();
  });

  afterAll(async () => {
    await driver?.stop();
  });

  it('addCounter: label, key, type, registration and owner ids as the driver stored them', async () => {
    const available: Array<[number, number]> = [];
    const unavailable: Array<[number, number]> = [];
    await using aeron = await Aeron.connect({
      aeronDir: driver!.aeronDir,
      onAvailableCounter: (_reader, registrationId, counterId) => available.push([registrationId, counterId]),
      onUnavailableCounter: (_reader, registrationId, counterId) => unavailable.push([registrationId, counterId]),
    });
    const key = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const counter = await aeron.addCounter(2002, 'aeron-ts counter label', key);
    const reader = aeron.countersReader;
    expect(reader.getCounterState(counter.id)).toBe(RECORD_ALLOCATED);
    expect(reader.getCounterTypeId(counter.id)).toBe(2002);
    expect(reader.getCounterLabel(counter.id)).toBe('aeron-ts counter label');
    expect(counter.label()).toBe('aeron-ts counter label');
    expect(reader.getCounterRegistrationId(counter.id)).toBe(counter.registrationId);
    expect(reader.getCounterOwnerId(counter.id)).toBe(aeron.clientId);
    const storedKey = new Uint8Array(9);
    reader.getCounterKey(counter.id).getBytes(0, storedKey, 0, 9);
    expect([...storedKey]).toEqual([...key]);
    expect(aeron.findCounterByTypeIdAndRegistrationId(2002, counter.registrationId)).toBe(counter.id);
    expect(aeron.findCounters(2002, (k) => k.getUint8(0) === 1)).toEqual([counter.id]);
    expect(available).toContainEqual([counter.registrationId, counter.id]);

    counter.set(42);
    expect(counter.get()).toBe(42);
    expect(reader.getCounterValue(counter.id)).toBe(42);
    expect(counter.increment()).toBe(42);
    expect(counter.get()).toBe(43);

    counter.close();
    expect(counter.isClosed).toBe(true);
    await awaitCondition('counter freed', () => reader.getCounterState(counter.id) !== RECORD_ALLOCATED);
    await awaitCondition('unavailable notification', () =>
      unavailable.some(([registrationId]) => registrationId === counter.registrationId),
    );
  });

  it('sees other clients counters become available, and polls async adds', async () => {
    await using watcher = await Aeron.connect({ aeronDir: driver!.aeronDir });
    const seen: number[] = [];
    const handlerId = watcher.addAvailableCounterHandler((_r, registrationId) => seen.push(registrationId));
    await using other = await Aeron.connect({ aeronDir: driver!.aeronDir });
    const id = other.asyncAddCounter(2003, 'async counter');
    let counter = other.getCounter(id);
    await awaitCondition('async counter ready', () => {
      counter = other.getCounter(id);
      return counter !== null;
    });
    expect(counter!.registrationId).toBe(id);
    await awaitCondition('watcher notified', () => seen.includes(id));
    expect(watcher.removeAvailableCounterHandler(handlerId)).toBe(true);
  });

  it('static counters are shared by (type, registration id) and survive the client', async () => {
    const registrationId = 777_000 + (process.pid % 1000);
    let counterId: number;
    {
      await using aeron = await Aeron.connect({ aeronDir: driver!.aeronDir });
      const first = await aeron.addStaticCounter(2004, 'static one', registrationId);
      const again = await aeron.addStaticCounter(2004, 'static one', registrationId);
      expect(again.id).toBe(first.id);
      expect(first.registrationId).toBe(registrationId);
      expect(first.clientOwned).toBe(false);
      counterId = first.id;
    }
    await using later = await Aeron.connect({ aeronDir: driver!.aeronDir });
    expect(later.countersReader.getCounterState(counterId)).toBe(RECORD_ALLOCATED);
    expect(later.findCounterByTypeIdAndRegistrationId(2004, registrationId)).toBe(counterId);
  });

  it('closing the client removes its counters', async () => {
    const aeron = await Aeron.connect({ aeronDir: driver!.aeronDir });
    const counter = await aeron.addCounter(2005, 'owned by a closing client');
    const reader = aeron.countersReader;
    const values = { state: () => reader.getCounterState(counter.id) };
    expect(values.state()).toBe(RECORD_ALLOCATED);
    aeron.close();
    await using observer = await Aeron.connect({ aeronDir: driver!.aeronDir });
    await awaitCondition(
      'counter freed after CLIENT_CLOSE',
      () => observer.countersReader.getCounterState(counter.id) !== RECORD_ALLOCATED,
    );
  });
});
