/**
 * The environment contract of the interop harness (top of driver.ts): which driver AERON_TEST_DRIVER and
 * AERON_TEST_DRIVER_COMMAND select, the clear errors for a bad selection, and how each driver description
 * turns the harness's settings into its own (no process is started here).
 */
import { describe, expect, it } from 'vitest';
import { driverFromEnvironment, JAVA_DRIVER } from '../../harness/driver.ts';
import { C_DRIVER_KIND, JAVA_DRIVER_KIND, propertyToEnvName } from '../../harness/driver-kind.ts';

describe('driver selection from the environment', () => {
  it('defaults to the harness-launched Java driver', () => {
    expect(driverFromEnvironment({})).toBe(JAVA_DRIVER);
    expect(driverFromEnvironment({ AERON_TEST_DRIVER: 'java' })).toBe(JAVA_DRIVER);
  });

  it('takes a command as words or as a JSON array', () => {
    expect(driverFromEnvironment({ AERON_TEST_DRIVER: 'c', AERON_TEST_DRIVER_COMMAND: ' /opt/aeronmd ' })).toEqual({
      kind: C_DRIVER_KIND,
      command: ['/opt/aeronmd'],
    });
    expect(
      driverFromEnvironment({
        AERON_TEST_DRIVER_COMMAND: '["java", "-cp", "/a b/aeron.jar", "io.aeron.driver.MediaDriver"]',
      }),
    ).toEqual({ kind: JAVA_DRIVER_KIND, command: ['java', '-cp', '/a b/aeron.jar', 'io.aeron.driver.MediaDriver'] });
  });

  it('refuses a bad selection with a message that says what to do', () => {
    expect(() => driverFromEnvironment({ AERON_TEST_DRIVER: 'c' })).toThrow(/needs AERON_TEST_DRIVER_COMMAND/);
    expect(() => driverFromEnvironment({ AERON_TEST_DRIVER: 'rust' })).toThrow(
      /unknown driver \(one of: java, c, ts\)/,
    );
    expect(() => driverFromEnvironment({ AERON_TEST_DRIVER_COMMAND: '["java", 1]' })).toThrow(/array of strings/);
  });
});

describe('driver descriptions', () => {
  it('name the C driver settings as aeronmd reads them', () => {
    expect(propertyToEnvName('aeron.dir.delete.on.start')).toBe('AERON_DIR_DELETE_ON_START');
    expect(C_DRIVER_KIND.propertyPassing).toBe('env');
    expect(JAVA_DRIVER_KIND.propertyPassing).toBe('file');
  });

  it('inject loss each in its own driver terms', () => {
    expect(JAVA_DRIVER_KIND.lossProperties({ rate: 0.1, seed: 7 })).toEqual({
      'aeron.ReceiveChannelEndpoint.supplier': 'io.aeron.driver.ext.DebugReceiveChannelEndpointSupplier',
      'aeron.debug.receive.data.loss.rate': '0.1',
      'aeron.debug.receive.data.loss.seed': '7',
    });
    expect(C_DRIVER_KIND.lossProperties({ rate: 0.1, seed: 7 })).toEqual({
      'aeron.udp.channel.incoming.interceptors': 'loss',
      'aeron.udp.channel.transport.bindings.loss.args': 'rate=0.1|seed=7|recv-msg-mask=0x63',
    });
  });
});
