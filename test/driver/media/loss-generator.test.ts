/**
 * Fault injection generators (src/driver/media/loss-generator.ts, src/driver/media/debug/*): java.util.Random's
 * sequence, determinism from the seed, rates within tolerance over 100,000 datagrams, frame-type filtering (frames
 * of other types pass without consuming a draw), the fixed and multi-gap generators' once-only drops, Java's and
 * aeron-ts's property names, and the same drop decisions as Java's own generators
 * (test/driver/java/LossGeneratorProbe.java).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aeronJarPath } from '../../../harness/aeron-jars.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../../harness/java.ts';
import { MediaDriverError } from '../../../src/driver/driver-error.ts';
import {
  DEBUG_FAULT_PROPERTY_NAMES,
  debugChannelEndpointConfiguration,
  RECEIVE_DATA_FRAME_TYPES,
} from '../../../src/driver/media/debug/debug-channel-endpoint-configuration.ts';
import {
  FRAME_FAULT_DELAY,
  FRAME_FAULT_DROP,
  FRAME_FAULT_DUPLICATE,
  FRAME_FAULT_NONE,
  FrameFaultGenerator,
} from '../../../src/driver/media/debug/frame-fault-generator.ts';
import { JavaRandom } from '../../../src/driver/media/debug/java-random.ts';
import {
  FixedLossGenerator,
  type LossGenerator,
  MultiGapLossGenerator,
  RandomLossGenerator,
} from '../../../src/driver/media/loss-generator.ts';
import {
  DataHeaderFlyweight,
  HDR_TYPE_DATA,
  HDR_TYPE_NAK,
  HDR_TYPE_SETUP,
  HDR_TYPE_SM,
} from '../../../src/logbuffer/data-header-flyweight.ts';
import { AtomicBuffer } from '../../../src/transport/atomic-buffer.ts';
import { describeInterop } from '../../support/describe-interop.ts';

const buffer = new AtomicBuffer(new ArrayBuffer(1024));
const header = new DataHeaderFlyweight().wrap(buffer, 0);

function frame(type: number): void {
  header.setFrameLength(64).setHeaderType(type);
}

function randomBits(generator: LossGenerator, count: number): string {
  frame(HDR_TYPE_DATA);
  let bits = '';
  for (let i = 0; i < count; i++) bits += generator.shouldDropFrame(null, buffer, 0, 64) ? '1' : '0';
  return bits;
}

/** The DATA frames of LossGeneratorProbe.run: two passes over sessions 7-8, terms 0-2, offsets 0-32,768. */
function dataFrameBits(generator: LossGenerator): string {
  let bits = '';
  for (let pass = 0; pass < 2; pass++) {
    for (let termId = 0; termId <= 2; termId++) {
      for (let termOffset = 0; termOffset <= 32768; termOffset += 1024) {
        for (let sessionId = 7; sessionId <= 8; sessionId++) {
          header
            .setFrameLength(1024)
            .setHeaderType(HDR_TYPE_DATA)
            .setStreamId(1001)
            .setSessionId(sessionId)
            .setTermId(termId)
            .setTermOffset(termOffset);
          bits += generator.shouldDropFrame(null, buffer, 0, 1024) ? '1' : '0';
        }
      }
    }
  }
  return bits;
}

function count(bits: string): number {
  return bits.split('').filter((b) => b === '1').length;
}

describe('JavaRandom', () => {
  it('draws java.util.Random’s sequence (values printed by Java 17 for seeds 42 and -7)', () => {
    const r = new JavaRandom(42);
    expect([r.nextDouble(), r.nextDouble(), r.nextDouble()]).toEqual([
      0.7275636800328681, 0.6832234717598454, 0.30871945533265976,
    ]);
    const s = new JavaRandom(-7n);
    expect([s.nextInt(), s.nextDouble()]).toEqual([1155869324, 0.9014975826916275]);
  });
});

