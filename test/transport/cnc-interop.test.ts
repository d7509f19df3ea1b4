/**
 * Against the real Java media driver (pinned 1.51.0 jar): map its cnc.dat, validate it, read counters,
 * the heartbeat and the error log, and round-trip a command through the to-driver ring buffer and the
 * to-clients broadcast buffer (ADD_COUNTER -> ON_COUNTER_READY, CLIENT_CLOSE -> counter freed).
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { AtomicBuffer, LONG_MAX_VALUE } from '../../src/transport/atomic-buffer.ts';
import { BroadcastReceiver } from '../../src/transport/broadcast-receiver.ts';
import {
  CNC_FILE,
  CNC_METADATA_LENGTH,
  type CncRegions,
  cncRegions,
  validateCnc,
} from '../../src/transport/cnc-descriptor.ts';
import { CopyBroadcastReceiver } from '../../src/transport/copy-broadcast-receiver.ts';
import { RECORD_ALLOCATED } from '../../src/transport/counters-descriptor.ts';
import { CountersReader } from '../../src/transport/counters-reader.ts';
import { hasErrors } from '../../src/transport/distinct-error-log-reader.ts';
import { MappedFile } from '../../src/transport/mapped-file.ts';
import { ManyToOneRingBuffer } from '../../src/transport/ring-buffer.ts';
import { describeInterop } from '../support/describe-interop.ts';

const ADD_COUNTER = 0x09;
const CLIENT_CLOSE = 0x0b;
const ON_COUNTER_READY = 0x0f08;
const ON_UNAVAILABLE_COUNTER = 0x0f09;
const CONTROL_PROTOCOL_VERSION_1_0_0 = 0x010000;

describeInterop('CnC interop with the Java media driver', () => {
  let driver: DriverHandle | undefined;
  let cnc: MappedFile | undefined;
  let regions: CncRegions;
  let ring: ManyToOneRingBuffer;
  let counters: CountersReader;

  beforeAll(async () => {
    driver = await startMediaDriver();
    cnc = MappedFile.open(join(driver.aeronDir, CNC_FILE), { expectedMinLength: CNC_METADATA_LENGTH });
    const buffer = new AtomicBuffer(cnc.buffer);
    regions = cncRegions(buffer, validateCnc(buffer));
    ring = new ManyToOneRingBuffer(regions.toDriver);
    counters = new CountersReader(regions.countersMetadata, regions.countersValues);
  });

  afterAll(async () => {
    await driver?.stop();
    cnc?.close();
  });

  it('validates the header written by the driver', () => {
    const header = validateCnc(new AtomicBuffer(cnc!.buffer));
    expect(header.cncVersion).toBe(0x200);
    expect(header.pid).toBe(driver!.pid);
    expect(header.clientLivenessTimeoutNs).toBe(10_000_000_000);
    expect(header.filePageSize).toBe(4096);
    expect(header.toDriverBufferLength).toBe(1024 * 1024 + 768);
    expect(header.toClientsBufferLength).toBe(1024 * 1024 + 128);
    expect(header.countersMetadataBufferLength).toBe(header.countersValuesBufferLength * 4);
    expect(Math.abs(header.startTimestampMs - Date.now())).toBeLessThan(10 * 60_000);
    expect(ring.maxMsgLength).toBe(128 * 1024);
  });

  it('reads the driver heartbeat through the ring buffer and sees it advance', async () => {
    const first = ring.consumerHeartbeatTime();
    expect(first).toBeGreaterThan(0);
    expect(Math.abs(first - Date.now())).toBeLessThan(60_000);
    const deadline = Date.now() + 20_000;
    while (ring.consumerHeartbeatTime() === first && Date.now() < deadline) await sleep(50);
    expect(ring.consumerHeartbeatTime()).toBeGreaterThan(first);
  });

  it('reads the system counters', () => {
    const system = new Map<number, string>();
    counters.forEach((id, typeId, _key, label) => {
      if (typeId === 0) system.set(id, label);
    });
    expect(system.get(0)).toBe('Bytes sent');
    expect(system.get(1)).toBe('Bytes received');
    // the driver's own release (AeronCounters.formatVersionInfo in Java, aeron_system_counters.c in C)
    const software = system.get(34) ?? '';
    expect(software.startsWith(`Aeron software: version=${driver!.softwareVersion} commit=`), software).toBe(true);
    expect(counters.findByTypeIdAndRegistrationId(0, 43)).toBe(43);
    expect(system.get(43)).toBe('Control protocol version');
    expect(counters.getCounterValue(43)).toBe(CONTROL_PROTOCOL_VERSION_1_0_0);
    expect(counters.getCounterState(0)).toBe(RECORD_ALLOCATED);
    expect(counters.getFreeForReuseDeadline(0)).toBe(LONG_MAX_VALUE);
    expect(hasErrors(regions.errorLog)).toBe(false);
  });

  it('round-trips ADD_COUNTER and CLIENT_CLOSE through the real driver', async () => {
    const events = new CopyBroadcastReceiver(new BroadcastReceiver(regions.toClients));
    const clientId = ring.nextCorrelationId();
    const correlationId = ring.nextCorrelationId();
    expect(clientId).toBeGreaterThan(0);
    expect(correlationId).toBe(clientId + 1);

    const label = 'aeron-ts transport interop';
    const command = new AtomicBuffer(new ArrayBuffer(256));
    command.putInt64(0, clientId);
    command.putInt64(8, correlationId);
    command.putInt32(16, 1001); // type id
    command.putInt32(20, 0); // key length
    const length = 24 + command.putStringAscii(24, label);
    expect(ring.write(ADD_COUNTER, command, 0, length)).toBe(true);

    const ready = new Map<number, number>();
    const unavailable = new Set<number>();
    const poll = (): void => {
      events.receive((type, buffer, index) => {
        if (type === ON_COUNTER_READY) ready.set(buffer.getInt64(index), buffer.getInt32(index + 8));
        if (type === ON_UNAVAILABLE_COUNTER) unavailable.add(buffer.getInt64(index));
      });
    };
    let deadline = Date.now() + 20_000;
    while (!ready.has(correlationId) && Date.now() < deadline) {
      poll();
      await sleep(5);
    }
    const counterId = ready.get(correlationId);
    expect(counterId).toBeDefined();
    expect(ready.has(clientId)).toBe(true); // the driver's heartbeat counter for this new client id
    expect(counters.getCounterLabel(counterId!)).toBe(label);
    expect(counters.getCounterTypeId(counterId!)).toBe(1001);
    expect(counters.getCounterRegistrationId(counterId!)).toBe(correlationId);
    expect(counters.getCounterOwnerId(counterId!)).toBe(clientId);
    expect(counters.findByTypeIdAndRegistrationId(1001, correlationId)).toBe(counterId);

    command.putInt64(0, clientId);
    command.putInt64(8, -1);
    expect(ring.write(CLIENT_CLOSE, command, 0, 16)).toBe(true);
    deadline = Date.now() + 20_000;
    while (counters.getCounterState(counterId!) === RECORD_ALLOCATED && Date.now() < deadline) {
      poll();
      await sleep(5);
    }
    expect(counters.getCounterState(counterId!)).not.toBe(RECORD_ALLOCATED);
    expect(counters.getFreeForReuseDeadline(counterId!)).toBeLessThan(LONG_MAX_VALUE);
    expect(counters.findByTypeIdAndRegistrationId(1001, correlationId)).toBe(-1);
  });

  it('sees the heartbeat set to -1 when the driver shuts down cleanly', async () => {
    await driver!.stop();
    const exit = await driver!.exited;
    if (exit.signal === 'SIGKILL') return; // not a clean shutdown: nothing to check
    expect(ring.consumerHeartbeatTime()).toBe(-1);
  });
});
