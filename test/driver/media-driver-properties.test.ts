/**
 * The driver's options from Aeron's Java property names: Agrona's size and duration syntax, every row of the
 * property table, the AERON_* environment form, the order of sources, unknown names ignored, bad values
 * refused with the property named, and Java properties-file syntax.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import { MediaDriverError } from '../../src/driver/driver-error.ts';
import { resolveMediaDriverContext } from '../../src/driver/media-driver-context.ts';
import {
  DRIVER_PROPERTIES,
  mediaDriverOptionsFromProperties,
  propertiesFromEnvironment,
  propertyEnvName,
} from '../../src/driver/media-driver-properties.ts';
import { loadPropertiesFile, parseProperties } from '../../src/driver/properties-file.ts';
import { parseDuration, parseSize } from '../../src/driver/system-util.ts';

const dir = makeTestDir('driver-properties');
afterAll(() => removeDir(dir));

function refusal(run: () => unknown): MediaDriverError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(MediaDriverError);
    expect((e as MediaDriverError).code).toBe('INVALID_CONFIGURATION');
    return e as MediaDriverError;
  }
  throw new Error('expected a MediaDriverError');
}

describe('SystemUtil value syntax', () => {
  it.each([
    ['1408', 1408],
    ['64k', 65536],
    ['64K', 65536],
    ['16m', 16 * 1024 * 1024],
    ['1g', 1024 * 1024 * 1024],
    ['0', 0],
  ])('size %s = %d', (text, bytes) => {
    expect(parseSize('aeron.x', text)).toBe(bytes);
  });

  it.each([
    ['1000', 1000],
    ['1000ns', 1000],
    ['500us', 500_000],
    ['10ms', 10_000_000],
    ['10MS', 10_000_000],
    ['5s', 5_000_000_000],
  ])('duration %s = %d ns', (text, ns) => {
    expect(parseDuration('aeron.x', text)).toBe(ns);
  });

  it.each(['', '-1', '12x', 'k', '1.5m', '99999999999g'])('size %j is refused naming the property', (text) => {
    expect(refusal(() => parseSize('aeron.mtu.length', text)).message).toContain('aeron.mtu.length');
  });

  it.each(['', '-5s', '5h', 'ms', '1.5s', '10 s'])('duration %j is refused naming the property', (text) => {
    expect(refusal(() => parseDuration('aeron.timer.interval', text)).message).toContain('aeron.timer.interval');
  });
});

/** One value in each row's syntax and the option value it must give. */
const ROW_SAMPLES: Readonly<Record<string, readonly [string, unknown]>> = {
  'aeron.dir': ['/tmp/aeron-x', '/tmp/aeron-x'],
  'aeron.dir.delete.on.start': ['true', true],
  'aeron.dir.delete.on.shutdown': ['TRUE', true],
  'aeron.driver.timeout': ['2000', 2000],
  'aeron.client.liveness.timeout': ['5s', 5_000_000_000],
  'aeron.publication.unblock.timeout': ['20s', 20_000_000_000],
  'aeron.image.liveness.timeout': ['3s', 3_000_000_000],
  'aeron.timer.interval': ['100ms', 100_000_000],
  'aeron.counters.free.to.reuse.timeout': ['0', 0],
  'aeron.conductor.buffer.length': ['1049344', 1049344],
  'aeron.clients.buffer.length': ['1048704', 1048704],
  'aeron.counters.buffer.length': ['1m', 1048576],
  'aeron.error.buffer.length': ['8m', 8388608],
  'aeron.loss.report.buffer.length': ['2m', 2097152],
  'aeron.file.page.size': ['8k', 8192],
  'aeron.driver.conductor.cycle.threshold': ['50ms', 50_000_000],
  'aeron.threading.mode': ['shared', 'SHARED'],
  'aeron.ipc.term.buffer.length': ['64k', 65536],
  'aeron.term.buffer.length': ['128k', 131072],
  'aeron.ipc.mtu.length': ['8k', 8192],
  'aeron.mtu.length': ['4096', 4096],
  'aeron.ipc.publication.term.window.length': ['32k', 32768],
  'aeron.publication.term.window.length': ['64k', 65536],
  'aeron.publication.linger.timeout': ['1s', 1_000_000_000],
  'aeron.publication.reserved.session.id.low': ['-10', -10],
  'aeron.publication.reserved.session.id.high': ['2000', 2000],
  'aeron.term.buffer.sparse.file': ['false', false],
  'aeron.spies.simulate.connection': ['true', true],
  'aeron.tether.subscriptions': ['false', false],
  'aeron.untethered.window.limit.timeout': ['6s', 6_000_000_000],
  'aeron.untethered.resting.timeout': ['11s', 11_000_000_000],
  'aeron.untethered.linger.timeout': ['7s', 7_000_000_000],
  'aeron.rejoin.stream': ['false', false],
  'aeron.socket.so_sndbuf': ['256k', 262144],
  'aeron.socket.so_rcvbuf': ['2m', 2097152],
  'aeron.rcv.initial.window.length': ['64k', 65536],
  'aeron.rcv.status.message.timeout': ['100ms', 100_000_000],
  'aeron.send.to.status.poll.ratio': ['4', 4],
  'aeron.publication.connection.timeout': ['2s', 2_000_000_000],
  'aeron.retransmit.unicast.delay': ['1ms', 1_000_000],
  'aeron.retransmit.unicast.linger': ['20ms', 20_000_000],
  'aeron.nak.unicast.delay': ['60us', 60_000],
  'aeron.nak.unicast.retry.delay.ratio': ['50', 50],
  'aeron.nak.multicast.max.backoff': ['5ms', 5_000_000],
  'aeron.nak.multicast.group.size': ['20', 20],
  'aeron.socket.multicast.ttl': ['8', 8],
  'aeron.driver.reresolution.check.interval': ['500ms', 500_000_000],
};

