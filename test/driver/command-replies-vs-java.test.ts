/**
 * The same raw client commands, written straight into the to-driver ring buffer (`CncView`), against the Java
 * 1.51.0 media driver and the TS driver (INVOKER, in this process), for an IPC publication, an IPC subscription
 * and a spy on a driver with no network channel: the reply type, error code and message of every command must be
 * the same (ids in messages replaced by their names). Covers ADD_DESTINATION, REMOVE_DESTINATION,
 * REMOVE_DESTINATION_BY_ID, ADD_RCV_DESTINATION, REMOVE_RCV_DESTINATION, REJECT_IMAGE of an unknown image and of
 * the live IPC image (twice: the second in cool-down; the ON_PUBLICATION_ERROR frame, ON_UNAVAILABLE_IMAGE and
 * IMAGES_REJECTED compared too, and the WARN `onPublicationError` entries both drivers record in their distinct error
 * log), spy subscriptions and TERMINATE_DRIVER under the default (deny) validator.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DriverHandle, JAVA_DRIVER, startMediaDriver } from '../../harness/driver.ts';
import {
  ADD_DESTINATION,
  ADD_PUBLICATION,
  ADD_RCV_DESTINATION,
  ADD_SUBSCRIPTION,
  ON_ERROR,
  ON_OPERATION_SUCCESS,
  ON_PUBLICATION_ERROR,
  ON_PUBLICATION_READY,
  ON_SUBSCRIPTION_READY,
  ON_UNAVAILABLE_IMAGE,
  REJECT_IMAGE,
  REMOVE_DESTINATION,
  REMOVE_DESTINATION_BY_ID,
  REMOVE_RCV_DESTINATION,
  REMOVE_SUBSCRIPTION,
  TERMINATE_DRIVER,
} from '../../src/transport/control-protocol-events.ts';
import { readAllErrors } from '../../src/transport/distinct-error-log-reader.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { CncView, type DriverEvent, errorResponse, launchTestDriver, type TestDriver } from './support.ts';

/** One command's reply as compared: type name, and for ON_ERROR the code and the message with ids named. */
interface Reply {
  readonly label: string;
  readonly type: string;
  readonly errorCode?: number;
  readonly message?: string;
  readonly channelStatusId?: number;
  readonly frame?: string;
}

/** Java `AeronCounters.SYSTEM_COUNTER_ID_IMAGES_REJECTED`. */
const IMAGES_REJECTED_COUNTER_ID = 42;

const REPLY_TYPES = new Map([
  [ON_ERROR, 'ON_ERROR'],
  [ON_OPERATION_SUCCESS, 'ON_OPERATION_SUCCESS'],
  [ON_PUBLICATION_READY, 'ON_PUBLICATION_READY'],
  [ON_SUBSCRIPTION_READY, 'ON_SUBSCRIPTION_READY'],
]);

