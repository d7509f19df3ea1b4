/**
 * One side of multicast-netns.test.ts, run as `ip netns exec <ns> node --import tsx <this> …` in its own network
 * namespace ("host").
 *
 * ```
 *  receive <group> <port> <interface> <count>  the conductor-less ReceiverFixture on
 *                                               aeron:udp?endpoint=<group>:<port>|interface=<interface>; READY once
 *                                               the endpoint joined; then duty cycles until <count> frames are
 *                                               rebuilt and checked: REBUILT <count> <image source identity>
 *  send <group> <port> <interface> <count>      SETUP to the group 10 times 50 ms apart, then <count> DATA frames
 *                                               of 96 bytes (byte 32 = frame index % 250 + 1), 16 per 5 ms (it reads no status messages)
 * ```
 */

import { allocateDirectBuffer } from '../../../src/driver/media/native-buffer.ts';
import { SocketAddress } from '../../../src/driver/media/socket-address.ts';
import { UdpSocket } from '../../../src/driver/media/udp-socket.ts';
import { SETUP_HEADER_LENGTH, SetupFlyweight } from '../../../src/driver/protocol/setup-flyweight.ts';
import { HDR_TYPE_SETUP } from '../../../src/logbuffer/data-header-flyweight.ts';
import { ReceiverFixture, writeDataFrame } from './support.ts';

const STREAM_ID = 4001;
const SESSION_ID = 77;
const TERM_LENGTH = 64 * 1024;
const [mode, group, portText, iface, countText] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);
const park = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number): void => {
  Atomics.wait(park, 0, 0, ms);
};

if (mode === 'receive') {
  const fixture = new ReceiverFixture(`aeron:udp?endpoint=${group}:${port}|interface=${iface}`, STREAM_ID);
  console.log('READY');
  const deadline = Date.now() + 60_000;
  let checked = 0;
  while (checked < count && Date.now() < deadline) {
    fixture.duty();
    const image = fixture.images[0];
    if (image === undefined) continue;
    while (checked < count && (checked + 1) * 128 <= image.rebuildPosition()) {
      const position = checked * 128;
      const term = fixture.logs[0]!.termBuffers[Math.floor(position / TERM_LENGTH) % 3]!;
      const offset = position % TERM_LENGTH;
      if (term.getInt32(offset) !== 128 || term.getUint8(offset + 32) !== (checked % 250) + 1) {
        console.log(`BAD frame ${checked}`);
        process.exit(1);
      }
      checked++;
      fixture.subscriberPositions[0]!.setRelease(checked * 128);
    }
  }
  console.log(checked === count ? `REBUILT ${checked} ${fixture.images[0]?.sourceIdentity}` : `TIMEOUT ${checked}`);
  fixture.close();
} else if (mode === 'send') {
  const to = SocketAddress.of({ host: group!, port, family: 4 });
  const socket = UdpSocket.open({
    multicast: { interfaceAddress: SocketAddress.of({ host: iface!, port: 0, family: 4 }), ttl: 1, loopback: false },
  });
  const out = allocateDirectBuffer(2048);
  for (let i = 0; i < 10; i++) {
    new SetupFlyweight()
      .wrap(out, 0)
      .setFrameLength(SETUP_HEADER_LENGTH)
      .setVersion(0)
      .setFlags(0)
      .setHeaderType(HDR_TYPE_SETUP)
      .setSessionId(SESSION_ID)
      .setStreamId(STREAM_ID)
      .setInitialTermId(0)
      .setActiveTermId(0)
      .setTermOffset(0)
      .setTermLength(TERM_LENGTH)
      .setMtuLength(1408)
      .setTtl(1);
    socket.sendTo(out, 0, SETUP_HEADER_LENGTH, to);
    sleep(50);
  }
  for (let n = 0; n < count; n++) {
    const position = n * 128;
    const length = writeDataFrame(
      out,
      SESSION_ID,
      STREAM_ID,
      Math.floor(position / TERM_LENGTH),
      position % TERM_LENGTH,
      96,
      (n % 250) + 1,
    );
    while (socket.sendTo(out, 0, length, to) === 0) sleep(1);
    if ((n & 15) === 15) sleep(5); // paced well inside the receiver window: this sender reads no status messages
  }
  console.log(`SENT ${count}`);
  socket.close();
} else {
  throw new Error(`usage: ${process.argv[1]} receive|send <group> <port> <interface> <count>`);
}