describe('the property table', () => {
  it('has a sample for every row, and no sample without a row', () => {
    expect(Object.keys(ROW_SAMPLES).sort()).toEqual(DRIVER_PROPERTIES.map((p) => p.name).sort());
  });

  it.each(DRIVER_PROPERTIES.map((p) => [p.name, p.option] as const))('%s sets %s', (name, option) => {
    const [text, expected] = ROW_SAMPLES[name]!;
    const { options, ignored } = mediaDriverOptionsFromProperties([{ [name]: text }]);
    expect(options).toEqual({ [option]: expected });
    expect(ignored).toEqual([]);
  });

  it('gives options the context accepts (every sample at once)', () => {
    const samples = Object.fromEntries(Object.entries(ROW_SAMPLES).map(([name, [text]]) => [name, text]));
    const { options } = mediaDriverOptionsFromProperties([samples]);
    const context = resolveMediaDriverContext({ aeronDir: '/tmp/unused', ...options });
    expect(context.publicationLingerTimeoutNs).toBe(1_000_000_000);
    expect(context.threadingMode).toBe('SHARED');
  });

  it('reads AERON_* environment variables named as the C driver names them', () => {
    expect(propertyEnvName('aeron.dir.delete.on.start')).toBe('AERON_DIR_DELETE_ON_START');
    const env = { AERON_DIR: '/tmp/from-env', AERON_TERM_BUFFER_LENGTH: '64k', AERON_UNRELATED: 'x', PATH: '/bin' };
    expect(propertiesFromEnvironment(env)).toEqual({ 'aeron.dir': '/tmp/from-env', 'aeron.term.buffer.length': '64k' });
    const { options } = mediaDriverOptionsFromProperties([], env);
    expect(options).toEqual({ aeronDir: '/tmp/from-env', publicationTermBufferLength: 65536 });
  });

  it('applies sources in order over the environment: a later value replaces an earlier one', () => {
    const env = { AERON_DIR: '/tmp/env', AERON_MTU_LENGTH: '4k' };
    const { options } = mediaDriverOptionsFromProperties(
      [{ 'aeron.dir': '/tmp/file', 'aeron.timer.interval': '1s' }, { 'aeron.timer.interval': '2s' }],
      env,
    );
    expect(options).toEqual({ aeronDir: '/tmp/file', mtuLength: 4096, timerIntervalNs: 2_000_000_000 });
  });

  it('ignores aeron.* names it does not read (as Java does) and reports them; other names silently', () => {
    const { options, ignored } = mediaDriverOptionsFromProperties([
      { 'aeron.shared.idle.strategy': 'backoff', 'aeron.dir': '/tmp/x', 'java.io.tmpdir': '/tmp' },
    ]);
    expect(options).toEqual({ aeronDir: '/tmp/x' });
    expect(ignored).toEqual(['aeron.shared.idle.strategy']);
  });

  it('collects the fault injection properties, from -D sets and AERON_* variables, into debugFaultProperties', () => {
    const env = { AERON_DEBUG_RECEIVE_DATA_LOSS_RATE: '0.1', AERON_DEBUG_RECEIVE_DATA_LOSS_SEED: '7' };
    expect(propertiesFromEnvironment(env)).toEqual({
      'aeron.debug.receive.data.loss.rate': '0.1',
      'aeron.debug.receive.data.loss.seed': '7',
    });
    const { options, ignored } = mediaDriverOptionsFromProperties(
      [{ 'aeron.debug.send.control.loss.rate': '0.2', 'aeron.ts.debug.send.reorder.rate': '0.05', 'aeron.dir': '/x' }],
      env,
    );
    expect(ignored).toEqual([]);
    expect(options).toEqual({
      aeronDir: '/x',
      debugFaultProperties: {
        'aeron.debug.receive.data.loss.rate': '0.1',
        'aeron.debug.receive.data.loss.seed': '7',
        'aeron.debug.send.control.loss.rate': '0.2',
        'aeron.ts.debug.send.reorder.rate': '0.05',
      },
    });
    const context = resolveMediaDriverContext({ aeronDir: '/tmp/unused', ...options });
    expect(context.debugFaultProperties['aeron.debug.send.control.loss.rate']).toBe('0.2');
    expect(resolveMediaDriverContext({ aeronDir: '/tmp/unused' }).debugFaultProperties).toEqual({});
  });

  it.each([
    ['aeron.debug.send.data.loss.rate', 'often'],
    ['aeron.debug.receive.data.loss.rate', '1.5'],
    ['aeron.ts.debug.send.duplicate.rate', '-0.1'],
  ])('fault property %s=%s is refused by the context with a typed error', (name, value) => {
    const { options } = mediaDriverOptionsFromProperties([{ [name]: value }]);
    refusal(() => resolveMediaDriverContext({ aeronDir: '/tmp/unused', ...options }));
  });

  it.each([
    ['aeron.term.buffer.length', '16q'],
    ['aeron.client.liveness.timeout', '10 minutes'],
    ['aeron.dir.delete.on.start', 'yes'],
    ['aeron.driver.timeout', '10s'],
    ['aeron.threading.mode', 'DEDICATED'],
    ['aeron.publication.reserved.session.id.low', '1e3'],
    ['aeron.dir', ''],
  ])('%s=%s is refused with a typed error naming the property', (name, value) => {
    expect(refusal(() => mediaDriverOptionsFromProperties([{ [name]: value }])).message).toContain(name);
  });
});

