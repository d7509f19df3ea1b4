import { describe, expect, it } from 'vitest';
import { DataPacketDispatcher } from '../../../src/driver/data-packet-dispatcher.ts';
import { ControlProtocolError } from '../../../src/driver/driver-error.ts';
import type { ReceiveChannelEndpoint } from '../../../src/driver/media/receive-channel-endpoint.ts';
import { SocketAddress } from '../../../src/driver/media/socket-address.ts';
import { SetupFlyweight } from '../../../src/driver/protocol/setup-flyweight.ts';
import type { PublicationImage } from '../../../src/driver/publication-image.ts';
import { EOS_FLAG } from '../../../src/logbuffer/data-header-flyweight.ts';
import { AtomicBuffer } from '../../../src/transport/atomic-buffer.ts';
import { writeDataFrame } from './support.ts';

const STREAM_ID = 1001;

function fixture() {
  const elicited: { sessionId: number; streamId: number; to: string }[] = [];
  const pending: { sessionId: number; streamId: number; periodic: boolean }[] = [];
  const created: { sessionId: number; streamId: number; initialTermId: number; control: string; src: string }[] = [];
  const endpoint = {
    isMulticast: () => false,
    multicastTtl: () => 0,
    sendSetupElicitingStatusMessage: (_t: number, to: SocketAddress, sessionId: number, streamId: number) =>
      elicited.push({ sessionId, streamId, to: to.toString() }),
  } as unknown as ReceiveChannelEndpoint;
  const dispatcher = new DataPacketDispatcher(
    {
      createPublicationImage: (sessionId, streamId, initialTermId, _a, _o, _l, _m, _t, _f, control, src) =>
        created.push({ sessionId, streamId, initialTermId, control: control.toString(), src: src.toString() }),
    },
    {
      addPendingSetupMessage: (sessionId, streamId, _t, _e, periodic) =>
        pending.push({ sessionId, streamId, periodic }),
    },
  );
  const packet = new AtomicBuffer(new ArrayBuffer(1024));
  const src = SocketAddress.of({ host: '127.0.0.1', port: 40500, family: 4 });
  const data = (sessionId: number, flags = 0xc0): number => {
    const length = writeDataFrame(packet, sessionId, STREAM_ID, 0, 0, 32, 1, flags);
    return dispatcher.onDataPacket(endpoint, packet, length, src, 0);
  };
  const setupBuffer = new AtomicBuffer(new ArrayBuffer(64));
  const setup = (sessionId: number): void => {
    const flyweight = new SetupFlyweight()
      .wrap(setupBuffer, 0)
      .setSessionId(sessionId)
      .setStreamId(STREAM_ID)
      .setInitialTermId(77)
      .setActiveTermId(78)
      .setTermOffset(0)
      .setTermLength(65536)
      .setMtuLength(1408);
    dispatcher.onSetupMessage(endpoint, flyweight, src, 0);
  };
  const fakeImage = (sessionId: number, correlationId = 9) => {
    const events: string[] = [];
    let eos = false;
    const image = {
      sessionId,
      streamId: STREAM_ID,
      correlationId,
      activate: () => events.push('activate'),
      deactivate: () => events.push('deactivate'),
      isEndOfStream: () => eos,
      insertPacket: (_t: number, _o: number, _b: unknown, length: number) => {
        events.push('insert');
        return length;
      },
      addDestinationConnectionIfUnknown: () => events.push('known'),
    } as unknown as PublicationImage;
    return {
      image,
      events,
      setEos: (v: boolean): void => {
        eos = v;
      },
    };
  };
  return { dispatcher, endpoint, elicited, pending, created, data, setup, fakeImage };
}

