/**
 * `Aeron.connect` and the client conductor against the real Java media driver (pinned 1.51.0 jar):
 * connect/close, keepalive, ON_ERROR → RegistrationError, driver absent/dead, broken cnc.dat, client timeout.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { allThreadsStopped } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import {
  AeronClosedError,
  ClientTimeoutError,
  DriverTimeoutError,
  RegistrationError,
} from '../../src/client/errors.ts';
import { CncFormatError, CncVersionError, DRIVER_HEARTBEAT_TYPE_ID } from '../../src/transport/index.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';

function heartbeatCounterId(aeron: Aeron): number {
  const ids = aeron.findCounters(DRIVER_HEARTBEAT_TYPE_ID, (key) => key.getInt64(0) === aeron.clientId);
  return ids[0] ?? -1;
}

describeInterop('Aeron.connect against the Java media driver', () => {
  let driver: DriverHandle | undefined;

  beforeAll(async () => {
    driver = await startMediaDriver();
  });

  afterAll(async () => {
    await driver?.stop();
  });

  it('connects, reads the driver, and closes without leaving timers or pending work', async () => {
    const closed: string[] = [];
    const aeron = await Aeron.connect({ aeronDir: driver!.aeronDir, onClose: () => closed.push('ctx') });
    expect(aeron.clientId).toBeGreaterThan(0);
    expect(aeron.controlProtocolVersion).toBe(0x010000);
    expect(aeron.interServiceTimeoutNs).toBe(10_000_000_000);
    expect(aeron.countersReader.getCounterLabel(0)).toBe('Bytes sent');
    aeron.addCloseHandler(() => closed.push('added'));
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    aeron.close();
    aeron.close();
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(after).toBe(before - 1);
    expect(aeron.isClosed).toBe(true);
    expect(closed.sort()).toEqual(['added', 'ctx']);
    await expect(aeron.addCounter(1001, 'x')).rejects.toBeInstanceOf(AeronClosedError);
  });

  it('keeps its heartbeat counter (type 11) advancing while the application is idle', async () => {
    await using aeron = await Aeron.connect({ aeronDir: driver!.aeronDir, clientName: 'idle-client' });
    await aeron.addCounter(1001, 'make the driver see this client');
    await awaitCondition('heartbeat counter', () => heartbeatCounterId(aeron) >= 0);
    const id = heartbeatCounterId(aeron);
    const values = aeron.countersReader;
    await awaitCondition('label suffix', () => values.getCounterLabel(id).includes('name=idle-client'));
    expect(values.getCounterLabel(id)).toMatch(/^client-heartbeat: id=\d+ name=idle-client version=/);
    let previous = values.getCounterValue(id);
    for (let i = 0; i < 3; i++) {
      await awaitCondition('heartbeat advance', () => values.getCounterValue(id) > previous, 10_000);
      previous = values.getCounterValue(id);
    }
    expect(Math.abs(previous - Date.now())).toBeLessThan(30_000);
  });

  it('turns ON_ERROR for an invalid channel into RegistrationError with INVALID_CHANNEL', async () => {
    await using aeron = await Aeron.connect({ aeronDir: driver!.aeronDir });
    const error = await aeron.addPublication('aeron:udp?endpoint=', 1001).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistrationError);
    const registration = error as RegistrationError;
    expect(registration.code).toBe('REGISTRATION');
    expect(registration.errorCodeName).toBe('INVALID_CHANNEL');
    expect(registration.errorCode).toBe(1);
    expect(registration.driverMessage.length).toBeGreaterThan(0);

    const id = aeron.asyncAddSubscription('aeron:bogus?x=y', 1001);
    let thrown: unknown;
    await awaitCondition('async error', () => {
      try {
        return aeron.getSubscription(id) !== null;
      } catch (e) {
        thrown = e;
        return true;
      }
    });
    expect(thrown).toBeInstanceOf(RegistrationError);
    expect((thrown as RegistrationError).errorCodeName).toBe('INVALID_CHANNEL');
  });

  it('removing an unknown registration is a typed RegistrationError', async () => {
    await using aeron = await Aeron.connect({ aeronDir: driver!.aeronDir });
    const unknown = aeron.nextCorrelationId() + 1_000_000;
    const pub = await aeron.removePublication(unknown).catch((e: unknown) => e);
    expect(pub).toBeInstanceOf(RegistrationError);
    expect((pub as RegistrationError).errorCodeName).toBe('UNKNOWN_PUBLICATION');
    const sub = await aeron.removeSubscription(unknown).catch((e: unknown) => e);
    expect((sub as RegistrationError).errorCodeName).toBe('UNKNOWN_SUBSCRIPTION');
    const counter = await aeron.removeCounter(unknown).catch((e: unknown) => e);
    expect((counter as RegistrationError).errorCodeName).toBe('UNKNOWN_COUNTER');
  });

  it('asks the driver for the next session id', async () => {
    await using aeron = await Aeron.connect({ aeronDir: driver!.aeronDir });
    const sessionId = await aeron.nextSessionId(1001);
    expect(Number.isInteger(sessionId)).toBe(true);
  });
});

describeInterop('Aeron.connect without a usable driver', () => {
  const dirs: string[] = [];
  const freshDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'aeron-ts-test-c1-'));
    dirs.push(dir);
    return dir;
  };

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('an empty Aeron dir → DriverTimeoutError within the driver timeout', async () => {
    const started = Date.now();
    const error = await Aeron.connect({ aeronDir: freshDir(), driverTimeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriverTimeoutError);
    expect((error as DriverTimeoutError).code).toBe('DRIVER_TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a cnc.dat with a wrong major version → CncVersionError', async () => {
    const dir = freshDir();
    const bytes = new Uint8Array(4096);
    new DataView(bytes.buffer).setInt32(0, 0x010200, true); // 1.2.0
    writeFileSync(join(dir, 'cnc.dat'), bytes);
    const error = await Aeron.connect({ aeronDir: dir, driverTimeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CncVersionError);
    expect((error as CncVersionError).code).toBe('CNC_VERSION_MISMATCH');
  });

  it('a garbage cnc.dat → CncFormatError', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'cnc.dat'), new Uint8Array(4096).fill(0xab));
    const error = await Aeron.connect({ aeronDir: dir, driverTimeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CncFormatError);
    expect((error as CncFormatError).code).toBe('CNC_MALFORMED');
  });

  it('a cnc.dat that never gets its version → DriverTimeoutError', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'cnc.dat'), new Uint8Array(4096));
    const error = await Aeron.connect({ aeronDir: dir, driverTimeoutMs: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriverTimeoutError);
  });
});

describeInterop('driver death and client timeout', () => {
  it('a SIGKILLed driver → DriverTimeoutError via the error handler, and the client closes itself', async () => {
    const driver = await startMediaDriver();
    try {
      const errors: unknown[] = [];
      const aeron = await Aeron.connect({
        aeronDir: driver.aeronDir,
        driverTimeoutMs: 3_000,
        errorHandler: (e) => errors.push(e),
      });
      await aeron.addCounter(1001, 'alive');
      // Freeze the driver first so the next command can never be answered, then kill it. kill() returns before
      // every JVM thread has stopped, so wait until /proc shows them all stopped.
      driver.kill('SIGSTOP');
      await awaitCondition('driver threads stopped', () => allThreadsStopped(driver.pid), 10_000);
      const pending = aeron.addCounter(1001, 'never answered').catch((e: unknown) => e);
      driver.kill('SIGKILL');
      await driver.exited;
      const killedAt = Date.now();
      await awaitCondition('client closed', () => aeron.isClosed, 20_000);
      expect(Date.now() - killedAt).toBeLessThan(3_000 + 5_000);
      expect(errors.some((e) => e instanceof DriverTimeoutError)).toBe(true);
      // the command in flight gets the DriverTimeoutError itself, as Java's awaitResponse does
      const result = await pending;
      expect(result).toBeInstanceOf(DriverTimeoutError);
    } finally {
      await driver.stop();
    }
  });

  it('a client that stops servicing is timed out by the driver → ClientTimeoutError on resume', async () => {
    const driver = await startMediaDriver({
      properties: { 'aeron.client.liveness.timeout': '2s', 'aeron.driver.timer.interval': '100ms' },
    });
    try {
      const errors: unknown[] = [];
      const aeron = await Aeron.connect({
        aeronDir: driver.aeronDir,
        useConductorAgentInvoker: true,
        errorHandler: (e) => errors.push(e),
      });
      expect(aeron.interServiceTimeoutNs).toBe(2_000_000_000);
      const counter = await aeron.addCounter(1001, 'registers the client with the driver');
      // The driver frees this client's counter when it times the client out.
      await awaitCondition(
        'driver timed the client out',
        () => aeron.countersReader.getCounterState(counter.id) !== 1,
        20_000,
        50,
      );
      await sleep(200);
      aeron.doWork();
      expect(aeron.isClosed).toBe(true);
      expect(errors[0]).toBeInstanceOf(ClientTimeoutError);
      expect((errors[0] as ClientTimeoutError).code).toBe('CLIENT_TIMEOUT');
    } finally {
      await driver.stop();
    }
  });
});