describe('RandomLossGenerator and FrameFaultGenerator', () => {
  it('are deterministic from the seed', () => {
    const a = randomBits(new RandomLossGenerator(0.2, 99), 5000);
    expect(randomBits(new RandomLossGenerator(0.2, 99), 5000)).toBe(a);
    expect(randomBits(new RandomLossGenerator(0.2, 100), 5000)).not.toBe(a);
    expect(randomBits(new FrameFaultGenerator({ dropRate: 0.2, seed: 99 }), 5000)).toBe(a);
  });

  it('drop 10 % of 100,000 datagrams within 0.5 %, and never at rate 0', () => {
    const dropped = count(randomBits(new RandomLossGenerator(0.1, 7), 100_000));
    expect(Math.abs(dropped - 10_000)).toBeLessThan(500);
    expect(count(randomBits(new FrameFaultGenerator({ dropRate: 0, duplicateRate: 0.5, seed: 1 }), 10_000))).toBe(0);
  });

  it('decide drop, duplicate and delay at their rates, the drops being the random loss generator’s', () => {
    const faults = new FrameFaultGenerator({ dropRate: 0.1, duplicateRate: 0.05, delayRate: 0.02, seed: 3 });
    const loss = new RandomLossGenerator(0.1, 3);
    frame(HDR_TYPE_DATA);
    const counts = [0, 0, 0, 0];
    let disagreements = 0;
    for (let i = 0; i < 100_000; i++) {
      const decision = faults.decide(null, buffer, 0, 64);
      counts[decision]!++;
      if ((decision === FRAME_FAULT_DROP) !== loss.shouldDropFrame(null, buffer, 0, 64)) disagreements++;
    }
    expect(disagreements).toBe(0);
    expect(Math.abs(counts[FRAME_FAULT_DROP]! - 10_000)).toBeLessThan(500);
    expect(Math.abs(counts[FRAME_FAULT_DUPLICATE]! - 5_000)).toBeLessThan(400);
    expect(Math.abs(counts[FRAME_FAULT_DELAY]! - 2_000)).toBeLessThan(250);
    expect(counts[FRAME_FAULT_NONE]).toBe(100_000 - counts[1]! - counts[2]! - counts[3]!);
  });

  it('apply only to their frame types; other frames pass without consuming a draw', () => {
    const onlyData = new RandomLossGenerator(0.5, 11, RECEIVE_DATA_FRAME_TYPES);
    const reference = new RandomLossGenerator(0.5, 11);
    let bits = '';
    let expected = '';
    for (let i = 0; i < 2000; i++) {
      frame(i % 3 === 0 ? HDR_TYPE_SM : i % 3 === 1 ? HDR_TYPE_NAK : HDR_TYPE_SETUP);
      const drop = onlyData.shouldDropFrame(null, buffer, 0, 64);
      if (i % 3 !== 2) {
        expect(drop).toBe(false);
        continue;
      }
      bits += drop ? '1' : '0';
      expected += reference.shouldDropFrame(null, buffer, 0, 64) ? '1' : '0';
    }
    expect(bits).toBe(expected);
    expect(onlyData.shouldDropFrame(null, buffer, 0, 4)).toBe(false);
  });

  it('refuse rates outside 0-1 or summing above 1', () => {
    expect(() => new FrameFaultGenerator({ dropRate: 1.5 })).toThrow(MediaDriverError);
    expect(() => new FrameFaultGenerator({ dropRate: 0.6, duplicateRate: 0.6 })).toThrow(/above 1/);
  });
});

describe('FixedLossGenerator and MultiGapLossGenerator', () => {
  it('drop their ranges of one term once per session, never the retransmissions', () => {
    const fixed = dataFrameBits(new FixedLossGenerator(1, 4096, 3000));
    expect(count(fixed)).toBe(6);
    expect(count(fixed.slice(fixed.length / 2))).toBe(0);
    const gaps = dataFrameBits(new MultiGapLossGenerator(1, 4096, 1024, 4));
    expect(count(gaps)).toBe(8);
    expect(() => new MultiGapLossGenerator(1, 1000, 1024, 4)).toThrow('gapLength must be smaller than gapRadix');
    frame(HDR_TYPE_SM);
    expect(new FixedLossGenerator(0, 0, 1 << 30).shouldDropFrame(null, buffer, 0, 64)).toBe(false);
  });
});