describe('DataPacketDispatcher', () => {
  it('DATA of an unknown session elicits a SETUP once (PENDING_SETUP_FRAME), SETUP asks the conductor for an image', () => {
    const f = fixture();
    f.dispatcher.addSubscription(STREAM_ID);
    expect(f.data(5)).toBe(0);
    expect(f.data(5)).toBe(0);
    expect(f.elicited).toEqual([{ sessionId: 5, streamId: STREAM_ID, to: '127.0.0.1:40500' }]);
    expect(f.pending).toEqual([{ sessionId: 5, streamId: STREAM_ID, periodic: false }]);
    expect(f.dispatcher.sessionState(STREAM_ID, 5)).toBe('PENDING_SETUP_FRAME');
    f.setup(5);
    f.setup(5);
    expect(f.created).toEqual([
      { sessionId: 5, streamId: STREAM_ID, initialTermId: 77, control: '127.0.0.1:40500', src: '127.0.0.1:40500' },
    ]);
    expect(f.dispatcher.sessionState(STREAM_ID, 5)).toBe('INIT_IN_PROGRESS');
  });

  it('an image added takes the session: DATA goes to it, SETUP only refreshes it', () => {
    const f = fixture();
    f.dispatcher.addSubscription(STREAM_ID);
    f.setup(5);
    const { image, events } = f.fakeImage(5);
    f.dispatcher.addPublicationImage(image);
    expect(f.dispatcher.sessionState(STREAM_ID, 5)).toBeNull();
    expect(f.data(5)).toBe(64);
    f.setup(5);
    expect(events).toEqual(['activate', 'insert', 'known']);
    expect(f.created).toHaveLength(1);
  });

  it('an image removed puts the session on cool-down (none after EOS) until removeCoolDown', () => {
    const f = fixture();
    f.dispatcher.addSubscription(STREAM_ID);
    const first = f.fakeImage(5);
    f.dispatcher.addPublicationImage(first.image);
    f.dispatcher.removePublicationImage(first.image);
    expect(first.events).toEqual(['activate', 'deactivate']);
    expect(f.dispatcher.sessionState(STREAM_ID, 5)).toBe('ON_COOL_DOWN');
    f.setup(5);
    f.data(5);
    expect(f.created).toHaveLength(0);
    expect(f.elicited).toHaveLength(0);
    f.dispatcher.removeCoolDown(5, STREAM_ID);
    f.setup(5);
    expect(f.created).toHaveLength(1);

    const ended = f.fakeImage(6);
    f.dispatcher.addPublicationImage(ended.image);
    ended.setEos(true);
    f.dispatcher.removePublicationImage(ended.image);
    expect(f.dispatcher.sessionState(STREAM_ID, 6)).toBeNull();
  });

  it('session-specific subscriptions: other sessions get NO_INTEREST; EOS data elicits nothing', () => {
    const f = fixture();
    f.dispatcher.addSubscriptionForSession(STREAM_ID, 5);
    f.data(6);
    f.setup(7);
    expect(f.dispatcher.sessionState(STREAM_ID, 6)).toBe('NO_INTEREST');
    expect(f.dispatcher.sessionState(STREAM_ID, 7)).toBe('NO_INTEREST');
    f.data(5, 0xc0 | EOS_FLAG);
    expect(f.elicited).toHaveLength(0);
    f.setup(5);
    expect(f.created.map((c) => c.sessionId)).toEqual([5]);
    // a wildcard subscription clears NO_INTEREST
    f.dispatcher.addSubscription(STREAM_ID);
    expect(f.dispatcher.sessionState(STREAM_ID, 6)).toBeNull();
  });

  it('frames of streams nobody subscribes to are ignored; removing an unknown subscription is a typed error', () => {
    const f = fixture();
    expect(f.data(5)).toBe(0);
    f.setup(5);
    expect(f.created).toHaveLength(0);
    expect(f.dispatcher.shouldElicitSetupMessage()).toBe(false);
    expect(() => f.dispatcher.removeSubscription(STREAM_ID)).toThrow(ControlProtocolError);
    f.dispatcher.addSubscription(STREAM_ID);
    const { image, events } = f.fakeImage(5);
    f.dispatcher.addPublicationImage(image);
    f.dispatcher.removeSubscription(STREAM_ID);
    expect(events).toEqual(['activate', 'deactivate']);
    expect(f.dispatcher.shouldElicitSetupMessage()).toBe(false);
  });
});