describe('properties files', () => {
  it("reads Java's syntax: separators, comments, continuations, escapes; later duplicates win", () => {
    const text = [
      '# comment',
      '  ! another comment',
      'aeron.dir = /tmp/a',
      'aeron.mtu.length:8k',
      'aeron.timer.interval 100ms',
      'aeron.ipc.term.buffer.length=\\',
      '    128k',
      'aeron.x\\=y=a\\tb\\u0041',
      '',
      'aeron.dir=/tmp/b',
    ].join('\n');
    expect(parseProperties(text)).toEqual({
      'aeron.dir': '/tmp/b',
      'aeron.mtu.length': '8k',
      'aeron.timer.interval': '100ms',
      'aeron.ipc.term.buffer.length': '128k',
      'aeron.x=y': 'a\tbA',
    });
  });

  it('loads a file; a missing file is a typed error naming it', () => {
    const file = join(dir, 'driver.properties');
    writeFileSync(file, 'aeron.dir=/tmp/c\r\naeron.threading.mode=INVOKER\r\n');
    expect(loadPropertiesFile(file)).toEqual({ 'aeron.dir': '/tmp/c', 'aeron.threading.mode': 'INVOKER' });
    expect(refusal(() => loadPropertiesFile(join(dir, 'missing.properties'))).message).toContain('missing.properties');
  });
});
