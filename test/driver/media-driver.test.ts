/**
 * The TypeScript media driver's files, as a client reads them: `cnc.dat` in Aeron 1.51.0's layout and version
 * (header, regions, system counters), the to-driver consumer heartbeat stamped by the duty cycle and set to -1
 * on close, `loss-report.dat`, the active-driver check at start, and option validation.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeAeronDir, removeDir } from '../../harness/temp-dir.ts';
import { MediaDriverError } from '../../src/driver/driver-error.ts';
import { MediaDriver } from '../../src/driver/media-driver.ts';
import { SystemCounterDescriptors } from '../../src/driver/system-counters.ts';
import { AtomicBuffer, LONG_MAX_VALUE } from '../../src/transport/atomic-buffer.ts';
import { CNC_METADATA_LENGTH, cncRequiredLength, validateCnc } from '../../src/transport/cnc-descriptor.ts';
import { RECORD_ALLOCATED } from '../../src/transport/counters-descriptor.ts';
import { hasErrors, readAllErrors } from '../../src/transport/distinct-error-log-reader.ts';
import { MappedFile } from '../../src/transport/mapped-file.ts';
import { CncVersionError } from '../../src/transport/transport-error.ts';
import { CncView, launchTestDriver, SMALL_DRIVER, type TestDriver, waitFor } from './support.ts';

const MIB = 1024 * 1024;
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function started(options: Parameters<typeof launchTestDriver>[0] = {}, small = true): Promise<TestDriver> {
  const driver = await launchTestDriver(options, small);
  cleanups.push(() => driver.close());
  return driver;
}

function freshDir(): string {
  const dir = makeAeronDir();
  cleanups.push(() => removeDir(dir));
  return dir;
}

describe('MediaDriver: cnc.dat', () => {
  it("writes the 1.51.0 header: version 0.2.0, Java's default buffer lengths, pid, start time, liveness", async () => {
    const { driver, aeronDir } = await started({}, false);
    using view = new CncView(aeronDir);
    const header = validateCnc(new AtomicBuffer(view.mapping.buffer));
    expect(header.cncVersion).toBe(0x200);
    expect(header.toDriverBufferLength).toBe(MIB + 768);
    expect(header.toClientsBufferLength).toBe(MIB + 128);
    expect(header.countersValuesBufferLength).toBe(8 * MIB);
    expect(header.countersMetadataBufferLength).toBe(32 * MIB);
    expect(header.errorLogBufferLength).toBe(4 * MIB);
    expect(header.clientLivenessTimeoutNs).toBe(10_000_000_000);
    expect(header.pid).toBe(process.pid);
    expect(header.filePageSize).toBe(4096);
    expect(Math.abs(header.startTimestampMs - Date.now())).toBeLessThan(10 * 60_000);
    const fileLength = statSync(join(aeronDir, 'cnc.dat')).size;
    expect(fileLength % 4096).toBe(0);
    expect(fileLength).toBe(Math.ceil(cncRequiredLength(header) / 4096) * 4096);
    expect(driver.cnc.length).toBe(fileLength);
    expect(view.ring.maxMsgLength).toBe(128 * 1024);
    expect(statSync(join(aeronDir, 'loss-report.dat')).size).toBe(MIB);
    expect(statSync(join(aeronDir, 'publications')).isDirectory()).toBe(true);
    expect(statSync(join(aeronDir, 'images')).isDirectory()).toBe(true);
  });

  it('takes its options for the buffer lengths, liveness timeout and page size', async () => {
    const { aeronDir } = await started({
      conductorBufferLength: 2 * MIB + 768,
      toClientsBufferLength: 2 * MIB + 128,
      counterValuesBufferLength: 2 * MIB,
      errorBufferLength: 5 * MIB,
      clientLivenessTimeoutNs: 5_000_000_000,
      filePageSize: 8192,
      lossReportBufferLength: MIB + 1,
    });
    using view = new CncView(aeronDir);
    const header = validateCnc(new AtomicBuffer(view.mapping.buffer));
    expect(header).toMatchObject({
      toDriverBufferLength: 2 * MIB + 768,
      toClientsBufferLength: 2 * MIB + 128,
      countersValuesBufferLength: 2 * MIB,
      countersMetadataBufferLength: 8 * MIB,
      errorLogBufferLength: 5 * MIB,
      clientLivenessTimeoutNs: 5_000_000_000,
      filePageSize: 8192,
    });
    expect(statSync(join(aeronDir, 'cnc.dat')).size % 8192).toBe(0);
    expect(statSync(join(aeronDir, 'loss-report.dat')).size).toBe(MIB + 8192);
  });

  it("allocates Java's 46 system counters first: id = key = registration id, type 0, owner -1", async () => {
    const { aeronDir } = await started();
    using view = new CncView(aeronDir);
    const counters = view.counters;
    for (const { id, label } of Object.values(SystemCounterDescriptors)) {
      expect(counters.getCounterState(id)).toBe(RECORD_ALLOCATED);
      expect(counters.getCounterTypeId(id)).toBe(0);
      expect(counters.getCounterKey(id).getInt32(0)).toBe(id);
      expect(counters.getCounterRegistrationId(id)).toBe(id);
      expect(counters.getCounterOwnerId(id)).toBe(-1);
      expect(counters.getCounterLabel(id).startsWith(label)).toBe(true);
      expect(counters.getFreeForReuseDeadline(id)).toBe(LONG_MAX_VALUE);
    }
    expect(counters.getCounterLabel(0)).toBe('Bytes sent');
    expect(counters.getCounterLabel(15)).toBe('Errors: version=0.1.0 commit=aeron-ts');
    expect(counters.getCounterLabel(26)).toBe('Conductor max cycle time doing its work in ns: INVOKER');
    expect(counters.getCounterLabel(27)).toBe('Conductor work cycle exceeded threshold count: threshold=100ms INVOKER');
    expect(counters.getCounterLabel(33)).toBe('NameResolver exceeded threshold count: threshold=5s');
    expect(counters.getCounterValue(34)).toBe((1 << 16) | (51 << 8));
    expect(counters.getCounterValue(43)).toBe(0x010000);
    expect(counters.getCounterValue(35)).toBeGreaterThan(11 * MIB);
    expect(counters.findByTypeIdAndRegistrationId(0, 43)).toBe(43);
    let allocated = 0;
    counters.forEach(() => {
      allocated++;
    });
    expect(allocated).toBe(46);
  });

  it('hands out correlation ids from 1 and stamps the consumer heartbeat from the duty cycle', async () => {
    const { aeronDir } = await started({
      timerIntervalNs: 50_000_000,
      clientLivenessTimeoutNs: 1_000_000_000,
      publicationUnblockTimeoutNs: 2_000_000_000,
    });
    using view = new CncView(aeronDir);
    expect(view.ring.nextCorrelationId()).toBe(1);
    const first = view.ring.consumerHeartbeatTime();
    expect(first).toBeGreaterThan(0);
    await waitFor('a newer heartbeat', () => view.ring.consumerHeartbeatTime() > first);
  });

  it('sets the heartbeat to -1 on close, unmaps, and keeps or deletes the directory as asked', async () => {
    const kept = await launchTestDriver();
    cleanups.push(() => removeDir(kept.aeronDir));
    using view = new CncView(kept.aeronDir);
    await kept.driver.close();
    await kept.driver.close();
    expect(kept.driver.isClosed).toBe(true);
    expect(view.ring.consumerHeartbeatTime()).toBe(-1);
    expect(existsSync(join(kept.aeronDir, 'cnc.dat'))).toBe(true);

    const dir = freshDir();
    const deleted = await MediaDriver.launch({ ...SMALL_DRIVER, aeronDir: dir, dirDeleteOnShutdown: true });
    await deleted.close();
    expect(existsSync(dir)).toBe(false);
  });
});

describe('MediaDriver: the Aeron directory at start', () => {
  it('refuses a directory whose cnc.dat has a live heartbeat (ACTIVE_DRIVER), leaving it intact', async () => {
    const { aeronDir } = await started();
    const error = await MediaDriver.launch({ ...SMALL_DRIVER, aeronDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaDriverError);
    expect((error as MediaDriverError).code).toBe('ACTIVE_DRIVER');
    using view = new CncView(aeronDir);
    expect(view.ring.consumerHeartbeatTime()).toBeGreaterThan(0);
  });

  it('deletes a stale directory (heartbeat -1) and saves its errors beside it, as Java does', async () => {
    const dir = freshDir();
    const old = await MediaDriver.launch({ ...SMALL_DRIVER, aeronDir: dir });
    old.errorLog.record(new Error('left behind'));
    writeFileSync(join(dir, 'publications', 'stale.logbuffer'), 'x');
    await old.close();

    const fresh = await MediaDriver.launch({ ...SMALL_DRIVER, aeronDir: dir });
    cleanups.push(() => fresh.close());
    expect(existsSync(join(dir, 'publications', 'stale.logbuffer'))).toBe(false);
    expect(fresh.savedErrorsFile).not.toBeNull();
    cleanups.push(() => rmSync(fresh.savedErrorsFile!, { force: true }));
    const saved = readFileSync(fresh.savedErrorsFile!, 'ascii');
    expect(saved).toMatch(/1 observations from .* for:\nError: left behind/);
    expect(saved).toContain('1 distinct errors observed.');
    expect(hasErrors(fresh.cnc.regions.errorLog)).toBe(false);
  });

  it('deletes any directory with dirDeleteOnStart, even a live driver’s', async () => {
    const { aeronDir, driver: first } = await started();
    const second = await MediaDriver.launch({ ...SMALL_DRIVER, aeronDir, dirDeleteOnStart: true });
    cleanups.push(() => second.close());
    expect(second.cnc.layout.startTimestampMs).toBeGreaterThanOrEqual(first.cnc.layout.startTimestampMs);
  });

  it('treats a cnc.dat not longer than its header, or no cnc.dat, as stale', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'cnc.dat'), Buffer.alloc(CNC_METADATA_LENGTH));
    writeFileSync(join(dir, 'other'), 'x');
    const driver = await MediaDriver.launch({ ...SMALL_DRIVER, aeronDir: dir });
    cleanups.push(() => driver.close());
    expect(existsSync(join(dir, 'other'))).toBe(false);
  });

  it('waits for an uninitialised cnc.dat, then refuses (CNC_NOT_INITIALISED) and deletes nothing', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'cnc.dat'), Buffer.alloc(4096));
    const error = await MediaDriver.launch({ ...SMALL_DRIVER, aeronDir: dir, driverTimeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MediaDriverError);
    expect((error as MediaDriverError).code).toBe('CNC_NOT_INITIALISED');
    expect(existsSync(join(dir, 'cnc.dat'))).toBe(true);
  });

  it('refuses a cnc.dat of another major version (CncVersionError)', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'cnc.dat'), Buffer.alloc(4096));
    const mapping = MappedFile.open(join(dir, 'cnc.dat'));
    new AtomicBuffer(mapping.buffer).putInt32Ordered(0, 0x010000);
    mapping.close();
    const error = await MediaDriver.launch({ ...SMALL_DRIVER, aeronDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CncVersionError);
    expect(existsSync(join(dir, 'cnc.dat'))).toBe(true);
  });

  it('refuses a path that is a file (DIRECTORY)', async () => {
    const dir = freshDir();
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const error = await MediaDriver.launch({ ...SMALL_DRIVER, aeronDir: file }).catch((e: unknown) => e);
    expect((error as MediaDriverError).code).toBe('DIRECTORY');
  });

  it('creates missing parent directories', async () => {
    const dir = freshDir();
    const nested = join(dir, 'a', 'b');
    mkdirSync(join(dir, 'a'));
    const driver = await MediaDriver.launch({ ...SMALL_DRIVER, aeronDir: nested });
    cleanups.push(() => driver.close());
    expect(existsSync(join(nested, 'cnc.dat'))).toBe(true);
  });
});

describe('MediaDriver: options', () => {
  it.each([
    ['conductorBufferLength', { conductorBufferLength: MIB }],
    ['conductorBufferLength', { conductorBufferLength: 3 * MIB + 768 }],
    ['toClientsBufferLength', { toClientsBufferLength: 512 * 1024 + 128 }],
    ['counterValuesBufferLength', { counterValuesBufferLength: 512 * 1024 }],
    ['counterValuesBufferLength', { counterValuesBufferLength: 501 * MIB }],
    ['errorBufferLength', { errorBufferLength: MIB }],
    ['filePageSize', { filePageSize: 1000 }],
    ['publicationUnblockTimeoutNs', { publicationUnblockTimeoutNs: 10_000_000_000 }],
    ['clientLivenessTimeoutNs', { clientLivenessTimeoutNs: 1_000_000_000 }],
    ['driverTimeoutMs', { driverTimeoutMs: 0 }],
  ])('refuses a bad %s (INVALID_CONFIGURATION) before touching the directory', async (name, options) => {
    const dir = freshDir();
    const error = await MediaDriver.launch({ ...SMALL_DRIVER, aeronDir: dir, ...options }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaDriverError);
    expect((error as MediaDriverError).code).toBe('INVALID_CONFIGURATION');
    expect((error as MediaDriverError).message).toContain(name);
    expect(existsSync(join(dir, 'cnc.dat'))).toBe(false);
  });

  it('records errors of the duty cycle in the error log', async () => {
    const { driver, aeronDir } = await started();
    driver.errorLog.record(new MediaDriverError('DIRECTORY', 'example'));
    using view = new CncView(aeronDir);
    expect(readAllErrors(view.regions.errorLog)[0]!.encodedException).toMatch(/^MediaDriverError: example/);
  });
});
