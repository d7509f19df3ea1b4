/**
 * The harness's `ts` mode: AERON_TEST_DRIVER=ts selects the TypeScript media driver, started as
 * `aeron-ts driver <properties file>` in a child process with the harness's Java-named settings, ready when its
 * cnc.dat is, stopped by PID with SIGTERM (clean exit 0, heartbeat -1, directory removed); the CLI refuses a
 * second driver on its live directory with the typed error's message.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type DriverHandle,
  driverFromEnvironment,
  externalDriver,
  startMediaDriver,
  TS_DRIVER,
} from '../../harness/driver.ts';
import { TS_DRIVER_KIND } from '../../harness/driver-kind.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { AtomicBuffer } from '../../src/transport/atomic-buffer.ts';
import { CNC_FILE, cncRegions, validateCnc } from '../../src/transport/cnc-descriptor.ts';
import { CountersReader } from '../../src/transport/counters-reader.ts';
import { MappedFile } from '../../src/transport/mapped-file.ts';
import { ManyToOneRingBuffer } from '../../src/transport/ring-buffer.ts';
import { CLI_MAIN, runCliProcess } from '../cli/support/run-cli.ts';
import { awaitCondition } from '../support/wait.ts';

const START_MS = 120_000;

afterAll(() => assertNoLeftovers());

describe('AERON_TEST_DRIVER=ts', () => {
  it('selects the TypeScript driver, run through the CLI unless a command is given', () => {
    expect(driverFromEnvironment({ AERON_TEST_DRIVER: 'ts' })).toBe(TS_DRIVER);
    expect(TS_DRIVER.command?.slice(-2)).toEqual([CLI_MAIN, 'driver']);
    expect(
      driverFromEnvironment({ AERON_TEST_DRIVER: 'ts', AERON_TEST_DRIVER_COMMAND: '/opt/aeron-ts driver' }),
    ).toEqual(externalDriver(TS_DRIVER_KIND, ['/opt/aeron-ts', 'driver']));
    expect(TS_DRIVER_KIND.propertyPassing).toBe('file');
    expect(TS_DRIVER_KIND.softwareVersion(undefined)).toBe('1.51.0');
    expect(TS_DRIVER_KIND.lossProperties({ rate: 0.1, seed: 1 })).toEqual({
      'aeron.debug.receive.data.loss.rate': '0.1',
      'aeron.debug.receive.data.loss.seed': '1',
    });
  });

  it(
    'starts `aeron-ts driver <properties>` with the harness settings, refuses a second driver, stops by SIGTERM',
    async () => {
      let driver: DriverHandle | undefined;
      try {
        driver = await startMediaDriver({
          driver: TS_DRIVER,
          properties: { 'aeron.counters.buffer.length': '1m' },
          readyTimeoutMs: START_MS,
        });
        expect(driver.kind).toBe(TS_DRIVER_KIND);
        expect(driver.softwareVersion).toBe('1.51.0');
        expect(driver.properties['aeron.threading.mode']).toBe('SHARED');
        const mapping = MappedFile.open(join(driver.aeronDir, CNC_FILE));
        try {
          const buffer = new AtomicBuffer(mapping.buffer);
          const header = validateCnc(buffer);
          expect(header.pid).toBe(driver.pid);
          expect(header.countersValuesBufferLength).toBe(1024 * 1024);
          const regions = cncRegions(buffer, header);
          const counters = new CountersReader(regions.countersMetadata, regions.countersValues);
          expect(counters.getCounterLabel(26)).toBe('Conductor max cycle time doing its work in ns: SHARED');
          const ring = new ManyToOneRingBuffer(regions.toDriver);
          const first = ring.consumerHeartbeatTime();
          await awaitCondition('a fresher driver heartbeat', () => ring.consumerHeartbeatTime() > first, 30_000);

          const second = await runCliProcess([
            'driver',
            `-Daeron.dir=${driver.aeronDir}`,
            '-Daeron.counters.buffer.length=1m',
          ]);
          expect(second.code).toBe(1);
          expect(second.stderr).toMatch(/^aeron-ts: Active media driver detected/);

          expect(driver.output()).toContain(`media driver ready: dir=${driver.aeronDir} pid=${driver.pid}`);
          expect(driver.output()).toContain('ignored (not read by this driver): aeron.shared.idle.strategy');
          await driver.stop();
          expect(await driver.exited).toEqual({ code: 0, signal: null });
          expect(ring.consumerHeartbeatTime()).toBe(-1);
          expect(existsSync(driver.aeronDir)).toBe(false);
        } finally {
          mapping.close();
        }
      } finally {
        await driver?.stop();
      }
    },
    4 * START_MS,
  );

  it(
    'reports a setting it refuses with the property named, and no driver is left',
    async () => {
      const error = await startMediaDriver({
        driver: TS_DRIVER,
        properties: { 'aeron.term.buffer.length': '16q' },
        readyTimeoutMs: START_MS,
      }).catch((e: unknown) => e);
      expect(String(error)).toMatch(/exited before it was ready \(code 1/);
      expect(String(error)).toContain('aeron-ts: aeron.term.buffer.length=16q should end with: k, m, or g');
    },
    2 * START_MS,
  );
});
