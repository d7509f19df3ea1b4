/**
 * Free loopback UDP ports for test channels.
 *
 * The OS picks the port: bind a UDP socket on 127.0.0.1 port 0, read it, close. A port is never
 * handed out twice by one process, so two drivers of the same test file cannot collide; between test
 * files (separate processes) the kernel's choice of ephemeral ports keeps collisions unlikely.
 */
import { createSocket } from 'node:dgram';

const handedOut = new Set<number>();

function bindEphemeral(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', (e) => {
      socket.close();
      reject(e);
    });
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolvePort(port));
    });
  });
}

/** A UDP port on 127.0.0.1 that was free a moment ago and was not returned before by this process. */
export async function freeUdpPort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await bindEphemeral();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('freeUdpPort: no new ephemeral UDP port after 100 attempts');
}
