/**
 * Faults over UDP (issue 17): the TypeScript media driver (INVOKER, in this process) with the Java media driver
 * (aeron-all 1.51.0, SHARED, backoff idle) as the remote end, our client on both. Both drivers run with short
 * liveness timeouts under Java's property names (image liveness and publication connection 2 s), so a dead peer is
 * noticed quickly; nothing asserts how quickly.
 *
 * ```
 *  TS client ─▶ TS driver ──UDP 127.0.0.1──▶ Java driver ─▶ TS client      (TS sender, Java receiver)
 *  TS client ◀─ TS driver ◀─UDP 127.0.0.1─── Java driver ◀─ TS client      (Java sender, TS receiver)
 *                   ▲
 *                   └── RawUdpPeer (node:dgram): silent receiver, malformed / truncated / unknown-session frames
 * ```
 *
 * Cases: the remote driver SIGKILLed (both roles: the TS publication shows not connected, the TS image goes
 * unavailable; both reconnect to a Java driver started again on the same ports); a TS driver child process SIGKILLed
 * under Java peers (Java's image goes, its publication disconnects; a new TS driver reconnects both); a receiver that stops reading (both roles: the sender is back-pressured by flow control and every
 * message arrives once it reads again); SETUP never answered (not connected, no error; a receiver appears and it
 * connects); malformed, truncated and unknown-session frames to a receiver's port (counted as Java counts them,
 * dropped, the stream goes on); malformed datagrams, NAKs outside the term and frames for unknown sessions to a
 * sender's port, from a raw peer on the endpoint its socket is connected to (counted as Java counts them; a receiver
 * then connects); a port already in use (a typed error on addSubscription and addPublication, Java's text).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DriverHandle, JAVA_DRIVER, startMediaDriver, TS_DRIVER } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { RegistrationError } from '../../src/client/errors.ts';
import type { Image } from '../../src/client/image.ts';
import type { Publication } from '../../src/client/publication.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import { NAK_HEADER_LENGTH } from '../../src/driver/protocol/nak-flyweight.ts';
import { SETUP_HEADER_LENGTH, SetupFlyweight } from '../../src/driver/protocol/setup-flyweight.ts';
import {
  SEND_SETUP_FLAG,
  STATUS_MESSAGE_HEADER_LENGTH,
  StatusMessageFlyweight,
} from '../../src/driver/protocol/status-message-flyweight.ts';
import { HDR_TYPE_NAK, HDR_TYPE_SETUP, HDR_TYPE_SM } from '../../src/logbuffer/data-header-flyweight.ts';
import { AtomicBuffer } from '../../src/transport/atomic-buffer.ts';
import {
  BACK_PRESSURED,
  createReceiver,
  loadTsClient,
  publishMessages,
  receiveMessages,
  type TsClientApi,
} from '../client/fixtures/ts-client.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { crcHex, expectedChecksum, fillMessage, MessageSizes, MessageVerifier } from '../support/message-pattern.ts';
import { awaitCondition } from '../support/wait.ts';
import { asAtomicBuffer, bytesOf, frameFlags, isSetup, isStatusMessage, RawUdpPeer } from './raw-udp.ts';
import { writeDataFrame } from './receiver/support.ts';
import { launchTestDriver, type TestDriver } from './support.ts';

const TERM_LENGTH = 64 * 1024;
/** Image liveness and publication connection timeout of both drivers (Java's property syntax). */
const LIVENESS = '2s';
const LIVENESS_NS = 2_000_000_000;
/** System counters (Java `SystemCounterDescriptor`): INVALID_PACKETS and ERRORS. */
const INVALID_PACKETS = 14;
const ERRORS = 15;
/** Offer result NOT_CONNECTED (Java `Publication.NOT_CONNECTED`). */
const NOT_CONNECTED = -1;
/** Offer result ADMIN_ACTION (term rotation; try again). */
const ADMIN_ACTION = -3;
const TEST_TIMEOUT_MS = 180_000;
const DEADLINE_MS = 60_000;
const SIZES = 'random:41:0:1200';