describe('debugChannelEndpointConfiguration', () => {
  it('reads Java’s aeron.debug.* loss properties and aeron-ts’s duplicate/reorder rates; null when all are 0', () => {
    expect(DEBUG_FAULT_PROPERTY_NAMES).toContain('aeron.debug.receive.data.loss.rate');
    expect(DEBUG_FAULT_PROPERTY_NAMES).toContain('aeron.debug.send.control.loss.seed');
    const none = debugChannelEndpointConfiguration({});
    expect([none.sendData, none.sendControl, none.receiveData, none.receiveControl]).toEqual([null, null, null, null]);
    const config = debugChannelEndpointConfiguration({
      'aeron.debug.receive.data.loss.rate': '0.1',
      'aeron.debug.receive.data.loss.seed': '12345',
      'aeron.debug.send.control.loss.rate': '0.25',
      'aeron.ts.debug.send.duplicate.rate': '0.05',
      'aeron.ts.debug.receive.reorder.rate': '0.02',
    });
    expect(config.receiveData?.dropRate).toBe(0.1);
    expect(config.receiveData?.delayRate).toBe(0.02);
    expect(config.sendControl?.dropRate).toBe(0.25);
    expect(config.sendData?.duplicateRate).toBe(0.05);
    expect(config.sendData?.dropRate).toBe(0);
    expect(config.receiveControl).toBeNull();
    // The receive data generator ignores SMs, and drops DATA frames as RandomLossGenerator(0.1, 12345).
    frame(HDR_TYPE_SM);
    expect(config.receiveData?.decide(null, buffer, 0, 64)).toBe(FRAME_FAULT_NONE);
    const expected = new RandomLossGenerator(0.1, 12345);
    frame(HDR_TYPE_DATA);
    for (let i = 0; i < 1000; i++) {
      const decision = config.receiveData!.decide(null, buffer, 0, 64);
      expect(decision === FRAME_FAULT_DROP).toBe(expected.shouldDropFrame(null, buffer, 0, 64));
    }
    expect(() => debugChannelEndpointConfiguration({ 'aeron.debug.send.data.loss.rate': 'lots' })).toThrow(
      MediaDriverError,
    );
  });
});

describeInterop('loss generators vs Java 1.51.0 (LossGeneratorProbe.java)', () => {
  it('drop exactly the datagrams Java’s RandomLossGenerator, FixedLossGenerator and MultiGapLossGenerator drop', async () => {
    const classes = compileJava({
      sources: [join(import.meta.dirname, '..', 'java', 'LossGeneratorProbe.java')],
      classpath: [aeronJarPath()],
    });
    const result = await runJava({
      classpath: [classes, aeronJarPath()],
      mainClass: 'LossGeneratorProbe',
      jvmArgs: AERON_JVM_FLAGS,
      timeoutMs: 120_000,
    });
    expect(result.code, result.stderr).toBe(0);
    const java = new Map(
      result.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' ') as [string, string]),
    );
    expect(randomBits(new RandomLossGenerator(0.1, 12345), 20_000)).toBe(java.get('RANDOM'));
    expect(dataFrameBits(new FixedLossGenerator(1, 4096, 3000))).toBe(java.get('FIXED'));
    expect(dataFrameBits(new MultiGapLossGenerator(1, 4096, 1024, 4))).toBe(java.get('MULTIGAP'));
  }, 180_000);
});

describe('HeldDatagram', () => {
  it('holds one datagram and its address for a DELAY, refuses a second, and releases', async () => {
    const { HeldDatagram } = await import('../../../src/driver/media/debug/held-datagram.ts');
    const { SocketAddress } = await import('../../../src/driver/media/socket-address.ts');
    const held = new HeldDatagram(1408);
    const source = new AtomicBuffer(new ArrayBuffer(2048));
    for (let i = 0; i < 300; i++) source.putInt8(100 + i, i);
    const from = SocketAddress.of({ host: '127.0.0.1', port: 40123, family: 4 });
    expect(held.isHeld).toBe(false);
    expect(held.hold(source, 100, 300, from)).toBe(true);
    expect([held.isHeld, held.length, held.address()?.toString()]).toEqual([true, 300, '127.0.0.1:40123']);
    expect(Array.from(held.buffer.bytes.subarray(0, 300))).toEqual(Array.from(source.bytes.subarray(100, 400)));
    expect(held.hold(source, 0, 10, null)).toBe(false);
    held.release();
    expect(held.hold(source, 0, 1409, null)).toBe(false);
    expect(held.hold(source, 0, 32, null)).toBe(true);
    expect(held.address()).toBeNull();
  });
});
