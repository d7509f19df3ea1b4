/**
 * The UDP frame flyweights of src/driver/protocol against Java 1.51.0's io.aeron.protocol flyweights: field offsets
 * as the Java sources declare them, round trips, 64-bit fields through words and bigints, SM group tag by frame
 * length, ERR group tag by flag, and the same frames written by Java's flyweights (test/driver/java/FrameProbe.java)
 * byte for byte, toString included.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { aeronJarPath } from '../../../harness/aeron-jars.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../../harness/java.ts';
import {
  ERR_ERROR_CODE_FIELD_OFFSET,
  ERR_ERROR_STRING_FIELD_OFFSET,
  ERR_GROUP_TAG_FIELD_OFFSET,
  ERR_RECEIVER_ID_FIELD_OFFSET,
  ERROR_HEADER_LENGTH,
  ErrorFlyweight,
  HAS_GROUP_ID_FLAG,
  MAX_ERROR_FRAME_LENGTH,
  MAX_ERROR_MESSAGE_LENGTH,
} from '../../../src/driver/protocol/error-flyweight.ts';
import {
  bigIntHighWord,
  bigIntLowWord,
  type HeaderFlyweight,
  int64BigInt,
} from '../../../src/driver/protocol/header-flyweight.ts';
import {
  NAK_HEADER_LENGTH,
  NAK_LENGTH_FIELD_OFFSET,
  NakFlyweight,
} from '../../../src/driver/protocol/nak-flyweight.ts';
import {
  RESPONSE_SETUP_HEADER_LENGTH,
  ResponseSetupFlyweight,
} from '../../../src/driver/protocol/response-setup-flyweight.ts';
import {
  REPLY_FLAG,
  RTT_MEASUREMENT_HEADER_LENGTH,
  RttMeasurementFlyweight,
} from '../../../src/driver/protocol/rtt-measurement-flyweight.ts';
import {
  GROUP_FLAG,
  SEND_RESPONSE_SETUP_FLAG,
  SETUP_HEADER_LENGTH,
  SETUP_TTL_FIELD_OFFSET,
  SetupFlyweight,
} from '../../../src/driver/protocol/setup-flyweight.ts';
import {
  END_OF_STREAM_FLAG,
  SEND_SETUP_FLAG,
  SM_GROUP_TAG_FIELD_OFFSET,
  SM_RECEIVER_ID_FIELD_OFFSET,
  STATUS_MESSAGE_HEADER_LENGTH,
  STATUS_MESSAGE_WITH_GROUP_TAG_LENGTH,
  StatusMessageFlyweight,
} from '../../../src/driver/protocol/status-message-flyweight.ts';
import {
  HDR_TYPE_ERR,
  HDR_TYPE_NAK,
  HDR_TYPE_RSP_SETUP,
  HDR_TYPE_RTTM,
  HDR_TYPE_SETUP,
  HDR_TYPE_SM,
} from '../../../src/logbuffer/data-header-flyweight.ts';
import { AtomicBuffer } from '../../../src/transport/atomic-buffer.ts';
import { describeInterop } from '../../support/describe-interop.ts';

function buffer(): AtomicBuffer {
  return new AtomicBuffer(new ArrayBuffer(2048));
}

function hex(frame: HeaderFlyweight): string {
  return Buffer.from(frame.buffer().bytes.subarray(frame.offset(), frame.offset() + frame.frameLength())).toString(
    'hex',
  );
}

/** The frames FrameProbe.java writes, built with our flyweights from the same values. */
function ourFrames(): Map<string, HeaderFlyweight> {
  const frames = new Map<string, HeaderFlyweight>();
  frames.set(
    'SETUP',
    new SetupFlyweight()
      .wrap(buffer(), 0)
      .setFrameLength(SETUP_HEADER_LENGTH)
      .setVersion(0)
      .setFlags(SEND_RESPONSE_SETUP_FLAG | GROUP_FLAG)
      .setHeaderType(HDR_TYPE_SETUP)
      .setTermOffset(1024)
      .setSessionId(-123456)
      .setStreamId(1001)
      .setInitialTermId(0x7ffffff0)
      .setActiveTermId(-2)
      .setTermLength(65536)
      .setMtuLength(1408)
      .setTtl(8),
  );
  const sm = () =>
    new StatusMessageFlyweight()
      .wrap(buffer(), 0)
      .setFrameLength(STATUS_MESSAGE_HEADER_LENGTH)
      .setVersion(0)
      .setHeaderType(HDR_TYPE_SM)
      .setSessionId(42)
      .setStreamId(7)
      .setConsumptionTermId(-5)
      .setConsumptionTermOffset(4096)
      .setReceiverWindowLength(131072)
      .setReceiverId(BigInt.asIntN(64, 0x8123456789abcdefn));
  frames.set('SM', sm().setFlags(SEND_SETUP_FLAG).setGroupTag(null));
  frames.set('SM-GTAG', sm().setFlags(END_OF_STREAM_FLAG).setGroupTag(0x1122334455667788n));
  frames.set(
    'NAK',
    new NakFlyweight()
      .wrap(buffer(), 0)
      .setFrameLength(NAK_HEADER_LENGTH)
      .setVersion(0)
      .setFlags(0)
      .setHeaderType(HDR_TYPE_NAK)
      .setSessionId(-1)
      .setStreamId(2)
      .setTermId(3)
      .setTermOffset(64)
      .setLength(1408),
  );
  frames.set(
    'RTTM',
    new RttMeasurementFlyweight()
      .wrap(buffer(), 0)
      .setFrameLength(RTT_MEASUREMENT_HEADER_LENGTH)
      .setVersion(0)
      .setFlags(REPLY_FLAG)
      .setHeaderType(HDR_TYPE_RTTM)
      .setSessionId(9)
      .setStreamId(10)
      .setEchoTimestampNsWords(0x01234567, 0x89abcdef | 0)
      .setReceptionDelta(12345)
      .setReceiverId(-2n),
  );
  frames.set(
    'ERR',
    new ErrorFlyweight()
      .wrap(buffer(), 0)
      .setFrameLength(ERROR_HEADER_LENGTH)
      .setVersion(0)
      .setFlags(0)
      .setHeaderType(HDR_TYPE_ERR)
      .setSessionId(77)
      .setStreamId(88)
      .setReceiverId(0x7fffffffffffffffn)
      .setGroupTag(-7n)
      .setErrorCode(10)
      .setErrorMessage('image rejected: no thanks'),
  );
  frames.set(
    'RSP_SETUP',
    new ResponseSetupFlyweight()
      .wrap(buffer(), 0)
      .setFrameLength(RESPONSE_SETUP_HEADER_LENGTH)
      .setVersion(0)
      .setFlags(0)
      .setHeaderType(HDR_TYPE_RSP_SETUP)
      .setSessionId(5)
      .setStreamId(6)
      .setResponseSessionId(-99),
  );
  return frames;
}

