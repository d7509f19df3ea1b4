/**
 * One side of udp-multicast-netns.test.ts, run as `ip netns exec <ns> node --import tsx <this> …` so that it
 * sits in its own network namespace ("host"):
 *
 * `<interface>` is an address of the interface, or `@<name>` to give the interface by index; `exclusive` turns
 * `IP_MULTICAST_ALL` off, so the socket sees only its own group.
 *
 * ```
 *  receive <family> <group> <port> <interface> [exclusive]   join the group on the interface, print READY, then
 *                                                     poll until a datagram arrives: RECEIVED <length> <source> <text>
 *  send <family> <group> <port> <interface>             send "multicast <n>" to the group every 50 ms (TTL 1,
 *                                                     IP_MULTICAST_IF) until killed
 * ```
 */
import { libcSocket } from '../../../src/driver/media/libc-socket.ts';
import { allocateDirectBuffer } from '../../../src/driver/media/native-buffer.ts';
import { SocketAddress } from '../../../src/driver/media/socket-address.ts';
import { UdpSocket } from '../../../src/driver/media/udp-socket.ts';

const [mode, familyText, groupHost, portText, interfaceHost, exclusive] = process.argv.slice(2);
const family = familyText === '6' ? 6 : 4;
const port = Number(portText);
const group = SocketAddress.of({ host: groupHost!, port, family });
// `@<name>`: the interface by index (if_nametoindex), else by one of its addresses.
const byIndex = interfaceHost!.startsWith('@');
const interfaceAddress = byIndex ? null : SocketAddress.of({ host: interfaceHost!, port: 0, family });
const interfaceIndex = byIndex ? libcSocket().ifNameToIndex(interfaceHost!.slice(1)) : 0;
const buffer = allocateDirectBuffer(65536);
const park = new Int32Array(new SharedArrayBuffer(4));

if (mode === 'receive') {
  const socket = UdpSocket.open({
    reuseAddress: true,
    bind: SocketAddress.of({ host: family === 6 ? '::' : '0.0.0.0', port, family }),
    // `exclusive`: only this socket's own groups (IP_MULTICAST_ALL off), beside other members of the port.
    // Not SO_REUSEPORT: with it the kernel may hand a multicast datagram to one socket of the port only
    // (seen here: the other group's socket got datagram 0, the member datagram 1).
    multicast: {
      group,
      interfaceAddress,
      interfaceIndex,
      ...(exclusive === 'exclusive' ? { multicastAll: false } : {}),
    },
  });
  console.log('READY');
  const from = new SocketAddress();
  const deadline = Date.now() + 60_000;
  let length = 0;
  while (length === 0 && Date.now() < deadline) {
    length = socket.receive(buffer, 0, buffer.capacity, from);
    if (length === 0) Atomics.wait(park, 0, 0, 1);
  }
  const text = Buffer.from(buffer.bytes.subarray(0, length)).toString('latin1');
  console.log(length === 0 ? 'TIMEOUT' : `RECEIVED ${length} ${from} ${text}`);
  socket.close();
} else if (mode === 'send') {
  const socket = UdpSocket.open({ multicast: { interfaceAddress, interfaceIndex, ttl: 1, loopback: false } });
  console.log(`SENDING ttl=${socket.multicastTtl}`);
  for (let n = 0; n < 1200; n++) {
    const length = buffer.putStringWithoutLengthAscii(0, `multicast ${n}`);
    socket.sendTo(buffer, 0, length, group);
    Atomics.wait(park, 0, 0, 50);
  }
  socket.close();
} else {
  throw new Error(`usage: ${process.argv[1]} receive|send <4|6> <group> <port> <interfaceAddress>`);
}