let nextStreamId = 7701;
const streamId = (): number => nextStreamId++;

async function udpChannel(port?: number): Promise<string> {
  return `aeron:udp?endpoint=127.0.0.1:${port ?? (await freeUdpPort())}|term-length=64k`;
}

describeInterop('UDP faults: the TS driver with the Java driver as the remote end', () => {
  let tsDriver: TestDriver;
  let javaDriver: DriverHandle;
  let tsAeron: Aeron;
  let javaAeron: Aeron;
  let api: TsClientApi;

  const javaProperties = {
    'aeron.image.liveness.timeout': LIVENESS,
    'aeron.publication.connection.timeout': LIVENESS,
  };

  beforeAll(async () => {
    [tsDriver, javaDriver] = await Promise.all([
      launchTestDriver({ imageLivenessTimeoutNs: LIVENESS_NS, publicationConnectionTimeoutNs: LIVENESS_NS }),
      startMediaDriver({ driver: JAVA_DRIVER, properties: javaProperties }),
    ]);
    tsAeron = await Aeron.connect({ aeronDir: tsDriver.aeronDir, clientName: 'udp-faults-ts' });
    javaAeron = await Aeron.connect({ aeronDir: javaDriver.aeronDir, clientName: 'udp-faults-java' });
    const loaded = await loadTsClient();
    if (!('api' in loaded)) throw new Error(loaded.missing);
    api = loaded.api;
  }, 120_000);

  afterAll(async () => {
    tsAeron?.close();
    javaAeron?.close();
    await tsDriver?.close();
    await javaDriver?.stop();
    assertNoLeftovers();
  });

  const tsCounter = (id: number): number => tsAeron.countersReader.getCounterValue(id);
  const javaCounter = (id: number): number => javaAeron.countersReader.getCounterValue(id);

  /** Publishes `count` checked messages on `publication` while `subscription` receives and verifies them. */
  async function exchange(publication: Publication, subscription: Subscription, count: number, seed: number) {
    const sizes = new MessageSizes(SIZES);
    const verifier = new MessageVerifier({ sizes, seed, count });
    const deadlineMs = Date.now() + DEADLINE_MS;
    const [published] = await Promise.all([
      publishMessages(publication, { count, sizes, seed, deadlineMs }),
      receiveMessages(createReceiver(api, verifier), subscription, { deadlineMs }),
    ]);
    expect(verifier.errors).toEqual([]);
    expect(verifier.received).toBe(count);
    expect(crcHex(verifier.checksum())).toBe(crcHex(published.checksum));
    expect(crcHex(published.checksum)).toBe(crcHex(expectedChecksum(sizes, seed, count)));
  }

  it(
    'the remote Java driver SIGKILLed: the TS publication shows not connected, the TS image goes unavailable; both reconnect to a new Java driver',
    async () => {
      const doomed = await startMediaDriver({ driver: JAVA_DRIVER, properties: javaProperties });
      const doomedAeron = await Aeron.connect({
        aeronDir: doomed.aeronDir,
        clientName: 'udp-faults-doomed',
        errorHandler: () => undefined, // its driver is killed under it
      });
      try {
        // TS sender → Java receiver.
        const toJava = await udpChannel();
        const toJavaStream = streamId();
        const javaSubscription = await doomedAeron.addSubscription(toJava, toJavaStream);
        const tsPublication = await tsAeron.addExclusivePublication(toJava, toJavaStream);
        // Java sender → TS receiver.
        const toTs = await udpChannel();
        const toTsStream = streamId();
        const unavailable: Image[] = [];
        const tsSubscription = await tsAeron.addSubscription(toTs, toTsStream, {
          unavailableImageHandler: (image) => unavailable.push(image),
        });
        const javaPublication = await doomedAeron.addExclusivePublication(toTs, toTsStream);

        await exchange(tsPublication, javaSubscription, 2_000, 0x17a1);
        await exchange(javaPublication, tsSubscription, 2_000, 0x17a2);
        expect(tsPublication.isConnected()).toBe(true);
        expect(tsSubscription.imageCount).toBe(1);
        const errorsBefore = tsCounter(ERRORS);

        expect(doomed.kill('SIGKILL')).toBe(true);
        expect((await doomed.exited).signal).toBe('SIGKILL');

        await awaitCondition('the TS image to go unavailable', () => unavailable.length === 1, DEADLINE_MS);
        expect(unavailable[0]!.sessionId).toBe(javaPublication.sessionId);
        expect(tsSubscription.imageCount).toBe(0);
        expect(tsSubscription.isConnected()).toBe(false);
        await awaitCondition(
          'the TS publication to show not connected',
          () => !tsPublication.isConnected(),
          DEADLINE_MS,
        );
        const message = new Uint8Array(64);
        await awaitCondition(
          'offers to answer NOT_CONNECTED',
          () => tsPublication.offer(message, 0, message.length) === NOT_CONNECTED,
          DEADLINE_MS,
        );
        // Nothing the dead peer did (silence, ICMP port unreachable) is an error of the TS driver.
        expect(tsCounter(ERRORS)).toBe(errorsBefore);

        // A Java driver started again on the same ports: the same TS publication and subscription reconnect.
        const revived = await startMediaDriver({ driver: JAVA_DRIVER, properties: javaProperties });
        const revivedAeron = await Aeron.connect({ aeronDir: revived.aeronDir, clientName: 'udp-faults-revived' });
        try {
          const newSubscription = await revivedAeron.addSubscription(toJava, toJavaStream);
          const newPublication = await revivedAeron.addExclusivePublication(toTs, toTsStream);
          await awaitCondition(
            'the TS publication and subscription to reconnect',
            () => tsPublication.isConnected() && tsSubscription.imageCount === 1,
            DEADLINE_MS,
          );
          expect(tsSubscription.images[0]!.sessionId).toBe(newPublication.sessionId);
          await exchange(tsPublication, newSubscription, 1_000, 0x17a3);
          await exchange(newPublication, tsSubscription, 1_000, 0x17a4);
        } finally {
          revivedAeron.close();
          await revived.stop();
        }
        tsPublication.close();
        tsSubscription.close();
      } finally {
        doomedAeron.close();
        await doomed.stop();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a TS driver (child process) SIGKILLed: the Java side sees its image go and its publication disconnect; a new TS driver on the same ports reconnects both',
    async () => {
      const toJava = await udpChannel();
      const toTs = await udpChannel();
      const stream = streamId();
      const javaUnavailable: Image[] = [];
      const javaSubscription = await javaAeron.addSubscription(toJava, stream, {
        unavailableImageHandler: (image) => javaUnavailable.push(image),
      });
      const javaPublication = await javaAeron.addExclusivePublication(toTs, stream);
      /** A TS driver process with a client in this process: a publication to Java and a subscription from Java. */
      const startTsPeer = async (name: string) => {
        const driver = await startMediaDriver({ driver: TS_DRIVER, properties: javaProperties });
        const client = await Aeron.connect({
          aeronDir: driver.aeronDir,
          clientName: name,
          errorHandler: () => undefined,
        });
        const publication = await client.addExclusivePublication(toJava, stream);
        const subscription = await client.addSubscription(toTs, stream);
        return { driver, client, publication, subscription };
      };
      const first = await startTsPeer('udp-faults-ts-child');
      try {
        await exchange(first.publication, javaSubscription, 2_000, 0x17e1);
        await exchange(javaPublication, first.subscription, 2_000, 0x17e2);
        expect(first.driver.kill('SIGKILL')).toBe(true);
        expect((await first.driver.exited).signal).toBe('SIGKILL');
        await awaitCondition('the Java image of the TS sender to go', () => javaUnavailable.length === 1, DEADLINE_MS);
        expect(javaUnavailable[0]!.sessionId).toBe(first.publication.sessionId);
        await awaitCondition('the Java publication to disconnect', () => !javaPublication.isConnected(), DEADLINE_MS);
      } finally {
        first.client.close();
        await first.driver.stop();
      }
      const second = await startTsPeer('udp-faults-ts-child-2');
      try {
        await awaitCondition(
          'the Java publication and subscription to reconnect to the new TS driver',
          () => javaPublication.isConnected() && javaSubscription.imageCount === 1,
          DEADLINE_MS,
        );
        expect(javaSubscription.images[0]!.sessionId).toBe(second.publication.sessionId);
        await exchange(second.publication, javaSubscription, 1_000, 0x17e3);
        await exchange(javaPublication, second.subscription, 1_000, 0x17e4);
      } finally {
        second.client.close();
        await second.driver.stop();
        javaPublication.close();
        javaSubscription.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  /**
   * `publication` offers until its receiver, which does not poll, holds the stream back (BACK_PRESSURED on 100 offers
   * in a row); then `subscription` reads again and every message, sent before and after, arrives once and in order.
   */
  async function backPressuredThenDelivered(publication: Publication, subscription: Subscription, seed: number) {
    const count = 5_000;
    const sizes = new MessageSizes(SIZES);
    const buffer = new Uint8Array(sizes.max);
    let sent = 0;
    let streak = 0;
    await awaitCondition(
      'the publication to stay back-pressured',
      () => {
        const length = sizes.sizeOf(sent);
        fillMessage(buffer, 0, length, seed, sent);
        const result = publication.offer(buffer, 0, length);
        if (result > 0) {
          sent++;
          streak = 0;
        } else if (result === BACK_PRESSURED) {
          streak++;
        } else if (result !== ADMIN_ACTION) {
          throw new Error(`offer answered ${result}`);
        }
        return streak >= 100;
      },
      DEADLINE_MS,
      { intervalMs: 2 },
    );
    // Flow control, not the log: less than the log's 3 terms went out, and none of it was read yet.
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(count);
    expect(publication.position()).toBeLessThan(3 * TERM_LENGTH);
    expect(subscription.images[0]!.position).toBe(0);

    const verifier = new MessageVerifier({ sizes, seed, count });
    const deadlineMs = Date.now() + DEADLINE_MS;
    await Promise.all([
      (async () => {
        // Messages sent..count-1 (publishMessages starts at 0).
        for (let i = sent; i < count; ) {
          const length = sizes.sizeOf(i);
          fillMessage(buffer, 0, length, seed, i);
          const result = publication.offer(buffer, 0, length);
          if (result > 0) i++;
          else if (result !== BACK_PRESSURED && result !== ADMIN_ACTION) throw new Error(`offer answered ${result}`);
          else if (Date.now() > deadlineMs) throw new Error(`message ${i} still back-pressured at the deadline`);
          else await sleep(1);
        }
      })(),
      receiveMessages(createReceiver(api, verifier), subscription, { deadlineMs }),
    ]);
    expect(verifier.errors).toEqual([]);
    expect(verifier.received).toBe(count);
    expect(crcHex(verifier.checksum())).toBe(crcHex(expectedChecksum(sizes, seed, count)));
  }

  it(
    'a Java receiver that stops reading back-pressures the TS sender by flow control; nothing is lost',
    async () => {
      const channel = await udpChannel();
      const stream = streamId();
      const subscription = await javaAeron.addSubscription(channel, stream);
      const publication = await tsAeron.addExclusivePublication(channel, stream);
      try {
        await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1);
        await backPressuredThenDelivered(publication, subscription, 0x17b1);
      } finally {
        publication.close();
        subscription.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a TS receiver that stops reading back-pressures the Java sender by flow control; nothing is lost',
    async () => {
      const channel = await udpChannel();
      const stream = streamId();
      const subscription = await tsAeron.addSubscription(channel, stream);
      const publication = await javaAeron.addExclusivePublication(channel, stream);
      try {
        await awaitCondition('connected', () => publication.isConnected() && subscription.imageCount === 1);
        await backPressuredThenDelivered(publication, subscription, 0x17b2);
      } finally {
        publication.close();
        subscription.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a SETUP never answered: not connected, SETUP repeated, no error; then a Java receiver appears and it connects',
    async () => {
      const port = await freeUdpPort();
      const channel = await udpChannel(port);
      const stream = streamId();
      const errorsBefore = tsCounter(ERRORS);
      const publication = await tsAeron.addExclusivePublication(channel, stream);
      try {
        // Nobody on the port: every SETUP is answered by ICMP port unreachable at most.
        const message = new Uint8Array(32);
        await sleep(500); // Duty cycles of SETUP into the void; not a time assertion.
        expect(publication.isConnected()).toBe(false);
        expect(publication.offer(message, 0, message.length)).toBe(NOT_CONNECTED);

        // A silent receiver on the port sees SETUP after SETUP for the publication and never answers.
        const silent = await RawUdpPeer.bind(port);
        try {
          const setups = await silent.awaitFrames('3 SETUP frames', isSetup, 3, DEADLINE_MS);
          const setup = new SetupFlyweight().wrap(setups[0]!, 0);
          expect(setup.frameLength()).toBe(SETUP_HEADER_LENGTH);
          expect(setup.sessionId()).toBe(publication.sessionId);
          expect(setup.streamId()).toBe(stream);
          expect(setup.termLength()).toBe(TERM_LENGTH);
          expect(setup.activeTermId()).toBe(setup.initialTermId());
          expect(silent.received.every((d) => isSetup(asAtomicBuffer(d.bytes)))).toBe(true);
        } finally {
          await silent.close();
        }
        expect(publication.isConnected()).toBe(false);
        expect(publication.offer(message, 0, message.length)).toBe(NOT_CONNECTED);
        expect(tsCounter(ERRORS)).toBe(errorsBefore);

        const subscription = await javaAeron.addSubscription(channel, stream);
        try {
          await awaitCondition('connected once a receiver answers', () => publication.isConnected(), DEADLINE_MS);
          await exchange(publication, subscription, 1_000, 0x17c1);
        } finally {
          subscription.close();
        }
      } finally {
        publication.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'malformed, truncated and unknown-session frames to a TS subscription: counted as Java counts them, dropped; the stream goes on',
    async () => {
      const tsPort = await freeUdpPort();
      const javaPort = await freeUdpPort();
      const stream = streamId();
      const tsSubscription = await tsAeron.addSubscription(await udpChannel(tsPort), stream);
      const javaSubscription = await javaAeron.addSubscription(await udpChannel(javaPort), stream);
      const publication = await javaAeron.addExclusivePublication(await udpChannel(tsPort), stream);
      const raw = await RawUdpPeer.bind();
      try {
        await awaitCondition('connected', () => publication.isConnected() && tsSubscription.imageCount === 1);
        const frame = new AtomicBuffer(new ArrayBuffer(256));
        // Below the minimal header (8 bytes) or a version other than 0: INVALID_PACKETS in Java and in ours.
        const invalid: Uint8Array[] = [
          new Uint8Array([0]),
          new Uint8Array(7),
          (() => {
            const length = writeDataFrame(frame, 0x5eed, stream, 0, 0, 32);
            frame.putInt8(4, 9); // version 9
            return bytesOf(frame, length);
          })(),
          new Uint8Array(64).fill(0xff), // version 0xff
        ];
        // A DATA header cut at 20 bytes and a SETUP cut at 32: ours counts them as invalid; Java dispatches them
        // (its poller checks only the minimal header) and reads the missing fields from its receive buffer.
        const truncatedData = bytesOf(frame, writeDataFrame(frame, 0x5eed, stream, 0, 0, 0)).slice(0, 20);
        frame.putInt32(0, SETUP_HEADER_LENGTH);
        frame.putInt16(6, HDR_TYPE_SETUP);
        const truncatedSetup = bytesOf(frame, 32);
        // Well-formed DATA for a session nobody sent SETUP for (and a stream nobody subscribes to).
        const unknownSession = bytesOf(frame, writeDataFrame(frame, 0x5eed, stream, 7, 0, 100));
        const unknownStream = bytesOf(frame, writeDataFrame(frame, 0x5eee, stream + 1000, 7, 0, 100));

        const tsInvalidBefore = tsCounter(INVALID_PACKETS);
        const javaInvalidBefore = javaCounter(INVALID_PACKETS);
        const errorsBefore = tsCounter(ERRORS);
        const sizes = new MessageSizes(SIZES);
        const count = 20_000;
        const seed = 0x17d1;
        const verifier = new MessageVerifier({ sizes, seed, count });
        const deadlineMs = Date.now() + DEADLINE_MS;
        // The garbage goes in while the stream runs.
        await Promise.all([
          publishMessages(publication, { count, sizes, seed, deadlineMs }),
          receiveMessages(createReceiver(api, verifier), tsSubscription, { deadlineMs }),
          (async () => {
            for (let round = 0; round < 5; round++) {
              for (const bytes of [...invalid, truncatedData, truncatedSetup, unknownStream]) {
                await raw.sendTo(bytes, tsPort);
                await raw.sendTo(bytes, javaPort);
              }
              await sleep(20);
            }
          })(),
        ]);
        expect(verifier.errors).toEqual([]);
        expect(verifier.received).toBe(count);

        await awaitCondition(
          'the invalid datagrams counted',
          () =>
            tsCounter(INVALID_PACKETS) - tsInvalidBefore >= 5 * (invalid.length + 2) &&
            javaCounter(INVALID_PACKETS) - javaInvalidBefore >= 5 * invalid.length,
          DEADLINE_MS,
        );
        expect(tsCounter(INVALID_PACKETS) - tsInvalidBefore).toBe(5 * (invalid.length + 2));
        expect(javaCounter(INVALID_PACKETS) - javaInvalidBefore).toBe(5 * invalid.length);

        // DATA for an unknown session: both drivers answer the source with a status message asking for SETUP.
        await raw.sendTo(unknownSession, tsPort);
        await raw.sendTo(unknownSession, javaPort);
        const setupRequest = (f: AtomicBuffer): boolean =>
          isStatusMessage(f) && (frameFlags(f) & SEND_SETUP_FLAG) !== 0 && f.getInt32(8) === 0x5eed;
        await raw.awaitFrames('a SETUP-eliciting status message from each driver', setupRequest, 2, DEADLINE_MS);
        const answers = raw.received.filter((d) => setupRequest(asAtomicBuffer(d.bytes)));
        expect(new Set(answers.map((d) => d.fromPort))).toEqual(new Set([tsPort, javaPort]));
        const [ours, theirs] = [tsPort, javaPort].map((port) => {
          const d = answers.find((a) => a.fromPort === port)!;
          const sm = new StatusMessageFlyweight().wrap(asAtomicBuffer(d.bytes), 0);
          return {
            length: d.bytes.length,
            flags: sm.flags(),
            sessionId: sm.sessionId(),
            streamId: sm.streamId(),
            window: sm.receiverWindowLength(),
            termId: sm.consumptionTermId(),
            termOffset: sm.consumptionTermOffset(),
          };
        });
        expect(ours).toEqual(theirs);
        expect(ours).toMatchObject({ sessionId: 0x5eed, streamId: stream, flags: SEND_SETUP_FLAG });
        // DATA of an unknown stream is answered by neither; the TS image is still the Java publication's.
        expect(raw.received.some((d) => asAtomicBuffer(d.bytes).getInt32(8) === 0x5eee)).toBe(false);
        expect(tsSubscription.imageCount).toBe(1);
        expect(tsSubscription.images[0]!.sessionId).toBe(publication.sessionId);
        expect(tsCounter(ERRORS)).toBe(errorsBefore);

        // The stream still delivers after the garbage.
        await exchange(publication, tsSubscription, 1_000, 0x17d2);
      } finally {
        await raw.close();
        publication.close();
        tsSubscription.close();
        javaSubscription.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'malformed datagrams, impossible NAKs and frames for unknown sessions to a TS sender: counted as Java counts them, dropped; then a receiver connects',
    async () => {
      // A unicast sender's socket is connected to its endpoint, so the garbage comes from a raw peer on the endpoint.
      const stream = streamId();
      const tsPort = await freeUdpPort();
      const javaPort = await freeUdpPort();
      const tsPeer = await RawUdpPeer.bind(tsPort);
      const javaPeer = await RawUdpPeer.bind(javaPort);
      const tsPublication = await tsAeron.addExclusivePublication(await udpChannel(tsPort), stream);
      const javaPublication = await javaAeron.addExclusivePublication(await udpChannel(javaPort), stream);
      try {
        const [tsSetup] = await tsPeer.awaitFrames('SETUP from the TS sender', isSetup, 1, DEADLINE_MS);
        const [javaSetup] = await javaPeer.awaitFrames('SETUP from the Java sender', isSetup, 1, DEADLINE_MS);
        const tsSender = tsPeer.received.find((d) => isSetup(asAtomicBuffer(d.bytes)))!.fromPort;
        const javaSender = javaPeer.received.find((d) => isSetup(asAtomicBuffer(d.bytes)))!.fromPort;
        const frame = new AtomicBuffer(new ArrayBuffer(64));
        const nak = (sessionId: number, termId: number, termOffset: number, length: number): Uint8Array => {
          frame.setMemory(0, 64, 0);
          frame.putInt32(0, NAK_HEADER_LENGTH);
          frame.putInt16(6, HDR_TYPE_NAK);
          frame.putInt32(8, sessionId);
          frame.putInt32(12, stream);
          frame.putInt32(16, termId);
          frame.putInt32(20, termOffset);
          frame.putInt32(24, length);
          return bytesOf(frame, NAK_HEADER_LENGTH);
        };
        const statusMessage = (sessionId: number): Uint8Array => {
          frame.setMemory(0, 64, 0);
          frame.putInt32(0, STATUS_MESSAGE_HEADER_LENGTH);
          frame.putInt16(6, HDR_TYPE_SM);
          frame.putInt32(8, sessionId);
          frame.putInt32(12, stream);
          frame.putInt32(24, 1 << 20);
          return bytesOf(frame, STATUS_MESSAGE_HEADER_LENGTH);
        };
        const badVersion = nak(0x5eed, 0, 0, 32);
        badVersion[4] = 3;
        // Per sender: 4 malformed datagrams and 2 NAKs outside the term are INVALID_PACKETS in Java and in ours; a NAK
        // asking for far more than was sent, a NAK and an SM for a session that is not there are dropped uncounted.
        const garbage = (setup: AtomicBuffer): Uint8Array[] => {
          const fw = new SetupFlyweight().wrap(setup, 0);
          const [sessionId, termId] = [fw.sessionId(), fw.activeTermId()];
          return [
            new Uint8Array([0]),
            new Uint8Array(7),
            badVersion,
            new Uint8Array(64).fill(0xff),
            nak(sessionId, termId, -32, 64),
            nak(sessionId, termId, TERM_LENGTH, 64),
            nak(sessionId, termId, 0, 1_000_000),
            nak(0x5eed, 0, 0, 64),
            statusMessage(0x5eed),
          ];
        };
        const tsGarbage = garbage(tsSetup!);
        const javaGarbage = garbage(javaSetup!);
        const invalidPerRound = 6;
        const rounds = 5;
        const tsInvalidBefore = tsCounter(INVALID_PACKETS);
        const javaInvalidBefore = javaCounter(INVALID_PACKETS);
        const errorsBefore = tsCounter(ERRORS);
        for (let round = 0; round < rounds; round++) {
          for (let i = 0; i < tsGarbage.length; i++) {
            await tsPeer.sendTo(tsGarbage[i]!, tsSender);
            await javaPeer.sendTo(javaGarbage[i]!, javaSender);
          }
        }
        await awaitCondition(
          'the invalid datagrams counted',
          () =>
            tsCounter(INVALID_PACKETS) - tsInvalidBefore >= rounds * invalidPerRound &&
            javaCounter(INVALID_PACKETS) - javaInvalidBefore >= rounds * invalidPerRound,
          DEADLINE_MS,
          {
            detail: () =>
              `ours ${tsCounter(INVALID_PACKETS) - tsInvalidBefore}, Java's ${javaCounter(INVALID_PACKETS) - javaInvalidBefore}`,
          },
        );
        expect(tsCounter(INVALID_PACKETS) - tsInvalidBefore).toBe(rounds * invalidPerRound);
        expect(javaCounter(INVALID_PACKETS) - javaInvalidBefore).toBe(rounds * invalidPerRound);
        expect(tsCounter(ERRORS)).toBe(errorsBefore);
        // An SM for another session connects nothing.
        expect(tsPublication.isConnected()).toBe(false);
        expect(javaPublication.isConnected()).toBe(false);
      } finally {
        await tsPeer.close();
        await javaPeer.close();
      }
      // Real receivers on the endpoints: both senders connect and deliver.
      const toTs = await tsAeron.addSubscription(await udpChannel(tsPort), stream);
      const toJava = await javaAeron.addSubscription(await udpChannel(javaPort), stream);
      try {
        await exchange(tsPublication, toTs, 2_000, 0x17f1);
        await exchange(javaPublication, toJava, 2_000, 0x17f2);
      } finally {
        tsPublication.close();
        javaPublication.close();
        toTs.close();
        toJava.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it('a port already in use: addSubscription and addPublication fail with a typed error, as the Java driver answers', async () => {
    await using occupant = await RawUdpPeer.bind();
    const stream = streamId();
    // A subscription on the occupied port; a publication whose send socket binds it (`interface=host:port`).
    const subscriptionChannel = await udpChannel(occupant.port);
    const publicationChannel = `${await udpChannel()}|interface=127.0.0.1:${occupant.port}`;
    const refusal = async (add: Promise<{ close(): void }>): Promise<RegistrationError> => {
      const error = await add.then(
        (resource) => {
          resource.close();
          throw new Error('an add on a port in use succeeded');
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RegistrationError);
      return error as RegistrationError;
    };
    // Java's text: `io.aeron.exceptions.AeronException : ERROR - channel error - Address already in use (at <its
    // stack frame>): <channel>`; ours names the failed call there (`bind 127.0.0.1:<port>`). The rest is the same.
    const atFrame = (text: string): string => text.replace(/ \(at .*\): aeron:/, ' (at …): aeron:');
    for (const [channel, add] of [
      [subscriptionChannel, (client: Aeron) => client.addSubscription(subscriptionChannel, stream)],
      [publicationChannel, (client: Aeron) => client.addPublication(publicationChannel, stream)],
    ] as const) {
      const ours = await refusal(add(tsAeron));
      const theirs = await refusal(add(javaAeron));
      expect(ours.errorCodeName).toBe('GENERIC_ERROR');
      expect(ours.errorCodeName).toBe(theirs.errorCodeName);
      expect(atFrame(ours.driverMessage)).toBe(atFrame(theirs.driverMessage));
      expect(ours.driverMessage).toBe(
        `io.aeron.exceptions.AeronException : ERROR - channel error - Address already in use (at bind 127.0.0.1:${occupant.port}): ${channel}`,
      );
    }
    // The driver is fine afterwards: the same channels work once the port is free.
    await occupant.close();
    const subscription = await tsAeron.addSubscription(subscriptionChannel, stream);
    subscription.close();
    const publication = await tsAeron.addPublication(publicationChannel, stream);
    publication.close();
  });
});