describe('UDP frame flyweights (io.aeron.protocol 1.51.0)', () => {
  it('have the lengths, flags and offsets the Java sources declare', () => {
    expect(SETUP_HEADER_LENGTH).toBe(40);
    expect(SETUP_TTL_FIELD_OFFSET).toBe(36);
    expect([SEND_RESPONSE_SETUP_FLAG, GROUP_FLAG]).toEqual([0x80, 0x40]);
    expect([STATUS_MESSAGE_HEADER_LENGTH, STATUS_MESSAGE_WITH_GROUP_TAG_LENGTH]).toEqual([36, 44]);
    expect([SM_RECEIVER_ID_FIELD_OFFSET, SM_GROUP_TAG_FIELD_OFFSET]).toEqual([28, 36]);
    expect([SEND_SETUP_FLAG, END_OF_STREAM_FLAG]).toEqual([0x80, 0x40]);
    expect([NAK_HEADER_LENGTH, NAK_LENGTH_FIELD_OFFSET]).toEqual([28, 24]);
    expect([RTT_MEASUREMENT_HEADER_LENGTH, REPLY_FLAG]).toEqual([40, 0x80]);
    expect([ERR_RECEIVER_ID_FIELD_OFFSET, ERR_GROUP_TAG_FIELD_OFFSET, ERR_ERROR_CODE_FIELD_OFFSET]).toEqual([
      16, 24, 32,
    ]);
    expect([ERR_ERROR_STRING_FIELD_OFFSET, ERROR_HEADER_LENGTH, HAS_GROUP_ID_FLAG]).toEqual([36, 40, 0x08]);
    expect([MAX_ERROR_MESSAGE_LENGTH, MAX_ERROR_FRAME_LENGTH]).toEqual([1023, 1063]);
    expect(RESPONSE_SETUP_HEADER_LENGTH).toBe(20);
  });

  it('read back what they write, at any offset in the buffer', () => {
    const b = buffer();
    const setup = new SetupFlyweight().wrap(b, 100).setTermOffset(7).setSessionId(-3).setTtl(255);
    expect([setup.termOffset(), setup.sessionId(), setup.ttl(), b.getInt32(100 + 36)]).toEqual([7, -3, 255, 255]);
    const nak = new NakFlyweight().wrap(b, 3).setTermId(-9).setTermOffset(2048).setLength(77);
    expect([nak.termId(), nak.termOffset(), nak.length()]).toEqual([-9, 2048, 77]);
    const rsp = new ResponseSetupFlyweight().wrap(b, 500).setResponseSessionId(123);
    expect(new ResponseSetupFlyweight().wrap(b, 500).responseSessionId()).toBe(123);
    expect(rsp.offset()).toBe(500);
    expect(rsp.buffer()).toBe(b);
  });

  it('keep 64-bit ids exact through words (unaligned in an SM) and bigints', () => {
    const b = buffer();
    const sm = new StatusMessageFlyweight().wrap(b, 1).setFrameLength(STATUS_MESSAGE_HEADER_LENGTH);
    const id = -0x7edcba9876543211n;
    sm.setReceiverIdWords(bigIntHighWord(id), bigIntLowWord(id));
    expect(sm.receiverId()).toBe(id);
    expect(int64BigInt(sm.receiverIdHigh(), sm.receiverIdLow())).toBe(id);
    sm.setReceiverId(0xffffffffffffffffn);
    expect(sm.receiverId()).toBe(-1n);
    expect([sm.receiverIdHigh(), sm.receiverIdLow()]).toEqual([-1, -1]);

    const rtt = new RttMeasurementFlyweight().wrap(b, 200);
    rtt.setEchoTimestampNsWords(0x7fffffff, -1);
    expect(int64BigInt(rtt.echoTimestampNsHigh(), rtt.echoTimestampNsLow())).toBe(0x7fffffffffffffffn);
    rtt.setEchoTimestampNs(2 ** 53 - 1).setReceptionDelta(-5);
    expect([rtt.echoTimestampNs(), rtt.receptionDelta()]).toEqual([2 ** 53 - 1, -5]);
  });

  it('tell an SM group tag by frame length, and refuse longer feedback as Java does', () => {
    const sm = new StatusMessageFlyweight().wrap(buffer(), 0).setFrameLength(STATUS_MESSAGE_HEADER_LENGTH);
    expect([sm.hasGroupTag(), sm.groupTag(), sm.groupTagHigh(), sm.groupTagLow(), sm.asfLength()]).toEqual([
      false,
      0n,
      0,
      0,
      0,
    ]);
    sm.setGroupTagWords(1, 2);
    expect([sm.frameLength(), sm.hasGroupTag(), sm.groupTag()]).toEqual([44, true, (1n << 32n) | 2n]);
    sm.clearGroupTag();
    expect([sm.frameLength(), sm.groupTag()]).toEqual([36, 0n]);
    sm.setFrameLength(52);
    expect(() => sm.groupTag()).toThrow('SM has longer application specific feedback (16) than gtag');
  });

  it('set and clear the ERR group tag flag, and size the frame by its message', () => {
    const err = new ErrorFlyweight().wrap(buffer(), 0).setFlags(0x01);
    expect(err.hasGroupTag()).toBe(false);
    err.setGroupTag(42n);
    expect([err.hasGroupTag(), err.flags(), err.groupTag()]).toEqual([true, 0x09, 42n]);
    err.setGroupTag(null);
    expect([err.hasGroupTag(), err.flags(), err.groupTag()]).toEqual([false, 0x01, 42n]);
    err.setErrorMessage('bad');
    expect([err.frameLength(), err.errorMessageLength(), err.errorMessage()]).toEqual([43, 3, 'bad']);
  });

  it('throw before the first wrap', () => {
    expect(() => new NakFlyweight().termId()).toThrow();
  });
});