/** Runs the scenario against the driver of `aeronDir`; returns every reply in order. */
async function scenario(aeronDir: string): Promise<Reply[]> {
  using view = new CncView(aeronDir);
  const clientId = view.ring.nextCorrelationId();
  const names = new Map<number, string>();
  const replies: Reply[] = [];

  const awaitReply = async (label: string, correlationId: number): Promise<Reply> => {
    const event: DriverEvent = await view.awaitEvent(
      `the reply to ${label}`,
      (e) => REPLY_TYPES.has(e.type) && e.body.getInt64(0) === correlationId,
    );
    const type = REPLY_TYPES.get(event.type)!;
    let reply: Reply = { label, type };
    if (event.type === ON_ERROR) {
      const { errorCode, message } = errorResponse(event);
      let named = message;
      for (const [id, name] of names) named = named.replace(new RegExp(`(?<![0-9])${id}(?![0-9])`, 'g'), name);
      reply = { label, type, errorCode, message: named };
    } else if (event.type === ON_SUBSCRIPTION_READY) {
      reply = { label, type, channelStatusId: event.body.getInt32(8) };
    }
    replies.push(reply);
    return reply;
  };

  const command = async (
    label: string,
    msgTypeId: number,
    body: (b: import('../../src/transport/atomic-buffer.ts').AtomicBuffer) => number,
  ): Promise<number> => {
    const correlationId = view.ring.nextCorrelationId();
    view.send(msgTypeId, clientId, correlationId, body);
    await awaitReply(label, correlationId);
    return correlationId;
  };
  const addSubscription = (label: string, channel: string, streamId: number) =>
    command(label, ADD_SUBSCRIPTION, (b) => {
      b.putInt64(0, -1);
      b.putInt32(8, streamId);
      return 12 + b.putStringAscii(12, channel);
    });
  const destination = (label: string, msgTypeId: number, registrationId: number, channel: string) =>
    command(label, msgTypeId, (b) => {
      b.putInt64(0, registrationId);
      return 8 + b.putStringAscii(8, channel);
    });
  const removeSubscription = (label: string, registrationId: number) =>
    command(label, REMOVE_SUBSCRIPTION, (b) => {
      b.putInt64(0, registrationId);
      return 8;
    });

  const publication = await command('ADD_PUBLICATION aeron:ipc', ADD_PUBLICATION, (b) => {
    b.putInt32(0, 3001);
    return 4 + b.putStringAscii(4, 'aeron:ipc');
  });
  names.set(publication, 'P');
  const subscription = await addSubscription('ADD_SUBSCRIPTION aeron:ipc', 'aeron:ipc', 3001);
  names.set(subscription, 'S');

  const udp = 'aeron:udp?endpoint=localhost:40555';
  await destination('ADD_DESTINATION udp to IPC pub', ADD_DESTINATION, publication, udp);
  await destination(
    'ADD_DESTINATION spy',
    ADD_DESTINATION,
    publication,
    'aeron-spy:aeron:udp?endpoint=localhost:40555',
  );
  await destination('ADD_DESTINATION port 0', ADD_DESTINATION, publication, 'aeron:udp?endpoint=localhost:0');
  await destination('ADD_DESTINATION mtu', ADD_DESTINATION, publication, `${udp}|mtu=1408`);
  await destination('ADD_DESTINATION ipc', ADD_DESTINATION, publication, 'aeron:ipc');
  await destination('REMOVE_DESTINATION udp', REMOVE_DESTINATION, publication, udp);
  await command('REMOVE_DESTINATION_BY_ID', REMOVE_DESTINATION_BY_ID, (b) => {
    b.putInt64(0, publication);
    b.putInt64(8, 77);
    return 16;
  });
  await destination('ADD_DESTINATION to unknown id', ADD_DESTINATION, 424242, udp);
  await destination('ADD_RCV_DESTINATION ipc', ADD_RCV_DESTINATION, subscription, 'aeron:ipc');
  await destination('ADD_RCV_DESTINATION udp', ADD_RCV_DESTINATION, subscription, 'aeron:udp?endpoint=localhost:40556');
  await destination(
    'ADD_RCV_DESTINATION spy',
    ADD_RCV_DESTINATION,
    subscription,
    'aeron-spy:aeron:udp?endpoint=localhost:40556',
  );
  await destination(
    'REMOVE_RCV_DESTINATION udp',
    REMOVE_RCV_DESTINATION,
    subscription,
    'aeron:udp?endpoint=localhost:40556',
  );
  await destination('REMOVE_RCV_DESTINATION other ipc', REMOVE_RCV_DESTINATION, subscription, 'aeron:ipc?alias=x');
  await command('REJECT_IMAGE unknown', REJECT_IMAGE, (b) => {
    b.putInt64(0, 5_555_555);
    b.putInt64(8, 0);
    return 16 + b.putStringAscii(16, 'bad image');
  });
  const rejectLive = (label: string, reason: string) =>
    command(label, REJECT_IMAGE, (b) => {
      b.putInt64(0, publication);
      b.putInt64(8, 0);
      return 16 + b.putStringAscii(16, reason);
    });
  await rejectLive('REJECT_IMAGE live IPC image', 'live image rejected');
  const errorFrame = await view.awaitEvent(
    'ON_PUBLICATION_ERROR',
    (e) => e.type === ON_PUBLICATION_ERROR && e.body.getInt64(0) === publication,
  );
  const f = errorFrame.body;
  const address = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => f.getInt16(44 + 2 * i)).join('.');
  replies.push({
    label: 'ON_PUBLICATION_ERROR after REJECT_IMAGE',
    type: 'ON_PUBLICATION_ERROR',
    errorCode: f.getInt32(60),
    message: f.getStringAscii(64),
    frame: `dest=${f.getInt64(8)} receiver=${f.getInt64(24)} group=${f.getInt64(32)} type=${f.getInt16(40)} port=${f.getInt16(42)} address=${address}`,
  });
  await view.awaitEvent(
    'ON_UNAVAILABLE_IMAGE after REJECT_IMAGE',
    (e) => e.type === ON_UNAVAILABLE_IMAGE && e.body.getInt64(0) === publication && e.body.getInt64(8) === subscription,
  );
  replies.push({ label: 'ON_UNAVAILABLE_IMAGE after REJECT_IMAGE', type: 'ON_UNAVAILABLE_IMAGE' });
  await rejectLive('REJECT_IMAGE live IPC image in cool-down', 'again');
  replies.push({
    label: 'IMAGES_REJECTED',
    type: 'counter',
    frame: String(view.counters.getCounterValue(IMAGES_REJECTED_COUNTER_ID)),
  });

  const spy = await addSubscription('ADD_SUBSCRIPTION spy', 'aeron-spy:aeron:udp?endpoint=localhost:40557', 3002);
  names.set(spy, 'SPY');
  await removeSubscription('REMOVE_SUBSCRIPTION spy', spy);
  await removeSubscription('REMOVE_SUBSCRIPTION spy again', spy);

  // TERMINATE_DRIVER under the default validator: ignored, no reply; the driver keeps answering.
  view.send(TERMINATE_DRIVER, clientId, view.ring.nextCorrelationId(), (b) => {
    b.putInt32(0, 3);
    b.putBytes(4, new Uint8Array([1, 2, 3]), 0, 3);
    return 7;
  });

  // The IPC subscription's own channel as an IPC receive destination: Java removes the subscription.
  await destination('REMOVE_RCV_DESTINATION own channel', REMOVE_RCV_DESTINATION, subscription, 'aeron:ipc');
  await removeSubscription('REMOVE_SUBSCRIPTION after', subscription);

  // Java's DriverConductor.onPublicationError records a WARN AeronEvent per error frame (distinct by reason).
  const warnings = readAllErrors(view.regions.errorLog)
    .map((e) => e.encodedException)
    .filter((text) => text.includes('WARN - onPublicationError'))
    .map((text) =>
      text
        .slice(text.indexOf('WARN - '))
        .split('\n')[0]!
        .replace(`registrationId=${publication},`, 'registrationId=P,')
        .replace(/sessionId=-?\d+/, 'sessionId=S'),
    )
    .sort();
  replies.push({ label: 'error log WARN entries', type: 'error-log', message: warnings.join(' | ') });
  return replies;
}

describeInterop('Command replies of the TS driver vs the Java 1.51.0 driver (IPC only)', () => {
  let java: DriverHandle;
  let ts: TestDriver;

  beforeAll(async () => {
    [java, ts] = await Promise.all([startMediaDriver({ driver: JAVA_DRIVER }), launchTestDriver()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([java?.stop(), ts?.close()]);
  }, 60_000);

  it('answers destinations, reject image, spies and terminate exactly as Java does', async () => {
    const fromJava = await scenario(java.aeronDir);
    const fromTs = await scenario(ts.aeronDir);
    expect(fromTs).toEqual(fromJava);
    expect(fromJava.at(-1)!.message).toBe(
      'WARN - onPublicationError: registrationId=P, destinationRegistrationId=-1, sessionId=S, streamId=3001, ' +
        'receiverId=-1, groupId=-1, errorCode=13, errorMessage=again | ' +
        'WARN - onPublicationError: registrationId=P, destinationRegistrationId=-1, sessionId=S, streamId=3001, ' +
        'receiverId=-1, groupId=-1, errorCode=13, errorMessage=live image rejected',
    );
    expect(java.hasExited()).toBe(false);
    expect(ts.driver.isClosed).toBe(false);
  }, 120_000);
});