describeInterop('UDP frame flyweights vs Java 1.51.0 (FrameProbe.java)', () => {
  let javaLines: Map<string, string>;

  beforeAll(async () => {
    const classes = compileJava({
      sources: [join(import.meta.dirname, '..', 'java', 'FrameProbe.java')],
      classpath: [aeronJarPath()],
    });
    const result = await runJava({
      classpath: [classes, aeronJarPath()],
      mainClass: 'FrameProbe',
      jvmArgs: AERON_JVM_FLAGS,
      timeoutMs: 120_000,
    });
    expect(result.code, result.stderr).toBe(0);
    javaLines = new Map();
    for (const line of result.stdout.split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0) javaLines.set(line.slice(0, space), line.slice(space + 1));
    }
  }, 180_000);

  it('writes every frame type byte for byte as Java does, and prints it as Java does', () => {
    const frames = ourFrames();
    expect([...javaLines.keys()].filter((k) => !k.endsWith('-TEXT'))).toEqual([...frames.keys()]);
    for (const [name, frame] of frames) {
      expect(hex(frame), name).toBe(javaLines.get(name));
      if (name !== 'RSP_SETUP') expect(frame.toString(), name).toBe(javaLines.get(`${name}-TEXT`));
    }
  });

  it('reads Java frames back', () => {
    const read = (name: string) => {
      const bytes = Buffer.from(javaLines.get(name)!, 'hex');
      const b = buffer();
      b.bytes.set(bytes, 0);
      return b;
    };
    const sm = new StatusMessageFlyweight().wrap(read('SM-GTAG'), 0);
    expect([sm.receiverId(), sm.groupTag(), sm.flags()]).toEqual([
      BigInt.asIntN(64, 0x8123456789abcdefn),
      0x1122334455667788n,
      END_OF_STREAM_FLAG,
    ]);
    const err = new ErrorFlyweight().wrap(read('ERR'), 0);
    expect([err.errorMessage(), err.groupTag(), err.hasGroupTag(), err.receiverId()]).toEqual([
      'image rejected: no thanks',
      -7n,
      true,
      0x7fffffffffffffffn,
    ]);
    const rtt = new RttMeasurementFlyweight().wrap(read('RTTM'), 0);
    expect([int64BigInt(rtt.echoTimestampNsHigh(), rtt.echoTimestampNsLow()), rtt.receiverId()]).toEqual([
      0x0123456789abcdefn,
      -2n,
    ]);
  });
});
